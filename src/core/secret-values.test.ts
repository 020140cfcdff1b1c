import { describe, expect, it } from 'vitest';
import type { KubeObject } from './kube-object.js';
import { withoutSecretValues } from './secret-values.js';

describe('withoutSecretValues', () => {
  it('blanks every value, keeps the keys, and drops the last-applied copy', () => {
    const secret = {
      apiVersion: 'v1',
      kind: 'Secret',
      type: 'kubernetes.io/basic-auth',
      metadata: {
        name: 'db',
        namespace: 'shop',
        annotations: {
          'kubectl.kubernetes.io/last-applied-configuration': '{"stringData":{"password":"hunter2"}}',
          owner: 'payments',
        },
      },
      data: { username: 'YWRtaW4=', password: 'aHVudGVyMg==' },
      stringData: { token: 'ghp_abcdefghijklmnopqrstuvwxyz0123456789' },
      binaryData: { blob: 'AAEC' },
    } as unknown as KubeObject;
    const stripped = withoutSecretValues(secret);
    expect(stripped).toEqual({
      apiVersion: 'v1',
      kind: 'Secret',
      type: 'kubernetes.io/basic-auth',
      metadata: { name: 'db', namespace: 'shop', annotations: { owner: 'payments' } },
      data: { username: '', password: '' },
      stringData: { token: '' },
      binaryData: { blob: '' },
    });
    const text = JSON.stringify(stripped);
    for (const value of ['YWRtaW4=', 'aHVudGVyMg==', 'hunter2', 'ghp_', 'AAEC'])
      expect(text).not.toContain(value);
  });

  it('leaves every other kind untouched', () => {
    const configMap = {
      kind: 'ConfigMap',
      metadata: { name: 'c' },
      data: { a: 'b' },
    } as unknown as KubeObject;
    expect(withoutSecretValues(configMap)).toBe(configMap);
  });
});
