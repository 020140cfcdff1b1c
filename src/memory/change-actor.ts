import {
  MANAGED_FIELDS_OPERATIONS,
  parseFieldPath,
  type ChangeAction,
  type ChangeActor,
  type ChangeReason,
  type FieldChange,
  type FieldPathSegment,
  type ManagedFieldsOperation,
} from '../core/change.js';
import type { KubeObject } from '../core/kube-object.js';
import { timeMs } from '../core/time.js';
import { equalJson } from './field-diff.js';
import { itemIdentity } from './list-identity.js';

/** One entry of `metadata.managedFields`, as the API server writes it. */
export interface ManagedFieldsEntry {
  readonly manager?: string;
  readonly operation?: string;
  readonly apiVersion?: string;
  readonly time?: string;
  readonly fieldsType?: string;
  readonly fieldsV1?: unknown;
  readonly subresource?: string;
}

export const CHANGE_CAUSE_ANNOTATION = 'kubernetes.io/change-cause';
export const WHY_ANNOTATION = 'ops.kubectl-smart.io/why';
export const REVISION_ANNOTATION = 'deployment.kubernetes.io/revision';

/**
 * Who made a change, from the managedFields of the object after it: of the entries that own a field
 * that moved, the one written last (a tie goes to the one owning more of the moved fields, then to
 * the first listed); when none owns one (a field removed is owned by nobody afterwards), the entry
 * written last. For a creation, the creator: the first entry written to the object itself (not to
 * a subresource such as status). Undefined when the object has no managedFields.
 *
 * managedFields times have one-second resolution and move only when their manager writes, so the
 * newest owner of a moved field is the writer of this change in all but a race within one second.
 */
export function actorOf(
  after: KubeObject,
  fields: readonly FieldChange[],
  action: Exclude<ChangeAction, 'deleted'> = 'modified',
): ChangeActor | undefined {
  const entries = managedFieldsOf(after);
  if (entries.length === 0) return undefined;
  if (action === 'added') return toActor(creator(entries));
  const paths = fields
    .map((field) => parseFieldPath(field.path))
    .filter((path): path is FieldPathSegment[] => path !== undefined);
  let best: { entry: ManagedFieldsEntry; time: number; owned: number } | undefined;
  for (const entry of entries) {
    const owned = paths.filter((path) => ownsPath(entry.fieldsV1, path, after)).length;
    if (owned === 0) continue;
    const time = timeMs(entry.time) ?? Number.NEGATIVE_INFINITY;
    if (best === undefined || time > best.time || (time === best.time && owned > best.owned))
      best = { entry, time, owned };
  }
  return toActor(best?.entry ?? newest(entries));
}

/**
 * True when a managedFields `fieldsV1` set owns the field at `path` of `object`: the path leads
 * through it (`f:spec` → `f:template` → … ; a list item by its `k:{"name":"api"}` key, matched
 * against the item in `object`), or reaches a leaf on the way (the manager owns the whole value
 * there, an atomic list such as `f:args`).
 */
export function ownsPath(fieldsV1: unknown, path: readonly FieldPathSegment[], object: unknown): boolean {
  let node = fieldsV1;
  let value = object;
  let listField: string | undefined;
  for (const [depth, segment] of path.entries()) {
    if (!isRecord(node)) return false;
    // An empty set at the top owns nothing; an empty set below it owns the whole value there.
    if (Object.keys(node).length === 0) return depth > 0;
    if ('key' in segment) {
      node = node[`f:${segment.key}`];
      value = isRecord(value) ? value[segment.key] : undefined;
      listField = segment.key;
      continue;
    }
    const list = Array.isArray(value) ? (value as readonly unknown[]) : [];
    const item =
      'item' in segment
        ? list.find(
            (candidate) => listField !== undefined && itemIdentity(listField, candidate) === segment.item,
          )
        : list[segment.index];
    node =
      'index' in segment
        ? (node[`i:${String(segment.index)}`] ?? setMember(node, item))
        : listMember(node, item);
    value = item;
    listField = undefined;
  }
  return isRecord(node);
}

/** The `k:{…}` child whose key fields all equal the item's. */
function listMember(node: Readonly<Record<string, unknown>>, item: unknown): unknown {
  if (!isRecord(item)) return undefined;
  for (const [name, child] of Object.entries(node)) {
    if (!name.startsWith('k:')) continue;
    const key = parseJson(name.slice(2));
    if (isRecord(key) && Object.entries(key).every(([field, wanted]) => equalJson(item[field], wanted)))
      return child;
  }
  return undefined;
}

