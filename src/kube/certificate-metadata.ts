import { X509Certificate } from 'node:crypto';
import { CERTIFICATES_ANNOTATION, type CertificateFacts } from '../core/certificate-facts.js';
import type { KubeObject } from '../core/kube-object.js';

const PEM_CERTIFICATE = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/;

/**
 * Reads the first certificate of each `*.crt` key of a Secret (base64 PEM, as the API serves it)
 * and records its public facts in an annotation, so expiry can be analysed after every value has
 * been blanked. Keys are never read into anything but X509 parsing; a value that is not a
 * certificate is skipped.
 */
export function withCertificateFacts(secret: KubeObject): KubeObject {
  if (secret.kind !== 'Secret') return secret;
  const data = (secret as { data?: Record<string, unknown> | null }).data ?? {};
  const facts: CertificateFacts[] = [];
  for (const [key, value] of Object.entries(data)) {
    if (!key.endsWith('.crt') || typeof value !== 'string') continue;
    const pem = PEM_CERTIFICATE.exec(Buffer.from(value, 'base64').toString('utf8'))?.[0];
    if (pem === undefined) continue;
    try {
      const certificate = new X509Certificate(pem);
      facts.push({
        key,
        subject: certificate.subject.replaceAll('\n', ', '),
        issuer: certificate.issuer.replaceAll('\n', ', '),
        notBefore: new Date(certificate.validFrom).toISOString(),
        notAfter: new Date(certificate.validTo).toISOString(),
        dnsNames: (certificate.subjectAltName ?? '')
          .split(', ')
          .filter((name) => name.startsWith('DNS:'))
          .map((name) => name.slice(4)),
      });
    } catch {
      // Not a certificate after all: nothing to record.
    }
  }
  if (facts.length === 0) return secret;
  return {
    ...secret,
    metadata: {
      ...secret.metadata,
      annotations: {
        ...(secret.metadata.annotations ?? {}),
        [CERTIFICATES_ANNOTATION]: JSON.stringify(facts),
      },
    },
  };
}
