/**
 * Random-looking strings: what is left of a secret no format names (a password generator's output,
 * a base64 key, a line of a PEM body cut off from its BEGIN line by a log tail).
 *
 * A candidate is a run of 20 or more base64/base64url characters that
 * - mixes lower case, upper case and digits (Kubernetes names, DNS names and paths never do; a
 *   random base64 string of 20 characters does 97 times in 100),
 * - is not hexadecimal (with or without dashes): digests, commit ids, container ids, UIDs and trace
 *   ids are hex, and far more common in logs and manifests than hex secrets, which come under a
 *   name the key patterns know or a format the detectors know,
 * - is not a path (`/var/lib/…`) or a CamelCase word run (`ReplicaSetControllerManager2`),
 * - and carries at least 3.5 bits of Shannon entropy a character.
 */
export const HIGH_ENTROPY_CANDIDATE = /[A-Za-z0-9+/=_-]{20,}/g;

const MIN_BITS_PER_CHAR = 3.5;

export function isHighEntropy(token: string): boolean {
  if (/^[0-9a-fA-F-]+$/.test(token)) return false;
  if (!/[a-z]/.test(token) || !/[A-Z]/.test(token) || !/[0-9]/.test(token)) return false;
  if (token.startsWith('/') || token.includes('//')) return false;
  if (isWordRun(token)) return false;
  return shannonBits(token) >= MIN_BITS_PER_CHAR;
}

/** Bits of entropy a character, over the token's own character frequencies. */
export function shannonBits(token: string): number {
  const counts = new Map<string, number>();
  for (const char of token) counts.set(char, (counts.get(char) ?? 0) + 1);
  let bits = 0;
  for (const count of counts.values()) {
    const p = count / token.length;
    bits -= p * Math.log2(p);
  }
  return bits;
}

/**
 * Words joined the way identifiers join them: CamelCase, snake_case, kebab-case or path segments,
 * each a capital and lower-case letters, an acronym, a short number or a letter before a number
 * (`v1`): `ErrImagePull`, `kube-proxy-v1-30`, `ReplicaSetV2Controller`.
 */
function isWordRun(token: string): boolean {
  const pieces = token.split(/[-_/+=.]+/).filter((piece) => piece !== '');
  return pieces.every((piece) =>
    /^(?:[A-Z]?[a-z]{2,}|[A-Z]+(?![a-z])|[a-z](?=[0-9])|[0-9]{1,4})+$/.test(piece),
  );
}
