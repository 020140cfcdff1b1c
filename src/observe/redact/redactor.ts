import type { KubeObject } from '../../core/kube-object.js';
import { HIGH_ENTROPY_CANDIDATE, isHighEntropy } from './high-entropy.js';
import { KeyPatterns } from './key-patterns.js';
import { MARKER, markerFor, VALUE_DETECTORS, type ValueDetector } from './value-detectors.js';

/** Where a redacted value stood, for the report. */
export const REDACTION_LOCATIONS = ['env', 'manifest', 'log', 'event'] as const;
export type RedactionLocation = (typeof REDACTION_LOCATIONS)[number];

/** What was redacted, in counts: never a value, never a hint of one. */
export interface RedactionReport {
  readonly total: number;
  readonly byDetector: Readonly<Record<string, number>>;
  readonly byLocation: Readonly<Record<RedactionLocation, number>>;
}

export interface RedactionConfig {
  /** Globs over names (see key-patterns.ts); default DEFAULT_KEY_PATTERNS. */
  readonly keyPatterns?: readonly string[];
  /** More detectors by look, run after the built-in ones: a name and a regular expression. */
  readonly extraValuePatterns?: readonly { readonly name: string; readonly pattern: string }[];
  /** The catch-all for random-looking strings (high-entropy.ts). Default on. */
  readonly highEntropy?: boolean;
}

/** Redaction could not be finished: whatever it was given must not be sent (fail closed). */
export class RedactionError extends Error {
  constructor(message: string, options?: { readonly cause?: unknown }) {
    super(message, options);
    this.name = 'RedactionError';
  }
}

const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';
/** Deeper than any Kubernetes object; a cycle or a hostile document stops here, unsent. */
const MAX_DEPTH = 64;
/**
 * Under a secret's name, these say nothing: a flag, an empty value, a reference to another
 * variable, or an absolute file path (`--tls-key-file=/etc/certs/key.pem` names where the secret is).
 */
const SAYS_NOTHING =
  /^(?:|true|false|null|yes|no|\$\([A-Za-z_][A-Za-z0-9_]*\)|\$\{[A-Za-z_][A-Za-z0-9_]*\}|(?:\/[A-Za-z0-9_.-]+)+\/?)$/i;
/**
 * `key=value`, `key: value`, `"key": "value"`, `\"key\":\"value\"` (JSON inside a log line) and
 * `--key=value`; the value quoted (kept whole) or up to whitespace or punctuation.
 * The key is a word of its own: `…/vsystem-auth:3.3` is an image reference, not `auth` set to `3.3`.
 */
