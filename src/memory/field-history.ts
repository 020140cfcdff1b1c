import {
  parseFieldPath,
  type ChangeActor,
  type ChangeReason,
  type FieldChange,
  type FieldPathSegment,
  type JsonValue,
} from '../core/change.js';
import { AppError } from '../core/errors.js';
import type { KubeObject } from '../core/kube-object.js';
import { refKey, refOf, type ResourceRef } from '../core/resource-ref.js';
import type { MemoryStore, Note } from '../store/memory-store.js';
import { itemIdentity } from './list-identity.js';
import { applyChange } from './reconstruct.js';

/** One step in a field's (or the spec's) history: when, what it became, who did it, why. */
export interface FieldHistoryStep {
  readonly at: string;
  /** `recorded`: the value when the recording first saw the object; the others, as changes said. */
  readonly how: 'recorded' | 'created' | 'changed' | 'deleted';
  /** With a field: its value after this step (absent: not set). */
  readonly value?: JsonValue;
  /** Without a field: the fields of the spec (and data) that moved. */
  readonly fields?: readonly FieldChange[];
  readonly actor?: ChangeActor;
  readonly reason?: ChangeReason;
}

export interface FieldHistory {
  readonly object: ResourceRef;
  readonly field?: string;
  readonly steps: readonly FieldHistoryStep[];
  readonly notes: readonly Note[];
}

/** Fields that say what an object is meant to be, as opposed to what it reports (status). */
const INTENT =
  /^(spec|data|binaryData|stringData|metadata\.(labels|annotations)|rules|subjects|roleRef|webhooks)\b/;

/**
 * The history of a field's values (`data.CACHE_SIZE`, `spec.template.spec.containers[api].image`)
 * or, without one, of everything the object is meant to be (its spec, data, labels): each value
 * with when, who and why, from the first the recording saw to now; then the notes.
 */
export async function fieldHistory(
  store: MemoryStore,
  object: ResourceRef,
  field: string | undefined,
): Promise<FieldHistory> {
  const path = field === undefined ? undefined : parsePath(field);
  const changes = await store.changesOf(object, { from: 0, to: Number.MAX_SAFE_INTEGER });
  const notes = await store.notesOf(object);
  const firstMs = changes[0] === undefined ? Number.MAX_SAFE_INTEGER : Date.parse(changes[0].at);
  const checkpoint = (await store.checkpointsBefore(firstMs, object.namespace ?? '')).find(
    (c) => refKey(refOf(c.object)) === refKey(object),
  );
  const steps: FieldHistoryStep[] = [];
  let state: KubeObject | undefined = checkpoint?.object;
  if (checkpoint !== undefined && path !== undefined) {
    const value = valueAt(state, path);
    steps.push({
      at: new Date(checkpoint.atMs).toISOString(),
      how: 'recorded',
      ...(value === undefined ? {} : { value }),
    });
  }
  for (const change of changes) {
    const before = path === undefined ? undefined : valueAt(state, path);
    state = applyChange(state, change);
    const who = {
      ...(change.actor === undefined ? {} : { actor: change.actor }),
      ...(change.reason === undefined ? {} : { reason: change.reason }),
    };
    const how = change.action === 'added' ? 'created' : change.action === 'deleted' ? 'deleted' : 'changed';
    if (path === undefined) {
      const fields = change.fields.filter((f) => INTENT.test(f.path));
      if (fields.length > 0 || how !== 'changed') steps.push({ at: change.at, how, fields, ...who });
      continue;
    }
    const after = valueAt(state, path);
    if (how === 'changed' && JSON.stringify(before) === JSON.stringify(after)) continue;
    steps.push({ at: change.at, how, ...(after === undefined ? {} : { value: after }), ...who });
  }
  if (steps.length === 0 && checkpoint === undefined && changes.length === 0) {
    throw new AppError(
      'not-found',
      `nothing recorded about ${object.kind}/${object.namespace === undefined ? '' : `${object.namespace}/`}${object.name}: check the name and -n, or whether the recording follows its kind`,
    );
  }
  return { object, ...(field === undefined ? {} : { field }), steps, notes };
}

function parsePath(field: string): FieldPathSegment[] {
  const path = parseFieldPath(field);
  if (path === undefined || path.length === 0) {
    throw new AppError(
      'usage',
      `--field ${field}: not a field path; write it as timeline shows them, e.g. data.CACHE_SIZE or spec.template.spec.containers[api].image`,
    );
  }
  return path;
}

/** The value at a path, keyed list items by identity; undefined where it leads nowhere. */
function valueAt(object: KubeObject | undefined, path: readonly FieldPathSegment[]): JsonValue | undefined {
  let value: unknown = object;
  let listField: string | undefined;
  for (const segment of path) {
    if ('key' in segment) {
      value =
        typeof value === 'object' &&
        value !== null &&
        !Array.isArray(value) &&
        Object.hasOwn(value, segment.key)
          ? (value as Record<string, unknown>)[segment.key]
          : undefined;
      listField = segment.key;
    } else if (!Array.isArray(value)) {
      return undefined;
    } else if ('index' in segment) {
      value = value[segment.index];
    } else {
      const field = listField;
      value = value.find((item) => field !== undefined && itemIdentity(field, item) === segment.item);
    }
    if (value === undefined || value === null) return undefined;
  }
  return value as JsonValue;
}
