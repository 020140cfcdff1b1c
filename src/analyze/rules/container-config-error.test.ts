import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../core/kube-object.js';
import { contextOf } from '../../../test/support/analyzer-context.js';
import { containerConfigError } from './container-config-error.js';

const pod = (message: string | undefined): KubeObject => ({
  kind: 'Pod',
  metadata: { name: 'api-0', namespace: 'shop' },
  status: {
    phase: 'Pending',
    containerStatuses: [
      message === undefined
        ? { name: 'api', ready: true, state: { running: {} } }
        : {
            name: 'api',
            ready: false,
            state: { waiting: { reason: 'CreateContainerConfigError', message } },
          },
    ],
  },
});

describe('container-config-error', () => {
  it('finds nothing on a running pod', () => {
    expect(containerConfigError.detect(pod(undefined), contextOf([pod(undefined)]))).toEqual([]);
  });

  it('puts a missing key on the ConfigMap that lacks it', () => {
    const failing = pod("couldn't find key CACHE_SIZE in ConfigMap shop/api-config");
    expect(containerConfigError.detect(failing, contextOf([failing]))).toEqual([
      {
        ruleId: 'container-config-error',
        severity: 'critical',
        resource: { kind: 'ConfigMap', namespace: 'shop', name: 'api-config' },
        message:
          'ConfigMap api-config has no key CACHE_SIZE, and pods need it: their containers cannot be created',
        evidence: [
          {
            source: 'status',
            resource: { kind: 'Pod', namespace: 'shop', name: 'api-0' },
            text: "container api: CreateContainerConfigError: couldn't find key CACHE_SIZE in ConfigMap shop/api-config",
          },
        ],
        fix: {
          summary: 'add the key CACHE_SIZE to ConfigMap api-config, or fix the reference in the pod template',
          commands: [
            `kubectl -n shop patch configmap api-config --type=merge -p '{"data":{"CACHE_SIZE":"VALUE"}}'`,
          ],
        },
      },
    ]);
  });

  it('puts a missing Secret on the Secret, and anything else on the pod', () => {
    const missingSecret = pod('secret "db-password" not found');
    expect(containerConfigError.detect(missingSecret, contextOf([missingSecret]))[0]).toMatchObject({
      resource: { kind: 'Secret', namespace: 'shop', name: 'db-password' },
      message: 'Secret db-password does not exist, and pods need it: their containers cannot be created',
    });
    const other = pod('failed to sync configmap cache: timed out waiting for the condition');
    expect(containerConfigError.detect(other, contextOf([other]))[0]).toMatchObject({
      resource: { kind: 'Pod', namespace: 'shop', name: 'api-0' },
      message:
        'container api cannot be created: failed to sync configmap cache: timed out waiting for the condition',
    });
  });
});
