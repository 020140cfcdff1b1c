import { formatFieldPath, type FieldChange, type FieldPathSegment, type JsonValue } from '../core/change.js';
import type { KubeObject } from '../core/kube-object.js';
import { isIgnoredField } from './ignored-fields.js';
import { isKeyedList, itemIdentity } from './list-identity.js';
import { digestDataValue, isDigestedMap, type DataMap, type DigestKey } from './secret-digest.js';

export interface DiffOptions {
  /**
   * The store's digest key. Secret values become keyed digests; without a key they are left out
   * altogether (the change still shows, its values do not).
   */
  readonly secretKey?: DigestKey;
}

/** Lists of scalars up to this long are compared as wholes (`args`, `command`, `finalizers`). */
const WHOLE_SCALAR_LIST_MAX = 32;

interface Walk {
  readonly kind: string;
  readonly action: 'added' | 'modified';
  readonly secretKey: DigestKey | undefined;
  readonly out: FieldChange[];
}

/**
 * The fields that moved between two states of one object, in a deterministic order (map keys
 * sorted; keyed list items in the order of the newer list, then the removed ones).
 *
 * - Lists of objects with an identity (containers by name, conditions by type, taints by key and
 *   effect: see list-identity.ts) are matched by it, so a reorder is no change and an insert is one
 *   `added`; other lists of objects by position; lists of scalars as wholes when short.
 * - A field appearing or disappearing is one change carrying its whole value, except string maps
 *   (labels, data, limits) and keyed lists, which show key by key.
 * - Churn is left out (ignored-fields.ts); Events give no diff at all.
 * - Secret values (data, stringData, binaryData) and ConfigMap binaryData are never emitted: a
 *   digest stands in for each (see secret-digest.ts), or nothing when none can be made.
 * - null and a missing field are the same, as the API server treats them.
 *
 * `before` undefined: the object was created; its fields come back as `added` (the whole object,
 * redacted and without churn, so it can be rebuilt). `after` undefined: it was deleted; no fields,
 * since its last state is already in the changes before.
 */
export function diffObjects(
  before: KubeObject | undefined,
  after: KubeObject | undefined,
  options: DiffOptions = {},
): FieldChange[] {
  if (after === undefined) return [];
  const walk: Walk = {
    kind: after.kind,
    action: before === undefined ? 'added' : 'modified',
    secretKey: options.secretKey,
    out: [],
  };
  diffValue(walk, [], before ?? {}, after);
  return walk.out;
}

function diffValue(
  walk: Walk,
  path: readonly FieldPathSegment[],
  oldValue: unknown,
  newValue: unknown,
): void {
  if (isIgnoredField(walk.kind, path, walk.action)) return;
  const before = oldValue ?? undefined;
  const after = newValue ?? undefined;
  if (before === undefined && after === undefined) return;
  const leafMap = digestedLeaf(walk.kind, path);
  if (leafMap !== undefined) {
    diffDigested(walk, path, leafMap, before, after);
    return;
  }
  if (before === undefined || after === undefined) {
    const present = before ?? after;
    if (showsKeyByKey(walk.kind, path, present)) {
      const empty = Array.isArray(present) ? [] : {};
      diffValue(walk, path, before ?? empty, after ?? empty);
    } else if (before === undefined) {
      push(walk, path, 'added', undefined, clean(walk, path, after));
    } else {
      push(walk, path, 'removed', clean(walk, path, before), undefined);
    }
    return;
  }
  if (isMap(before) && isMap(after)) {
    const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort(byCodeUnit);
    for (const key of keys) diffValue(walk, [...path, { key }], before[key], after[key]);
    return;
  }
  if (Array.isArray(before) && Array.isArray(after)) {
    diffList(walk, path, before, after);
    return;
  }
  if (digestedMapAt(walk.kind, path) !== undefined) {
    // A Secret's data that is not a map of values: which part is a value cannot be told, keep none.
    if (!equalJson(before, after)) push(walk, path, 'changed', undefined, undefined);
    return;
  }
  if (!equalJson(before, after))
    push(walk, path, 'changed', clean(walk, path, before), clean(walk, path, after));
}

function diffList(
  walk: Walk,
  path: readonly FieldPathSegment[],
  before: readonly unknown[],
  after: readonly unknown[],
): void {
  if (equalJson(before, after)) return;
  if (before.every(isScalar) && after.every(isScalar)) {
    if (before.length <= WHOLE_SCALAR_LIST_MAX && after.length <= WHOLE_SCALAR_LIST_MAX) {
      push(walk, path, 'changed', clean(walk, path, before), clean(walk, path, after));
      return;
    }
  } else {
    const oldItems = keyedItems(path, before);
    const newItems = keyedItems(path, after);
    if (oldItems !== undefined && newItems !== undefined) {
      for (const [item, value] of newItems) diffValue(walk, [...path, { item }], oldItems.get(item), value);
      for (const [item, value] of oldItems)
        if (!newItems.has(item)) diffValue(walk, [...path, { item }], value, undefined);
      return;
    }
  }
  const length = Math.max(before.length, after.length);
  for (let index = 0; index < length; index++)
    diffValue(walk, [...path, { index }], before[index], after[index]);
}

/** The items of a keyed list by identity, in order; undefined when some item has none or two share one. */
function keyedItems(
  path: readonly FieldPathSegment[],
  list: readonly unknown[],
): Map<string, unknown> | undefined {
  const field = lastKey(path);
  if (field === undefined || !isKeyedList(field)) return undefined;
  const items = new Map<string, unknown>();
  for (const value of list) {
    const identity = itemIdentity(field, value);
    if (identity === undefined || items.has(identity)) return undefined;
    items.set(identity, value);
  }
  return items;
}

