import { createHash, createHmac } from 'node:crypto';
import type { KubeObject } from '../core/kube-object.js';

/** The per-store key Secret values are digested with (the store makes it once and keeps it). */
export type DigestKey = string | Uint8Array;

/** Hex characters kept of a digest: 64 bits, plenty to tell two values apart, too few to matter. */
const DIGEST_HEX_CHARS = 16;

/**
 * Digests carry a prefix with a `:`, which no base64 text has. A `data` or `binaryData` value (always
 * base64 from the API server) that looks like a digest is therefore one already, so digesting is
 * idempotent: an object digested once (a checkpoint, the recorder's last state) diffs cleanly
 * against the raw object that follows it.
 */
const SECRET_PREFIX = 'hmac:';
const BINARY_PREFIX = 'sha256:';
const SECRET_DIGEST = /^hmac:[0-9a-f]{16}$/;
const BINARY_DIGEST = /^sha256:[0-9a-f]{16}$/;

const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';

/**
 * The keyed digest of one Secret value: HMAC-SHA256 under the store's key, truncated, as
 * `hmac:0123456789abcdef`. Equal values give equal digests in one store, so a change shows; without
 * the key nobody can test guesses against a digest.
 */
export function digestSecretValue(value: string, key: DigestKey): string {
  const hex = createHmac('sha256', key).update(value, 'utf8').digest('hex');
  return SECRET_PREFIX + hex.slice(0, DIGEST_HEX_CHARS);
}

/**
 * The digest of a ConfigMap `binaryData` value, `sha256:0123456789abcdef`: not secret, just too big
 * and too opaque to keep; unkeyed, so two stores agree on it.
 */
export function digestBinaryValue(value: string): string {
  return BINARY_PREFIX + createHash('sha256').update(value, 'utf8').digest('hex').slice(0, DIGEST_HEX_CHARS);
}

/** True when `value` is a digest this module made (`hmac:…` or `sha256:…`). */
export function isDigest(value: unknown): value is string {
  return typeof value === 'string' && (SECRET_DIGEST.test(value) || BINARY_DIGEST.test(value));
}

/** Which map of a Secret or ConfigMap a value sits in: they are digested differently. */
export type DataMap = 'data' | 'stringData' | 'binaryData';

/**
 * What may be kept of one value of a Secret (any map) or of a ConfigMap's `binaryData`: its digest,
 * or undefined when it cannot be digested (not a string, or a Secret with no key given). Fails
 * closed: the only strings that come back are digests.
 */
export function digestDataValue(
  kind: string,
  map: DataMap,
  value: unknown,
  key: DigestKey | undefined,
): string | undefined {
  if (typeof value !== 'string') return undefined;
  if (kind !== 'Secret') return BINARY_DIGEST.test(value) ? value : digestBinaryValue(value);
  // `stringData` is plain text (write-only, seen only in files): any string could be a value there.
  if (map !== 'stringData' && SECRET_DIGEST.test(value)) return value;
  return key === undefined ? undefined : digestSecretValue(value, key);
}

/** True for the values that must be digested rather than kept: every Secret value, ConfigMap binaryData. */
export function isDigestedMap(kind: string, map: string): map is DataMap {
  if (kind === 'Secret') return map === 'data' || map === 'stringData' || map === 'binaryData';
  return kind === 'ConfigMap' && map === 'binaryData';
}

/**
 * An object as the memory tier may keep it: a Secret's values (data, stringData, binaryData)
 * replaced by their keyed digests, null where a value cannot be digested, and the last-applied
 * annotation (which repeats every value) dropped; a ConfigMap's binaryData digested. Every other
 * object comes back as it is. Idempotent.
 */
export function digestObject(object: KubeObject, key: DigestKey): KubeObject {
  if (object.kind !== 'Secret' && object.kind !== 'ConfigMap') return object;
  const maps: readonly DataMap[] =
    object.kind === 'Secret' ? ['data', 'stringData', 'binaryData'] : ['binaryData'];
  const replaced: Record<string, unknown> = {};
  for (const map of maps) {
    const values = object[map];
    if (typeof values !== 'object' || values === null || Array.isArray(values)) {
      // Anything but a map of values cannot be told apart from a value: keep none of it.
      if (values !== undefined && object.kind === 'Secret') replaced[map] = null;
      continue;
    }
    replaced[map] = Object.fromEntries(
      Object.entries(values).map(([name, value]) => [
        name,
        digestDataValue(object.kind, map, value, key) ?? null,
      ]),
    );
  }
  if (object.kind !== 'Secret') return { ...object, ...replaced };
  const annotations = object.metadata.annotations;
  const metadata =
    annotations !== undefined && LAST_APPLIED in annotations
      ? {
          ...object.metadata,
          annotations: Object.fromEntries(
            Object.entries(annotations).filter(([name]) => name !== LAST_APPLIED),
          ),
        }
      : object.metadata;
  return { ...object, ...replaced, metadata };
}
