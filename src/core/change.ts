/**
 * One recorded change of one object: what moved (field by field), what a person reads about it,
 * who moved it and why. The memory tier's unit of record: the recorder makes them, the store keeps
 * them, `timeline`, `why` and `replay` read them. Plain serialisable values only.
 */

/** What happened to the object as a whole, as the watch reported it. */
export const CHANGE_ACTIONS = ['added', 'modified', 'deleted'] as const;
export type ChangeAction = (typeof CHANGE_ACTIONS)[number];

/** What happened to one field. */
export const FIELD_OPS = ['added', 'removed', 'changed'] as const;
export type FieldOp = (typeof FIELD_OPS)[number];

/** The two operations a managedFields entry records. */
export const MANAGED_FIELDS_OPERATIONS = ['Update', 'Apply'] as const;
export type ManagedFieldsOperation = (typeof MANAGED_FIELDS_OPERATIONS)[number];

/** A value as JSON carries it: what a field held before or after. */
export type JsonValue =
  null | boolean | number | string | readonly JsonValue[] | { readonly [key: string]: JsonValue };

/** One field that moved. */
export interface FieldChange {
  /**
   * Where, readable and stable (see {@link formatFieldPath}): `spec.replicas`,
   * `spec.template.spec.containers[api].image`, `data.CACHE_SIZE`,
   * `metadata.labels["app.kubernetes.io/name"]`. List items are named by their identity (a
   * container's name, a condition's type) so a reorder or an insert moves no path.
   */
  readonly path: string;
  readonly op: FieldOp;
  /**
   * The value before; absent when the field was added, or when it must not be kept (a Secret value
   * that could not be digested). For Secrets and ConfigMap `binaryData` a digest, never the value.
   */
  readonly old?: JsonValue;
  /** The value after; absent when the field was removed. Digested like `old`. */
  readonly new?: JsonValue;
}

/** The object a change is about. */
export interface ChangedObject {
  /** Canonical kind: `Deployment`. */
  readonly kind: string;
  /** Absent for cluster-scoped kinds. */
  readonly namespace?: string;
  readonly name: string;
  /** Tells a re-created object from its predecessor of the same name. */
  readonly uid?: string;
}

/** Who made a change, as far as the cluster (and an audit log, when given) says. */
export interface ChangeActor {
  /** The field manager that moved: `kubectl-edit`, `kube-controller-manager`, `helm`. */
  readonly manager?: string;
  /** How it wrote: `Update` (PUT/PATCH) or `Apply` (server-side apply). */
  readonly operation?: ManagedFieldsOperation;
  /** The subresource it wrote through, when not the object itself: `status`, `scale`. */
  readonly subresource?: string;
  /** The authenticated user that made the request, from the audit log: `kubernetes-admin`. */
  readonly user?: string;
  /** The user `user` acted as (`kubectl --as`), from the audit log; absent without impersonation. */
  readonly impersonatedUser?: string;
  /** The client, from the audit log: `kubectl/v1.30.2 (linux/amd64) kubernetes/39683505`. */
  readonly userAgent?: string;
  /** Where the request came from, from the audit log. */
  readonly sourceIPs?: readonly string[];
}

/** Why a change was made, as the object itself says. */
export interface ChangeReason {
  /** The `kubernetes.io/change-cause` annotation. */
  readonly changeCause?: string;
  /** The `ops.kubectl-smart.io/why` annotation. */
  readonly why?: string;
  /** The rollout the change belongs to: `Deployment/api revision 7`. */
  readonly rollout?: string;
}

/** One change of one object. */
export interface Change {
  /** ISO time the change was seen. */
  readonly at: string;
  readonly object: ChangedObject;
  /** The object's resourceVersion after the change; with the object, identifies the change. */
  readonly resourceVersion?: string;
  readonly action: ChangeAction;
  /** The fields that moved, in a deterministic order; churn (resourceVersion, heartbeats) left out. */
  readonly fields: readonly FieldChange[];
  /** What a person reads, one line each: `scaled 3→5`, `image api:1.4→api:1.5`. */
  readonly summary: readonly string[];
  readonly actor?: ChangeActor;
  readonly reason?: ChangeReason;
}

/**
 * One step of a field path: a map key (`spec`, `app.kubernetes.io/name`), a list item named by its
 * identity (`api`), or a list position.
 */
export type FieldPathSegment =
  { readonly key: string } | { readonly item: string } | { readonly index: number };

const BARE_KEY = /^[\w-]+$/;
const BARE_ITEM = /^[^[\]"=]+$/;
const DIGITS = /^\d+$/;

/**
 * Writes a path the way people read one: keys joined by dots (`spec.replicas`), keys that are not
 * plain words JSON-quoted in brackets (`metadata.labels["app.kubernetes.io/name"]`), list items by
 * identity in brackets (`containers[api]`), positions as numbers (`args[0]`). An identity that
 * would read as something else (all digits, brackets, quotes) is written `[="…"]`.
 */
export function formatFieldPath(segments: readonly FieldPathSegment[]): string {
  let path = '';
  for (const segment of segments) {
    if ('key' in segment) {
      if (BARE_KEY.test(segment.key)) path += path === '' ? segment.key : `.${segment.key}`;
      else path += `[${JSON.stringify(segment.key)}]`;
    } else if ('item' in segment) {
      path +=
        BARE_ITEM.test(segment.item) && !DIGITS.test(segment.item)
          ? `[${segment.item}]`
          : `[=${JSON.stringify(segment.item)}]`;
    } else {
      path += `[${String(segment.index)}]`;
    }
  }
  return path;
}

/**
 * Reads a path written by {@link formatFieldPath} (or typed by a person, `why --field`) back into
 * segments; undefined when it is not one.
 */
export function parseFieldPath(path: string): FieldPathSegment[] | undefined {
  const segments: FieldPathSegment[] = [];
  let at = 0;
  while (at < path.length) {
    const char = path[at];
    if (char === '.' || (at === 0 && char !== '[')) {
      const start = char === '.' ? at + 1 : at;
      let end = start;
      while (end < path.length && path[end] !== '.' && path[end] !== '[') end++;
      const key = path.slice(start, end);
      if (!BARE_KEY.test(key)) return undefined;
      segments.push({ key });
      at = end;
      continue;
    }
    if (char !== '[') return undefined;
    const quoted = path[at + 1] === '"' ? at + 1 : path.startsWith('="', at + 1) ? at + 2 : -1;
    if (quoted !== -1) {
      const end = closingQuote(path, quoted);
      if (end === -1 || path[end + 1] !== ']') return undefined;
      const text = jsonString(path.slice(quoted, end + 1));
      if (text === undefined) return undefined;
      segments.push(quoted === at + 1 ? { key: text } : { item: text });
      at = end + 2;
      continue;
    }
    const end = path.indexOf(']', at);
    if (end === -1) return undefined;
    const inside = path.slice(at + 1, end);
    if (inside === '') return undefined;
    segments.push(DIGITS.test(inside) ? { index: Number(inside) } : { item: inside });
    at = end + 1;
  }
  return segments;
}

function jsonString(text: string): string | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'string' ? value : undefined;
  } catch {
    return undefined;
  }
}

/** Index of the quote closing the JSON string that opens at `start`, or -1. */
function closingQuote(text: string, start: number): number {
  for (let at = start + 1; at < text.length; at++) {
    if (text[at] === '\\') at++;
    else if (text[at] === '"') return at;
  }
  return -1;
}