/**
 * Maps whose keys are names people chose (labels, ConfigMap keys, resource names), shown key by key
 * when the whole map appears or goes; and maps of those (`resources`, a workload's `selector`).
 * Structured values (a probe, a container's `state.waiting`) stay whole: they read better as one.
 */
const KEY_BY_KEY_MAPS = new Set([
  'labels',
  'annotations',
  'data',
  'binaryData',
  'stringData',
  'resources',
  'limits',
  'requests',
  'nodeSelector',
  'selector',
  'matchLabels',
  'capacity',
  'allocatable',
  'hard',
  'used',
  'parameters',
]);

/**
 * True when a field that appears or disappears should show key by key rather than as one value:
 * the maps above, keyed lists (env, ports) and the maps of Secret values (which must be digested
 * one by one). A list item (a container) stays whole.
 */
function showsKeyByKey(kind: string, path: readonly FieldPathSegment[], value: unknown): boolean {
  if (path.length === 0) return true;
  const field = lastKey(path);
  if (field === undefined) return false;
  if (isMap(value)) return KEY_BY_KEY_MAPS.has(field) || digestedMapAt(kind, path) !== undefined;
  return Array.isArray(value) && value.length > 0 && keyedItems(path, value) !== undefined;
}

/** One value of a Secret or of a ConfigMap's binaryData: compared and shown by digest only. */
function diffDigested(
  walk: Walk,
  path: readonly FieldPathSegment[],
  map: DataMap,
  before: unknown,
  after: unknown,
): void {
  const oldDigest =
    before === undefined ? undefined : digestDataValue(walk.kind, map, before, walk.secretKey);
  const newDigest = after === undefined ? undefined : digestDataValue(walk.kind, map, after, walk.secretKey);
  const same =
    oldDigest !== undefined && newDigest !== undefined ? oldDigest === newDigest : equalJson(before, after);
  if (same) return;
  const op = before === undefined ? 'added' : after === undefined ? 'removed' : 'changed';
  push(walk, path, op, oldDigest, newDigest);
}

/** The map (`data`, `binaryData`, `stringData`) whose values sit at `path`, if they must be digested. */
function digestedLeaf(kind: string, path: readonly FieldPathSegment[]): DataMap | undefined {
  return path.length === 2 ? digestedMapAt(kind, path.slice(0, 1)) : undefined;
}

/** The map at `path` when it is one whose values must be digested (`data` of a Secret). */
function digestedMapAt(kind: string, path: readonly FieldPathSegment[]): DataMap | undefined {
  const first = path[0];
  if (path.length !== 1 || first === undefined || !('key' in first)) return undefined;
  return isDigestedMap(kind, first.key) ? first.key : undefined;
}

/**
 * A value as it may be kept: churn under it dropped, Secret values digested (or dropped when they
 * cannot be), anything that is not JSON dropped.
 */
function clean(walk: Walk, path: readonly FieldPathSegment[], value: unknown): JsonValue | undefined {
  if (value === undefined || isIgnoredField(walk.kind, path, walk.action)) return undefined;
  const leafMap = digestedLeaf(walk.kind, path);
  if (leafMap !== undefined) return digestDataValue(walk.kind, leafMap, value, walk.secretKey);
  // A Secret's data that is not a map of values: which part is a value cannot be told, keep none.
  if (digestedMapAt(walk.kind, path) !== undefined && !isMap(value)) return undefined;
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return value;
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  if (Array.isArray(value)) {
    const items: JsonValue[] = [];
    value.forEach((item: unknown, index) => {
      const kept = clean(walk, [...path, { index }], item);
      if (kept !== undefined) items.push(kept);
    });
    return items;
  }
  if (isMap(value)) {
    const kept: Record<string, JsonValue> = {};
    for (const [key, item] of Object.entries(value)) {
      const cleaned = clean(walk, [...path, { key }], item);
      if (cleaned !== undefined) kept[key] = cleaned;
    }
    return kept;
  }
  return undefined;
}

function push(
  walk: Walk,
  path: readonly FieldPathSegment[],
  op: FieldChange['op'],
  oldValue: JsonValue | undefined,
  newValue: JsonValue | undefined,
): void {
  walk.out.push({
    path: formatFieldPath(path),
    op,
    ...(oldValue === undefined ? {} : { old: oldValue }),
    ...(newValue === undefined ? {} : { new: newValue }),
  });
}

/** Structural equality of JSON values, a null field the same as a missing one. */
export function equalJson(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (a === null || b === null || a === undefined || b === undefined)
    return (a ?? undefined) === (b ?? undefined);
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
    return a.every((item: unknown, index) => equalJson(item, b[index]));
  }
  if (!isMap(a) || !isMap(b)) return false;
  for (const key of Object.keys(a)) if (!equalJson(a[key], b[key])) return false;
  for (const key of Object.keys(b)) if (!(key in a) && (b[key] ?? undefined) !== undefined) return false;
  return true;
}

function isMap(value: unknown): value is Readonly<Record<string, unknown>> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isScalar(value: unknown): boolean {
  return (
    value === null || typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean'
  );
}

function lastKey(path: readonly FieldPathSegment[]): string | undefined {
  const last = path.at(-1);
  return last !== undefined && 'key' in last ? last.key : undefined;
}

function byCodeUnit(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
