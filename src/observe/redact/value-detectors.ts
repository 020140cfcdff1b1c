/**
 * Secrets recognised by their look, wherever they stand: in an env value, an annotation, a log line,
 * an event message. Each detector replaces what it finds with a marker naming itself, and keeps the
 * text around it (the user name of a URL, the word `Bearer`) so the evidence still reads.
 *
 * Order matters: a PEM block before anything could take a line of it, a URL's password before the
 * key=value detector sees `password=` in its query, known token formats before the catch-all for
 * random-looking strings.
 */
export interface ValueDetector {
  readonly name: string;
  /** Global. */
  readonly pattern: RegExp;
  /** What a match becomes; `marker` is `[REDACTED:<name>]`. Default: the marker alone. */
  readonly replace?: (marker: string, match: string, ...groups: (string | undefined)[]) => string;
}

/** What a redacted value becomes. Fixed, so a receiver can count and find them. */
export function markerFor(detector: string): string {
  return `[REDACTED:${detector}]`;
}

/** A value a marker already stands for is not redacted again. */
export const MARKER = /\[REDACTED:[a-z0-9-]+\]/;

const keepPrefix = (marker: string, _match: string, prefix: string | undefined): string =>
  `${prefix ?? ''}${marker}`;

export const VALUE_DETECTORS: readonly ValueDetector[] = [
  {
    // A private key, also cut off by a log tail before its END line, also with `\n` escaped in JSON.
    name: 'private-key',
    pattern:
      /-----BEGIN[A-Z0-9 ]*PRIVATE KEY(?: BLOCK)?-----[\s\S]*?(?:-----END[A-Z0-9 ]*PRIVATE KEY(?: BLOCK)?-----|$)/g,
  },
  {
    name: 'url-password',
    pattern: /(\b[a-zA-Z][a-zA-Z0-9+.-]*:\/\/[^\s:@/"'<>]+:)[^\s@/"'<>]+(?=@)/g,
    replace: keepPrefix,
  },
  {
    // Signed URLs and tokens in query strings: `?access_token=…`, `&X-Amz-Signature=…`, `&sig=…`.
    name: 'url-parameter',
    pattern:
      /([?&;](?:password|passwd|pwd|token|access_token|refresh_token|id_token|auth|api_key|apikey|key|secret|client_secret|sig|signature|x-amz-signature|x-amz-credential|x-amz-security-token|x-goog-signature|x-goog-credential)=)[^&#\s"'<>]+/gi,
    replace: keepPrefix,
  },
  {
    // .NET, Azure, ODBC connection strings: `Password=…;`, `AccountKey=…;`.
    name: 'connection-string',
    pattern: /(\b(?:password|pwd|accountkey|sharedaccesskey|sharedaccesssignature)\s*=\s*)[^;"'\s]+/gi,
    replace: keepPrefix,
  },
  {
    name: 'authorization-header',
    pattern: /(\b(?:proxy-)?authorization["']?\s*[:=]\s*["']?)(?!\[REDACTED)[^\r\n"']+/gi,
    replace: keepPrefix,
  },
  {
    name: 'cookie-header',
    pattern: /(\b(?:set-)?cookie["']?\s*:\s*["']?)[^\r\n"']+/gi,
    replace: keepPrefix,
  },
  {
    // `Bearer <token>`, `Basic <base64>`: the credential is no plain word (`Basic authentication`).
    name: 'auth-scheme',
    pattern:
      /(\b(?:[Bb]earer|[Bb]asic|[Dd]igest|[Tt]oken)\s+)(?=[A-Za-z0-9._~+/-]*[0-9=+/._~-])[A-Za-z0-9._~+/-]{8,}=*/g,
    replace: keepPrefix,
  },
  { name: 'jwt', pattern: /\beyJ[A-Za-z0-9_-]{5,}\.eyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]*/g },
  {
    name: 'aws-access-key',
    pattern: /\b(?:AKIA|ASIA|ABIA|ACCA|AGPA|AIDA|AROA|ANPA|ANVA|AIPA)[A-Z0-9]{16}\b/g,
  },
  { name: 'github-token', pattern: /\b(?:gh[pousr]_[A-Za-z0-9]{36,255}|github_pat_[A-Za-z0-9_]{22,255})\b/g },
  { name: 'gitlab-token', pattern: /\bglpat-[A-Za-z0-9_-]{20,}/g },
  { name: 'slack-token', pattern: /\bxox[abposr]-[A-Za-z0-9-]{10,}/g },
  { name: 'slack-webhook', pattern: /https:\/\/hooks\.slack\.com\/services\/[A-Za-z0-9/_-]+/g },
  { name: 'stripe-key', pattern: /\b(?:(?:sk|rk)_(?:live|test)_[A-Za-z0-9]{16,}|whsec_[A-Za-z0-9]{24,})\b/g },
  { name: 'google-api-key', pattern: /\bAIza[0-9A-Za-z_-]{35}/g },
  { name: 'google-oauth-token', pattern: /\bya29\.[0-9A-Za-z_-]{20,}/g },
  { name: 'openai-key', pattern: /\bsk-(?:proj-|ant-(?:api\d\d-)?|svcacct-)?[A-Za-z0-9_-]{20,}/g },
  { name: 'npm-token', pattern: /\bnpm_[A-Za-z0-9]{36}\b/g },
  { name: 'pypi-token', pattern: /\bpypi-[A-Za-z0-9_-]{50,}/g },
  { name: 'sendgrid-key', pattern: /\bSG\.[A-Za-z0-9_-]{16,}\.[A-Za-z0-9_-]{16,}/g },
  { name: 'twilio-key', pattern: /\bSK[0-9a-fA-F]{32}\b/g },
  { name: 'vault-token', pattern: /\bhv[sbr]\.[A-Za-z0-9_-]{24,}/g },
  { name: 'digitalocean-token', pattern: /\bdo[opr]_v1_[a-f0-9]{64}\b/g },
];
