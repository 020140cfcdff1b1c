import { describe, expect, it } from 'vitest';
import type { KubeObject } from './kube-object.js';
import { withoutSecretValues } from './secret-values.js';

const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';

// `kubectl get secret db -o json` after `kubectl apply`: the annotation repeats every value.
const appliedSecret = (): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Secret',
  type: 'Opaque',
  metadata: {
    name: 'db',
    namespace: 'shop',
    uid: '2b7c1d4e-8f3a-4c5b-9d6e-1a2b3c4d5e6f',
    resourceVersion: '48102',
    creationTimestamp: '2026-11-20T02:58:11Z',
    annotations: {
      [LAST_APPLIED]:
        '{"apiVersion":"v1","data":{"password":"czNjcjN0LXBhc3N3MHJk","username":"YXBw"},"kind":"Secret","metadata":{"annotations":{"team":"payments"},"name":"db","namespace":"shop"},"type":"Opaque"}\n',
      team: 'payments',
    },
    managedFields: [
      {
        manager: 'kubectl-client-side-apply',
        operation: 'Update',
        apiVersion: 'v1',
        time: '2026-11-20T02:58:11Z',
        fieldsType: 'FieldsV1',
        fieldsV1: { 'f:data': { '.': {}, 'f:password': {}, 'f:username': {} }, 'f:type': {} },
      },
    ],
  },
  data: { password: 'czNjcjN0LXBhc3N3MHJk', username: 'YXBw' },
});

describe('withoutSecretValues', () => {
  it('blanks every value, keeps every key, drops the last-applied copy and keeps other annotations', () => {
    const secret = appliedSecret();
    expect(withoutSecretValues(secret)).toEqual({
      apiVersion: 'v1',
      kind: 'Secret',
      type: 'Opaque',
      metadata: {
        name: 'db',
        namespace: 'shop',
        uid: '2b7c1d4e-8f3a-4c5b-9d6e-1a2b3c4d5e6f',
        resourceVersion: '48102',
        creationTimestamp: '2026-11-20T02:58:11Z',
        annotations: { team: 'payments' },
        managedFields: secret.metadata.managedFields,
      },
      data: { password: '', username: '' },
    });
  });

  it('leaves no value anywhere in what it returns', () => {
    const text = JSON.stringify(withoutSecretValues(appliedSecret()));
    for (const value of ['czNjcjN0LXBhc3N3MHJk', 'YXBw']) expect(text).not.toContain(value);
  });

  it('blanks stringData and binaryData too', () => {
    const secret = {
      apiVersion: 'v1',
      kind: 'Secret',
      type: 'kubernetes.io/tls',
      metadata: { name: 'tls', namespace: 'shop', annotations: {} },
      stringData: { 'tls.key': '-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBg\n-----END PRIVATE KEY-----' },
      binaryData: { keystore: '/u3+7QAAAAIAAAAB' },
    } as unknown as KubeObject;
    const stripped = withoutSecretValues(secret);
    expect(stripped).toEqual({
      apiVersion: 'v1',
      kind: 'Secret',
      type: 'kubernetes.io/tls',
      metadata: { name: 'tls', namespace: 'shop', annotations: {} },
      stringData: { 'tls.key': '' },
      binaryData: { keystore: '' },
    });
    expect(JSON.stringify(stripped)).not.toMatch(/PRIVATE KEY|MIIEvQ|u3\+7QA/);
  });

  it('blanks a service-account token', () => {
    const token = {
      apiVersion: 'v1',
      kind: 'Secret',
      type: 'kubernetes.io/service-account-token',
      metadata: {
        name: 'build-robot-token',
        namespace: 'ci',
        annotations: { 'kubernetes.io/service-account.name': 'build-robot' },
      },
      data: {
        'ca.crt': 'LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0t',
        namespace: 'Y2k=',
        token: 'ZXlKaGJHY2lPaUpTVXpJMU5pSXNJbXRwWkNJNklqRXlNeUo5',
      },
    } as unknown as KubeObject;
    expect(withoutSecretValues(token)).toEqual({
      apiVersion: 'v1',
      kind: 'Secret',
      type: 'kubernetes.io/service-account-token',
      metadata: {
        name: 'build-robot-token',
        namespace: 'ci',
        annotations: { 'kubernetes.io/service-account.name': 'build-robot' },
      },
      data: { 'ca.crt': '', namespace: '', token: '' },
    });
  });

  it('does not change the object it was given', () => {
    const secret = appliedSecret();
    withoutSecretValues(secret);
    expect(secret).toEqual(appliedSecret());
  });

  it('returns any other kind as it is, the same object, last-applied annotation and all', () => {
    const configMap = {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: {
        name: 'api-config',
        namespace: 'shop',
        annotations: { [LAST_APPLIED]: '{"data":{"CACHE_SIZE":"512"}}' },
      },
      data: { CACHE_SIZE: '512' },
    } as unknown as KubeObject;
    const result = withoutSecretValues(configMap);
    expect(result).toBe(configMap);
    expect(result).toEqual({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: {
        name: 'api-config',
        namespace: 'shop',
        annotations: { [LAST_APPLIED]: '{"data":{"CACHE_SIZE":"512"}}' },
      },
      data: { CACHE_SIZE: '512' },
    });
  });
});