/** The `v:<json>` child of a set of scalars equal to the item. */
function setMember(node: Readonly<Record<string, unknown>>, item: unknown): unknown {
  if (item === undefined) return undefined;
  return node[`v:${JSON.stringify(item)}`];
}

/**
 * Why a change was made, as the object says: its `kubernetes.io/change-cause` and
 * `ops.kubectl-smart.io/why` annotations, and the rollout it belongs to (a Deployment's revision; a
 * ReplicaSet's, under its Deployment). The annotations are people's words about spec and data, so
 * they are not attached to changes of status alone (a controller's doing); the rollout is.
 */
export function reasonOf(after: KubeObject, fields: readonly FieldChange[]): ChangeReason | undefined {
  const annotations = after.metadata.annotations ?? {};
  const statusOnly =
    fields.length > 0 &&
    fields.every((field) => {
      const first = parseFieldPath(field.path)?.[0];
      return first !== undefined && 'key' in first && first.key === 'status';
    });
  const changeCause = statusOnly ? undefined : nonEmpty(annotations[CHANGE_CAUSE_ANNOTATION]);
  const why = statusOnly ? undefined : nonEmpty(annotations[WHY_ANNOTATION]);
  const rollout = rolloutOf(after);
  if (changeCause === undefined && why === undefined && rollout === undefined) return undefined;
  return {
    ...(changeCause === undefined ? {} : { changeCause }),
    ...(why === undefined ? {} : { why }),
    ...(rollout === undefined ? {} : { rollout }),
  };
}

/** `Deployment/api revision 7`, for a Deployment or one of its ReplicaSets. */
export function rolloutOf(object: KubeObject): string | undefined {
  const revision = nonEmpty(object.metadata.annotations?.[REVISION_ANNOTATION]);
  if (revision === undefined) return undefined;
  if (object.kind === 'Deployment') return `Deployment/${object.metadata.name} revision ${revision}`;
  if (object.kind !== 'ReplicaSet') return undefined;
  const owner = object.metadata.ownerReferences?.find(
    (ref) => ref.kind === 'Deployment' && ref.controller !== false,
  );
  return owner === undefined
    ? `ReplicaSet/${object.metadata.name} revision ${revision}`
    : `Deployment/${owner.name} revision ${revision}`;
}

function managedFieldsOf(object: KubeObject): ManagedFieldsEntry[] {
  return (object.metadata.managedFields ?? []).filter(isRecord);
}

function creator(entries: readonly ManagedFieldsEntry[]): ManagedFieldsEntry | undefined {
  let best: ManagedFieldsEntry | undefined;
  let bestTime = Number.POSITIVE_INFINITY;
  for (const entry of entries) {
    if (entry.subresource !== undefined && entry.subresource !== '') continue;
    const time = timeMs(entry.time) ?? Number.POSITIVE_INFINITY;
    if (best === undefined || time < bestTime) {
      best = entry;
      bestTime = time;
    }
  }
  return best ?? entries[0];
}

function newest(entries: readonly ManagedFieldsEntry[]): ManagedFieldsEntry | undefined {
  let best: ManagedFieldsEntry | undefined;
  let bestTime = Number.NEGATIVE_INFINITY;
  for (const entry of entries) {
    const time = timeMs(entry.time) ?? Number.NEGATIVE_INFINITY;
    if (best === undefined || time > bestTime) {
      best = entry;
      bestTime = time;
    }
  }
  return best;
}

function toActor(entry: ManagedFieldsEntry | undefined): ChangeActor | undefined {
  if (entry === undefined) return undefined;
  const manager = nonEmpty(entry.manager);
  const operation = MANAGED_FIELDS_OPERATIONS.find((known) => known === entry.operation);
  const subresource = nonEmpty(entry.subresource);
  if (manager === undefined && operation === undefined) return undefined;
  return {
    ...(manager === undefined ? {} : { manager }),
    ...(operation === undefined ? {} : { operation: operation satisfies ManagedFieldsOperation }),
    ...(subresource === undefined ? {} : { subresource }),
  };
}

function nonEmpty(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

function isRecord(value: unknown): value is Readonly<Record<string, unknown>> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
