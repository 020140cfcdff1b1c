/**
 * Names under which a value is taken for a secret whatever it looks like: env variables, ConfigMap
 * keys, annotation keys, HTTP headers, `key=value` and `"key": "value"` in logs. Globs over the
 * name in upper snake case (`clientSecret`, `client-secret` and `CLIENT_SECRET` are one name), so a
 * pattern is written once. Suffix globs on purpose: `*_KEY` takes `API_KEY` but not `KEY` (a
 * ConfigMap key's name in a manifest), `*SECRET` takes `CLIENT_SECRET` but not `SECRET_NAME`.
 */
export const DEFAULT_KEY_PATTERNS: readonly string[] = [
  '*PASSWORD*',
  '*PASSWD*',
  '*PASSPHRASE*',
  '*_PWD',
  '*SECRET',
  '*_SECRET_KEY',
  'TOKEN',
  '*_TOKEN',
  '*_KEY',
  'APIKEY',
  '*_APIKEY',
  '*PRIVATE_KEY*',
  'AUTH',
  '*_AUTH',
  'AUTHORIZATION',
  'DSN',
  '*_DSN',
  '*_CONNECTION_STRING',
];

/**
 * Kubernetes schema fields whose names fit a pattern but whose values never are secrets. Only
 * fields of the API's own schema belong here; a user's key (env, ConfigMap) is never let off.
 */
const SCHEMA_FIELDS: ReadonlySet<string> = new Set(['TOPOLOGY_KEY']);

/** `clientSecret`, `client-secret`, `client.secret`, `--client-secret` → `CLIENT_SECRET`. */
export function normalizeKey(key: string): string {
  return key
    .replace(/^[-_.\s]+/, '')
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1_$2')
    .replace(/[^A-Za-z0-9]+/g, '_')
    .toUpperCase();
}

/** A matcher for names, from globs (`*` is any run of characters; the rest is literal). */
export class KeyPatterns {
  readonly #pattern: RegExp | undefined;

  constructor(globs: readonly string[] = DEFAULT_KEY_PATTERNS) {
    const parts = globs
      .map((glob) => normalizeGlob(glob))
      .filter((glob) => glob !== '')
      .map((glob) => glob.split('*').map(escapeRegExp).join('.*'));
    this.#pattern = parts.length === 0 ? undefined : new RegExp(`^(?:${parts.join('|')})$`);
  }

  /** Is a value under this name a secret? */
  matches(key: string): boolean {
    if (this.#pattern === undefined) return false;
    const name = normalizeKey(key);
    return name !== '' && this.#pattern.test(name);
  }

  /** The same, for a field of a Kubernetes object, where some schema fields are let off. */
  matchesField(key: string): boolean {
    return this.matches(key) && !SCHEMA_FIELDS.has(normalizeKey(key));
  }
}

/** Globs are normalised as names are, keeping their stars and the separators beside them (`*_KEY` must not match `MONKEY`). */
function normalizeGlob(glob: string): string {
  return glob
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/[^A-Za-z0-9*]+/g, '_')
    .toUpperCase();
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
