/** The annotation where sources keep the public facts of a Secret's certificates once its values are blanked. */
export const CERTIFICATES_ANNOTATION = 'kubectl-smart.io/certificates';

/** The public facts of one certificate in a Secret. */
export interface CertificateFacts {
  /** The Secret key holding it, e.g. `tls.crt`. */
  readonly key: string;
  readonly subject: string;
  readonly issuer: string;
  readonly notBefore: string;
  readonly notAfter: string;
  readonly dnsNames: readonly string[];
}

/** The certificate facts recorded on a Secret, or none. */
export function certificateFactsOf(
  annotations: Readonly<Record<string, string>> | undefined,
): readonly CertificateFacts[] {
  const text = annotations?.[CERTIFICATES_ANNOTATION];
  if (text === undefined) return [];
  try {
    const parsed = JSON.parse(text) as unknown;
    return Array.isArray(parsed) ? (parsed as CertificateFacts[]) : [];
  } catch {
    return [];
  }
}
