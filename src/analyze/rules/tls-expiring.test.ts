import { readFileSync } from 'node:fs';
import { X509Certificate } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../core/kube-object.js';
import { withCertificateFacts } from '../../kube/certificate-metadata.js';
import { withoutSecretValues } from '../../core/secret-values.js';
import { contextOf } from '../../../test/support/analyzer-context.js';
import { tlsExpiring } from './tls-expiring.js';

const pem = readFileSync(new URL('../../../test/fixtures/tls/shop.example.com.crt', import.meta.url), 'utf8');
const notAfter = new Date(new X509Certificate(pem).validTo);

/** The Secret as a source hands it over: facts recorded, values blanked. */
const secret = withoutSecretValues(
  withCertificateFacts({
    kind: 'Secret',
    type: 'kubernetes.io/tls',
    metadata: { name: 'shop-tls', namespace: 'shop' },
    data: {
      'tls.crt': Buffer.from(pem).toString('base64'),
      'tls.key': Buffer.from('not a real key').toString('base64'),
    },
  }),
);
const ingress: KubeObject = {
  kind: 'Ingress',
  metadata: { name: 'shop', namespace: 'shop' },
  spec: { tls: [{ hosts: ['shop.example.com'], secretName: 'shop-tls' }] },
};
const daysBefore = (days: number): Date => new Date(notAfter.getTime() - days * 86_400_000);

describe('tls-expiring', () => {
  it('keeps no value of the Secret, only the certificate’s public facts', () => {
    expect(secret).toMatchObject({ data: { 'tls.crt': '', 'tls.key': '' } });
    expect(JSON.stringify(secret)).not.toContain('BEGIN CERTIFICATE');
  });

  it('finds nothing for a certificate valid for more than 30 days', () => {
    expect(tlsExpiring.detect(secret, contextOf([secret, ingress], daysBefore(45)))).toEqual([]);
  });

  it('names the Secret, when it expires and the Ingress hosts that serve it (S15)', () => {
    const [finding] = tlsExpiring.detect(secret, contextOf([secret, ingress], daysBefore(3)));
    expect(finding).toEqual({
      ruleId: 'tls-expiring',
      severity: 'critical',
      resource: { kind: 'Secret', namespace: 'shop', name: 'shop-tls' },
      message: 'the certificate in Secret shop-tls (tls.crt) expires in 3 days; Ingress shop serves it',
      evidence: [
        {
          source: 'spec',
          text: `tls.crt: CN=shop.example.com, O=Shop Example, issued by CN=shop.example.com, O=Shop Example, not after ${notAfter.toISOString()}`,
        },
        { source: 'spec', text: 'names: shop.example.com, www.shop.example.com' },
        { source: 'graph', text: 'served by Ingress shop for shop.example.com' },
      ],
      fix: {
        summary: 'renew the certificate (cert-manager: check its Certificate; otherwise replace the Secret)',
        commands: [
          'kubectl -n shop create secret tls shop-tls --cert=NEW.crt --key=NEW.key --dry-run=client -o yaml | kubectl apply -f -',
        ],
      },
    });
  });

  it('warns from 30 days out, and says how long ago an expired one expired', () => {
    expect(tlsExpiring.detect(secret, contextOf([secret], daysBefore(20)))[0]?.severity).toBe('warning');
    expect(tlsExpiring.detect(secret, contextOf([secret], daysBefore(-5)))[0]?.message).toBe(
      'the certificate in Secret shop-tls (tls.crt) expired 5 days ago',
    );
  });
});