const NAMED_VALUE =
  /(?<![A-Za-z0-9_./@:-])(\\?["']?|--?)([A-Za-z_][A-Za-z0-9_.-]{0,63})(\\?["']?[ \t]*[=:][ \t]*)(\\"(?:[^"\\]|\\[^"])*\\"|"(?:[^"\\\n]|\\.)*"|'[^'\n]*'|[^\s,;&'"{}[\]()<>]+)/g;
const FLAG = /^--?[A-Za-z][A-Za-z0-9_.-]*$/;

/**
 * Takes secrets out of what an incident carries: env values, manifests (annotations and the
 * last-applied copy included), logs and event messages. A value goes when its name says it is a
 * secret (key patterns) or its look does (value detectors, high entropy). Secret objects keep
 * their keys and lose every value. One redactor per incident: its report counts what it took.
 *
 * Fails closed: anything it cannot finish throws RedactionError, and the caller sends nothing.
 */
export class Redactor {
  readonly #keys: KeyPatterns;
  readonly #detectors: readonly ValueDetector[];
  readonly #highEntropy: boolean;
  readonly #byDetector = new Map<string, number>();
  readonly #byLocation = new Map<RedactionLocation, number>();

  constructor(config: RedactionConfig = {}) {
    this.#keys = new KeyPatterns(config.keyPatterns);
    this.#detectors = [
      ...VALUE_DETECTORS,
      ...(config.extraValuePatterns ?? []).map(({ name, pattern }) => ({
        name,
        pattern: new RegExp(pattern, 'g'),
      })),
    ];
    this.#highEntropy = config.highEntropy ?? true;
  }

  /** A log, an event message, any free text. */
  text(text: string, location: RedactionLocation): string {
    return this.#guard(() => this.#text(text, location));
  }

  /** A Kubernetes object (a manifest); never changes the one given. */
  object<T extends KubeObject>(object: T, location: RedactionLocation = 'manifest'): T {
    return this.#guard(() => {
      if (object.kind === 'Secret') return this.#secret(object) as T;
      return this.#walk(object, undefined, location, 0) as T;
    });
  }

  report(): RedactionReport {
    const byLocation = Object.fromEntries(
      REDACTION_LOCATIONS.map((location) => [location, this.#byLocation.get(location) ?? 0]),
    ) as Record<RedactionLocation, number>;
    return {
      total: this.#taken(),
      byDetector: Object.fromEntries([...this.#byDetector].sort(([a], [b]) => a.localeCompare(b))),
      byLocation,
    };
  }

  #guard<T>(work: () => T): T {
    try {
      return work();
    } catch (error) {
      if (error instanceof RedactionError) throw error;
      throw new RedactionError(
        `redaction failed: ${error instanceof Error ? error.message : String(error)}`,
        {
          cause: error,
        },
      );
    }
  }

  #count(detector: string, location: RedactionLocation): void {
    this.#byDetector.set(detector, (this.#byDetector.get(detector) ?? 0) + 1);
    this.#byLocation.set(location, (this.#byLocation.get(location) ?? 0) + 1);
  }

  #redacted(detector: string, location: RedactionLocation): string {
    this.#count(detector, location);
    return markerFor(detector);
  }

  #text(text: string, location: RedactionLocation): string {
    let out = text;
    for (const detector of this.#detectors) {
      out = out.replace(detector.pattern, (match: string, ...groups: unknown[]) => {
        const marker = this.#redacted(detector.name, location);
        // The groups come first, then the offset (a number) and the whole text.
        const end = groups.findIndex((g) => typeof g === 'number');
        const captured = groups.slice(0, end) as (string | undefined)[];
        return detector.replace === undefined ? marker : detector.replace(marker, match, ...captured);
      });
    }
    out = out.replace(
      NAMED_VALUE,
      (match: string, open: string, key: string, separator: string, value: string) => {
        if (!this.#keys.matches(key) || MARKER.test(value)) return match;
        const quote = /^\\?["']/.exec(value)?.[0] ?? '';
        const bare = quote === '' ? value : value.slice(quote.length, value.length - quote.length);
        if (SAYS_NOTHING.test(bare)) return match;
        return `${open}${key}${separator}${quote}${this.#redacted('named-secret', location)}${quote}`;
      },
    );
    if (this.#highEntropy)
      out = out.replace(HIGH_ENTROPY_CANDIDATE, (token) =>
        isHighEntropy(token) ? this.#redacted('high-entropy', location) : token,
      );
    return out;
  }

  /** A Secret keeps its metadata and the names of its keys; no value and no last-applied copy. */
  #secret(secret: KubeObject): KubeObject {
    const blank = (data: unknown): Record<string, string> | undefined =>
      typeof data === 'object' && data !== null
        ? Object.fromEntries(Object.keys(data).map((key) => [key, this.#redacted('secret-data', 'manifest')]))
        : undefined;
    const annotations = { ...secret.metadata.annotations };
    if (annotations[LAST_APPLIED] !== undefined)
      annotations[LAST_APPLIED] = this.#redacted('secret-data', 'manifest');
    const data = blank(secret['data']);
    const stringData = blank(secret['stringData']);
    return {
      ...secret,
      metadata: { ...secret.metadata, ...(secret.metadata.annotations === undefined ? {} : { annotations }) },
      ...(data === undefined ? {} : { data }),
      ...(stringData === undefined ? {} : { stringData }),
    };
  }

  #walk(value: unknown, key: string | undefined, location: RedactionLocation, depth: number): unknown {
    if (depth > MAX_DEPTH)
      throw new RedactionError(`an object nested deeper than ${String(MAX_DEPTH)} levels`);
    if (typeof value === 'string') {
      if (
        key !== undefined &&
        this.#keys.matchesField(key) &&
        !SAYS_NOTHING.test(value) &&
        !MARKER.test(value)
      )
        return this.#redacted('named-secret', location);
      if (key === LAST_APPLIED) return this.#lastApplied(value, location, depth);
      return this.#text(value, location);
    }
    if (Array.isArray(value)) {
      const items = value.map((item) => this.#walk(item, undefined, location, depth + 1));
      return key === 'args' || key === 'command' ? this.#flagValues(items, location) : items;
    }
    if (typeof value !== 'object' || value === null) return value;
    const record = value as Record<string, unknown>;
    // `{ name, value }`: an env variable, an HTTP header. The name decides for the value.
    if (typeof record['name'] === 'string' && typeof record['value'] === 'string') {
      const secret = this.#keys.matches(record['name']) && !SAYS_NOTHING.test(record['value']);
      if (secret) {
        const rest = this.#walk({ ...record, value: '' }, key, location, depth) as Record<string, unknown>;
        return { ...rest, value: this.#redacted('named-secret', location) };
      }
    }
    return Object.fromEntries(
      Object.entries(record).map(([field, inner]) => [
        field,
        this.#walk(inner, field, field === 'env' ? 'env' : location, depth + 1),
      ]),
    );
  }

  /** `["--db-password", "hunter2"]`: the value after a flag named like a secret. */
  #flagValues(items: unknown[], location: RedactionLocation): unknown[] {
    return items.map((item, index) => {
      const flag = items[index - 1];
      const secret =
        typeof flag === 'string' &&
        FLAG.test(flag) &&
        this.#keys.matches(flag) &&
        typeof item === 'string' &&
        !FLAG.test(item) &&
        !MARKER.test(item);
      return secret ? this.#redacted('named-secret', location) : item;
    });
  }

  /** The last-applied copy is the whole manifest again, as JSON: redacted as one; unreadable, dropped. */
  #lastApplied(text: string, location: RedactionLocation, depth: number): string {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      return this.#redacted('unreadable-last-applied', location);
    }
    if (typeof parsed === 'object' && parsed !== null && (parsed as { kind?: unknown }).kind === 'Secret')
      return this.#redacted('secret-data', location);
    const before = this.#taken();
    const redacted = JSON.stringify(this.#walk(parsed, undefined, location, depth + 1));
    // Nothing taken: the copy as kubectl wrote it (its key order and trailing newline).
    return this.#taken() === before ? text : redacted;
  }

  #taken(): number {
    let total = 0;
    for (const n of this.#byDetector.values()) total += n;
    return total;
  }
}
