import { parseFieldPath, type Change, type FieldChange, type FieldPathSegment } from '../core/change.js';
import type { KubeObject } from '../core/kube-object.js';
import type { CheckpointObject, MemoryStore, StoredChange } from '../store/memory-store.js';
import { itemIdentity } from './list-identity.js';

/** Marks a list position a change removed; dropped once every field is applied. */
const REMOVED = Symbol('removed');

type Container = Record<string, unknown> | unknown[];

/**
 * The object after one recorded change, from the object before it: the forward reading of
 * diffObjects. A creation builds the object from its fields (the whole cleaned object); a deletion
 * leaves nothing. Keyed list items are found by identity (a container by name), so the paths mean
 * what they meant when diffed. Fields the diff ignores as churn keep their checkpointed values.
 */
export function applyChange(
  before: KubeObject | undefined,
  change: Pick<Change, 'action' | 'fields' | 'object' | 'resourceVersion'>,
  /** Change `before` itself instead of a copy: for a caller that owns it and drops the old state. */
  options: { readonly inPlace?: boolean } = {},
): KubeObject | undefined {
  if (change.action === 'deleted') return undefined;
  if (change.action === 'modified' && before === undefined) return undefined;
  const root: Record<string, unknown> =
    change.action === 'added'
      ? {}
      : options.inPlace === true
        ? (before as unknown as Record<string, unknown>)
        : (structuredClone(before) as unknown as Record<string, unknown>);
  for (const field of change.fields) applyField(root, field);
  dropRemoved(root);
  const metadata = (root.metadata ?? {}) as Record<string, unknown>;
  metadata.name ??= change.object.name;
  if (change.object.namespace !== undefined) metadata.namespace ??= change.object.namespace;
  if (change.object.uid !== undefined) metadata.uid ??= change.object.uid;
  if (change.resourceVersion !== undefined && change.resourceVersion !== '')
    metadata.resourceVersion = change.resourceVersion;
  root.metadata = metadata;
  root.kind ??= change.object.kind;
  return root as unknown as KubeObject;
}

function applyField(root: Record<string, unknown>, field: FieldChange): void {
  const path = parseFieldPath(field.path);
  if (path === undefined || path.length === 0) {
    // The whole object, or a path this build cannot read: nothing it can place.
    return;
  }
  let parent: Container = root;
  for (const [i, segment] of path.entries()) {
    if (i === path.length - 1) break;
    const child = childOf(parent, segment, listField(path, i));
    if (isContainer(child)) {
      parent = child;
      continue;
    }
    if (field.op === 'removed') return; // Already gone.
    const next = path[i + 1];
    const made: Container = next !== undefined && 'key' in next ? {} : [];
    setChild(parent, segment, listField(path, i), made);
    parent = made;
  }
  const last = path[path.length - 1];
  if (last === undefined) return;
  const list = listField(path, path.length - 1);
  if (field.op === 'removed') removeChild(parent, last, list);
  else if (field.new !== undefined) setChild(parent, last, list, structuredClone(field.new));
  // A changed value not kept (a Secret value that could not be digested): it can only be left out.
  else removeChild(parent, last, list);
}

/** The list field an `item` segment at `index` belongs to: the key before it (`containers`). */
function listField(path: readonly FieldPathSegment[], index: number): string | undefined {
  const previous = path[index - 1];
  return previous !== undefined && 'key' in previous ? previous.key : undefined;
}

function childOf(parent: Container, segment: FieldPathSegment, field: string | undefined): unknown {
  if ('key' in segment) return Array.isArray(parent) ? undefined : ownValue(parent, segment.key);
  if (!Array.isArray(parent)) return undefined;
  if ('index' in segment) return parent[segment.index];
  return parent.find((item) => field !== undefined && itemIdentity(field, item) === segment.item);
}

function setChild(
  parent: Container,
  segment: FieldPathSegment,
  field: string | undefined,
  value: unknown,
): void {
  if ('key' in segment) {
    if (!Array.isArray(parent))
      Object.defineProperty(parent, segment.key, {
        value,
        enumerable: true,
        writable: true,
        configurable: true,
      });
    return;
  }
  if (!Array.isArray(parent)) return;
  if ('index' in segment) {
    parent[segment.index] = value;
    return;
  }
  const at = parent.findIndex((item) => field !== undefined && itemIdentity(field, item) === segment.item);
  if (at >= 0) parent[at] = value;
  else parent.push(value);
}

