import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../core/kube-object.js';
import { createMissing } from './create-missing.js';
import { contextOf } from '../../test/support/analyzer-context.js';

const pod: KubeObject = {
  kind: 'Pod',
  metadata: { name: 'api-0', namespace: 'shop' },
  spec: {
    containers: [
      {
        name: 'api',
        image: 'api:1',
        env: [
          { name: 'CACHE', valueFrom: { configMapKeyRef: { name: 'api-config', key: 'CACHE_SIZE' } } },
          { name: 'MODE', valueFrom: { configMapKeyRef: { name: 'api-config', key: 'MODE' } } },
          { name: 'PW', valueFrom: { secretKeyRef: { name: 'db', key: 'password' } } },
        ],
      },
    ],
  },
};
const ingress: KubeObject = {
  kind: 'Ingress',
  metadata: { name: 'shop', namespace: 'shop' },
  spec: { tls: [{ hosts: ['shop.example.com'], secretName: 'shop-tls' }] },
};
const claim: KubeObject = {
  kind: 'PersistentVolumeClaim',
  metadata: { name: 'data', namespace: 'shop' },
  spec: { storageClassName: 'fast-ssd' },
};

describe('createMissing', () => {
  const { graph } = contextOf([pod, ingress, claim]);
  const commands = (kind: string, name: string, namespace?: string): readonly string[] | undefined =>
    createMissing(namespace === undefined ? { kind, name } : { kind, namespace, name }, graph).commands;

  it('creates a ConfigMap or Secret with every key its referrers need, values left to the person', () => {
    expect(commands('ConfigMap', 'api-config', 'shop')).toEqual([
      'kubectl -n shop create configmap api-config --from-literal=CACHE_SIZE=VALUE --from-literal=MODE=VALUE',
    ]);
    expect(commands('Secret', 'db', 'shop')).toEqual([
      'kubectl -n shop create secret generic db --from-literal=password=VALUE',
    ]);
  });

  it('creates a TLS Secret for an Ingress, and offers a new claim for a missing StorageClass', () => {
    expect(commands('Secret', 'shop-tls', 'shop')).toEqual([
      'kubectl -n shop create secret tls shop-tls --cert=tls.crt --key=tls.key',
    ]);
    expect(commands('StorageClass', 'fast-ssd')).toEqual([
      'kubectl get storageclass',
      'kubectl -n shop get pvc data -o yaml > claim.yaml  # set spec.storageClassName, then: kubectl replace --force -f claim.yaml',
    ]);
  });
});
