import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../core/kube-object.js';
import { contextOf } from '../../../test/support/analyzer-context.js';
import { missingDependency } from './missing-dependency.js';

const pod = (spec: object, ready = false): KubeObject => ({
  kind: 'Pod',
  metadata: { name: 'p', namespace: 'shop' },
  spec,
  status: { phase: 'Running', conditions: [{ type: 'Ready', status: ready ? 'True' : 'False' }] },
});

describe('missing-dependency', () => {
  it('finds nothing when every reference resolves, or a missing one is optional', () => {
    const cm: KubeObject = { kind: 'ConfigMap', metadata: { name: 'c', namespace: 'shop' }, data: {} };
    const fine = pod({
      volumes: [
        { name: 'v', configMap: { name: 'c' } },
        { name: 'o', configMap: { name: 'gone', optional: true } },
      ],
    });
    expect(missingDependency.detect(fine, contextOf([fine, cm]))).toEqual([]);
  });

  it('puts the finding on the missing object, saying who references it and how', () => {
    const failing = pod({
      serviceAccountName: 'build',
      imagePullSecrets: [{ name: 'regcred' }],
      containers: [{ name: 'app', image: 'registry.example.com/shop/app:1.2' }],
    });
    const account: KubeObject = { kind: 'ServiceAccount', metadata: { name: 'build', namespace: 'shop' } };
    expect(missingDependency.detect(failing, contextOf([failing, account]))).toEqual([
      {
        ruleId: 'missing-dependency',
        severity: 'critical',
        resource: { kind: 'Secret', namespace: 'shop', name: 'regcred' },
        message: 'Secret regcred does not exist, and pods reference it',
        evidence: [
          {
            source: 'graph',
            resource: { kind: 'Pod', namespace: 'shop', name: 'p' },
            text: 'Pod/p pulls-with imagePullSecrets → Secret/regcred (not found)',
          },
        ],
        fix: {
          summary: 'create Secret regcred, or fix the reference',
          commands: [
            'kubectl -n shop create secret docker-registry regcred --docker-server=registry.example.com --docker-username=USER --docker-password=TOKEN',
          ],
        },
      },
    ]);
  });

  it('flags an Ingress whose backend Service is gone', () => {
    const ingress: KubeObject = {
      kind: 'Ingress',
      metadata: { name: 'shop', namespace: 'shop' },
      spec: {
        rules: [
          {
            host: 'shop.example.com',
            http: { paths: [{ path: '/', backend: { service: { name: 'gone', port: { number: 80 } } } }] },
          },
        ],
      },
    };
    expect(missingDependency.detect(ingress, contextOf([ingress]))[0]).toMatchObject({
      severity: 'critical',
      resource: { kind: 'Service', namespace: 'shop', name: 'gone' },
      message: 'Service gone does not exist, and Ingress objects reference it',
    });
  });

  it('makes the claim’s StatefulSet the object to change when its StorageClass does not exist', () => {
    const statefulSet: KubeObject = {
      kind: 'StatefulSet',
      metadata: { name: 'db', namespace: 'shop' },
      spec: {
        serviceName: 'db',
        volumeClaimTemplates: [{ metadata: { name: 'data' }, spec: { storageClassName: 'fast-ssd' } }],
      },
    };
    // As the StatefulSet controller names its claims: <template>-<statefulset>-<ordinal>.
    const claim = (name: string): KubeObject => ({
      kind: 'PersistentVolumeClaim',
      metadata: { name, namespace: 'shop' },
      spec: { storageClassName: 'fast-ssd', accessModes: ['ReadWriteOnce'] },
      status: { phase: 'Pending' },
    });
    const fromTemplate = claim('data-db-0');
    const byHand = claim('scratch');
    const context = contextOf([statefulSet, fromTemplate, byHand]);
    const [templated] = missingDependency.detect(fromTemplate, context);
    expect(templated).toMatchObject({
      resource: { kind: 'StorageClass', name: 'fast-ssd' },
      fixObject: { kind: 'StatefulSet', namespace: 'shop', name: 'db' },
    });
    // A claim made by hand is itself what names the class.
    const [own] = missingDependency.detect(byHand, context);
    expect(own?.fixObject).toEqual({ kind: 'PersistentVolumeClaim', namespace: 'shop', name: 'scratch' });
    // A missing ConfigMap is created, not renamed: no other object to change.
    const cmPod = pod({ volumes: [{ name: 'v', configMap: { name: 'settings' } }] });
    const [configMap] = missingDependency.detect(cmPod, contextOf([cmPod]));
    expect(configMap?.resource).toEqual({ kind: 'ConfigMap', namespace: 'shop', name: 'settings' });
    expect(configMap?.fixObject).toBeUndefined();
  });
});
