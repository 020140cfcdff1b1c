import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../core/kube-object.js';
import { contextOf } from '../../../test/support/analyzer-context.js';
import { serviceEndpoints } from './service-endpoints.js';

const service = (selector: Record<string, string>): KubeObject => ({
  kind: 'Service',
  metadata: { name: 'web', namespace: 'shop' },
  spec: { selector },
});
const pod = (name: string, labels: Record<string, string>, ready: boolean): KubeObject => ({
  kind: 'Pod',
  metadata: { name, namespace: 'shop', labels },
  status: { phase: 'Running', conditions: [{ type: 'Ready', status: ready ? 'True' : 'False' }] },
});

describe('service-endpoints', () => {
  it('finds nothing when a selected pod is ready, or when the Service has no selector', () => {
    const objects = [
      service({ app: 'web' }),
      pod('web-1', { app: 'web' }, true),
      pod('web-2', { app: 'web' }, false),
    ];
    expect(serviceEndpoints.detect(objects[0]!, contextOf(objects))).toEqual([]);
    const manual: KubeObject = { kind: 'Service', metadata: { name: 'ext', namespace: 'shop' }, spec: {} };
    expect(serviceEndpoints.detect(manual, contextOf([manual]))).toEqual([]);
  });

  it('names the closest labels when the selector matches no pod (S11)', () => {
    const objects = [
      service({ app: 'web', tier: 'front' }),
      pod('webapp-1', { app: 'webapp', tier: 'front' }, true),
      pod('webapp-2', { app: 'webapp', tier: 'front' }, true),
      pod('db-0', { app: 'db' }, true),
    ];
    expect(serviceEndpoints.detect(objects[0]!, contextOf(objects))).toEqual([
      {
        ruleId: 'service-endpoints',
        severity: 'critical',
        resource: { kind: 'Service', namespace: 'shop', name: 'web' },
        message:
          'Service web selects app=web,tier=front, which no pod carries; pods are labelled app=webapp,tier=front',
        evidence: [
          { source: 'spec', text: 'selector app=web,tier=front matches no pod in shop' },
          { source: 'graph', text: 'closest: 2 pod(s) labelled app=webapp,tier=front' },
        ],
        fix: {
          summary: 'make the selector match the pods (app=webapp,tier=front), or relabel the pods',
          commands: ['kubectl -n shop edit service web'],
        },
      },
    ]);
  });

  it('names no closest labels when the only pods belong to another workload', () => {
    const objects = [service({ app: 'web', tier: 'front' }), pod('db-0', { app: 'db', tier: 'front' }, true)];
    const [finding] = serviceEndpoints.detect(objects[0]!, contextOf(objects));
    expect(finding?.message).toBe('Service web selects app=web,tier=front, which no pod carries');
    expect(finding?.evidence.map((e) => e.text)).toEqual([
      'selector app=web,tier=front matches no pod in shop',
    ]);
  });

  it('says so when it selects pods but none is ready', () => {
    const objects = [service({ app: 'web' }), pod('web-1', { app: 'web' }, false)];
    expect(serviceEndpoints.detect(objects[0]!, contextOf(objects))[0]?.message).toBe(
      'Service web has no ready endpoints: its one pod is not ready',
    );
  });
});
