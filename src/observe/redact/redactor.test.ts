import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../core/kube-object.js';
import { RedactionError, Redactor } from './redactor.js';

describe('Redactor', () => {
  it('keeps the words around a secret so the evidence still reads', () => {
    const redactor = new Redactor();
    expect(redactor.text('dial postgres://shop:s3cr3t!pw@db:5432/shop: connection refused', 'log')).toBe(
      'dial postgres://shop:[REDACTED:url-password]@db:5432/shop: connection refused',
    );
    expect(redactor.text('retrying with Authorization: Bearer abc.def-123', 'log')).toBe(
      'retrying with Authorization: [REDACTED:authorization-header]',
    );
    expect(redactor.text('Basic authentication failed for user bob', 'event')).toBe(
      'Basic authentication failed for user bob',
    );
    expect(redactor.text('DB_PASSWORD=hunter2 LOG_LEVEL=debug password: "two words"', 'log')).toBe(
      'DB_PASSWORD=[REDACTED:named-secret] LOG_LEVEL=debug password: "[REDACTED:named-secret]"',
    );
    expect(redactor.text('--tls-key-file=/etc/certs/key.pem enabled=true token=', 'log')).toBe(
      '--tls-key-file=/etc/certs/key.pem enabled=true token=',
    );
  });

  it('redacts a manifest: env by name, args after a secret flag, the last-applied copy, and leaves schema fields', () => {
    const pod: KubeObject = {
      kind: 'Pod',
      metadata: {
        name: 'api-1',
        namespace: 'shop',
        annotations: {
          'kubectl.kubernetes.io/last-applied-configuration':
            '{"kind":"Pod","spec":{"containers":[{"env":[{"name":"API_KEY","value":"k-123"}]}]}}\n',
        },
      },
      spec: {
        containers: [
          {
            name: 'api',
            args: ['--db-password', 'hunter2', '--port', '8080'],
            env: [
              { name: 'API_KEY', value: 'k-123' },
              { name: 'LOG_LEVEL', value: 'info' },
              { name: 'DB_PASSWORD', valueFrom: { secretKeyRef: { name: 'db', key: 'password' } } },
            ],
          },
        ],
        affinity: {
          podAntiAffinity: {
            requiredDuringSchedulingIgnoredDuringExecution: [{ topologyKey: 'kubernetes.io/hostname' }],
          },
        },
      },
    };
    const redactor = new Redactor();
    const out = redactor.object(pod);
    expect(out.metadata.annotations?.['kubectl.kubernetes.io/last-applied-configuration']).toBe(
      '{"kind":"Pod","spec":{"containers":[{"env":[{"name":"API_KEY","value":"[REDACTED:named-secret]"}]}]}}',
    );
    expect(out['spec']).toEqual({
      containers: [
        {
          name: 'api',
          args: ['--db-password', '[REDACTED:named-secret]', '--port', '8080'],
          env: [
            { name: 'API_KEY', value: '[REDACTED:named-secret]' },
            { name: 'LOG_LEVEL', value: 'info' },
            { name: 'DB_PASSWORD', valueFrom: { secretKeyRef: { name: 'db', key: 'password' } } },
          ],
        },
      ],
      affinity: {
        podAntiAffinity: {
          requiredDuringSchedulingIgnoredDuringExecution: [{ topologyKey: 'kubernetes.io/hostname' }],
        },
      },
    });
    // The input is left as it was.
    expect(
      (pod['spec'] as { containers: { env: { value?: string }[] }[] }).containers[0]?.env[0]?.value,
    ).toBe('k-123');
    // Counts, never values.
    expect(redactor.report()).toEqual({
      total: 3,
      byDetector: { 'named-secret': 3 },
      // The env of the last-applied copy is env too.
      byLocation: { env: 2, manifest: 1, log: 0, event: 0 },
    });
    expect(JSON.stringify(redactor.report())).not.toContain('k-123');
  });

  it('keeps a Secret’s keys and none of its values, nor its last-applied copy', () => {
    const secret: KubeObject = {
      kind: 'Secret',
      metadata: {
        name: 'db',
        namespace: 'shop',
        annotations: {
          'kubectl.kubernetes.io/last-applied-configuration': '{"stringData":{"password":"pw"}}',
        },
      },
      type: 'Opaque',
      data: { password: 'aHVudGVyMg==', user: 'c2hvcA==' },
      stringData: { token: 'plain' },
    };
    const out = new Redactor().object(secret);
    expect(out).toEqual({
      kind: 'Secret',
      metadata: {
        name: 'db',
        namespace: 'shop',
        annotations: { 'kubectl.kubernetes.io/last-applied-configuration': '[REDACTED:secret-data]' },
      },
      type: 'Opaque',
      data: { password: '[REDACTED:secret-data]', user: '[REDACTED:secret-data]' },
      stringData: { token: '[REDACTED:secret-data]' },
    });
  });

  it('fails closed: a last-applied copy it cannot read is dropped, and what it cannot finish throws', () => {
    const redactor = new Redactor();
    const broken: KubeObject = {
      kind: 'ConfigMap',
      metadata: {
        name: 'c',
        annotations: { 'kubectl.kubernetes.io/last-applied-configuration': '{"data":{"password":"pw"' },
      },
    };
    expect(redactor.object(broken).metadata.annotations).toEqual({
      'kubectl.kubernetes.io/last-applied-configuration': '[REDACTED:unreadable-last-applied]',
    });
    let deep: Record<string, unknown> = { password: 'pw' };
    for (let i = 0; i < 100; i++) deep = { nested: deep };
    expect(() => redactor.object({ kind: 'ConfigMap', metadata: { name: 'deep' }, data: deep })).toThrow(
      RedactionError,
    );
    const cyclic: Record<string, unknown> = { kind: 'ConfigMap', metadata: { name: 'cycle' } };
    cyclic['self'] = cyclic;
    expect(() => redactor.object(cyclic as KubeObject)).toThrow(RedactionError);
  });

  it('takes extra detectors by look from its configuration, and can leave the entropy catch-all off', () => {
    const redactor = new Redactor({
      extraValuePatterns: [{ name: 'employee-id', pattern: 'EMP-[0-9]{6}' }],
      highEntropy: false,
    });
    expect(redactor.text('paged EMP-123456 with q8Zt2XbN4vLw9RkPa7Yc3Md', 'event')).toBe(
      'paged [REDACTED:employee-id] with q8Zt2XbN4vLw9RkPa7Yc3Md',
    );
    expect(new Redactor().text('q8Zt2XbN4vLw9RkPa7Yc3Md', 'log')).toBe('[REDACTED:high-entropy]');
  });
});