function removeChild(parent: Container, segment: FieldPathSegment, field: string | undefined): void {
  if ('key' in segment) {
    if (!Array.isArray(parent)) Reflect.deleteProperty(parent, segment.key);
    return;
  }
  if (!Array.isArray(parent)) return;
  if ('index' in segment) {
    // Positions are removed from the end of a list; mark, so the later indexes still mean the same.
    if (segment.index < parent.length) parent[segment.index] = REMOVED;
    return;
  }
  const at = parent.findIndex((item) => field !== undefined && itemIdentity(field, item) === segment.item);
  if (at >= 0) parent.splice(at, 1);
}

/** An own property only: `__proto__` or `constructor` in a path is data, never the prototype. */
function ownValue(map: Record<string, unknown>, key: string): unknown {
  return Object.prototype.hasOwnProperty.call(map, key) ? map[key] : undefined;
}

function dropRemoved(value: unknown): void {
  if (Array.isArray(value)) {
    for (let i = value.length - 1; i >= 0; i--) if (value[i] === REMOVED) value.splice(i, 1);
    for (const item of value) dropRemoved(item);
  } else if (isContainer(value)) {
    for (const item of Object.values(value)) dropRemoved(item);
  }
}

function isContainer(value: unknown): value is Container {
  return typeof value === 'object' && value !== null;
}

function keyOf(ref: { readonly kind: string; readonly namespace?: string; readonly name: string }): string {
  return `${ref.kind}/${ref.namespace ?? ''}/${ref.name}`;
}

export interface ReconstructInput {
  /** Each object's newest checkpoint at or before `atMs`. */
  readonly checkpoints: readonly CheckpointObject[];
  /** The changes after the oldest of those checkpoints, up to `atMs` (more are ignored). */
  readonly changes: readonly StoredChange[];
  readonly atMs: number;
  /**
   * The checkpoints' objects are the caller's to give away (fresh from the store): they are
   * changed in place rather than copied first. Otherwise the input is left as it was.
   */
  readonly consumeCheckpoints?: boolean;
}

/**
 * The objects as they were at `atMs`: each object's checkpoint with the changes after it applied in
 * order; objects created since appear, deleted ones are gone, one re-created under the same name
 * is the new one.
 */
export function reconstructAt(input: ReconstructInput): KubeObject[] {
  const state = new Map<string, { object: KubeObject; sinceMs: number; owned: boolean }>();
  for (const { atMs, object } of input.checkpoints) {
    if (atMs > input.atMs) continue;
    state.set(keyOf({ kind: object.kind, ...object.metadata }), {
      object,
      sinceMs: atMs,
      owned: input.consumeCheckpoints === true,
    });
  }
  const ordered = [...input.changes].sort((a, b) => a.at.localeCompare(b.at) || a.id - b.id);
  for (const change of ordered) {
    const atMs = Date.parse(change.at);
    if (atMs > input.atMs) break;
    const key = keyOf(change.object);
    const entry = state.get(key);
    // Already in the object's checkpoint.
    if (entry !== undefined && atMs < entry.sinceMs) continue;
    const sameObject =
      entry === undefined ||
      change.object.uid === undefined ||
      entry.object.metadata.uid === undefined ||
      entry.object.metadata.uid === change.object.uid;
    if (change.action === 'added') {
      const created = applyChange(undefined, change);
      if (created !== undefined) state.set(key, { object: created, sinceMs: atMs, owned: true });
      continue;
    }
    if (!sameObject) continue; // A change of an earlier object of that name, already replaced.
    // An object this function made (or was given) is changed in place: copying every object at
    // every change is most of the time a 10,000-object replay would take.
    const after = applyChange(entry?.object, change, { inPlace: entry?.owned === true });
    if (after === undefined) state.delete(key);
    else state.set(key, { object: after, sinceMs: atMs, owned: true });
  }
  return [...state.values()].map((entry) => entry.object);
}

/** The objects (in a namespace, and cluster-scoped ones) as the store recorded them at `atMs`. */
export async function loadStateAt(
  store: MemoryStore,
  options: { readonly atMs: number; readonly namespace?: string },
): Promise<KubeObject[]> {
  const { atMs, namespace } = options;
  const checkpoints = [
    ...(await store.checkpointsBefore(atMs, namespace)),
    ...(namespace === undefined
      ? []
      : (await store.checkpointsBefore(atMs, '')).filter((c) => c.object.metadata.namespace === undefined)),
  ];
  // From the oldest checkpoint used; with none, from the start of the recording.
  const fromMs = checkpoints.length === 0 ? 0 : Math.min(...checkpoints.map((c) => c.atMs));
  const changes = [
    ...(await store.changesBetween({ from: fromMs, to: atMs }, namespace)),
    ...(namespace === undefined ? [] : await store.changesBetween({ from: fromMs, to: atMs }, '')),
  ];
  return reconstructAt({ checkpoints, changes, atMs, consumeCheckpoints: true });
}
