import type { Kysely, Transaction } from 'kysely';
import type { Change } from '../../core/change.js';
import type { ResourceRef } from '../../core/resource-ref.js';
import { timeMs } from '../../core/time.js';
import type { StoredChange, TimeRange } from '../memory-store.js';
import { packJson, unpackJson } from '../packed-json.js';
import type { ChangeBody, ChangesTable, StoreSchema } from '../schema.js';
import { identityKey, identityOf, type ObjectIdentity } from './objects-table.js';
import { ROWS_PER_INSERT } from './rows-per-insert.js';

/**
 * Adds changes whose objects have rows (`objectIds`, by identity key); a change seen before (same
 * object, resourceVersion and action) is not added again. Returns how many were added.
 */
export async function insertChanges(
  trx: Transaction<StoreSchema>,
  changes: readonly Change[],
  objectIds: ReadonlyMap<string, number>,
): Promise<number> {
  let changesAdded = 0;
  const rows = changes.map((change) => changeRow(change, objectIds));
  for (let i = 0; i < rows.length; i += ROWS_PER_INSERT) {
    const result = await trx
      .insertInto('changes')
      .values(rows.slice(i, i + ROWS_PER_INSERT))
      .onConflict((oc) => oc.columns(['object_id', 'resource_version', 'action']).doNothing())
      .executeTakeFirst();
    changesAdded += Number(result.numInsertedOrUpdatedRows ?? 0);
  }
  return changesAdded;
}

/** One object's changes in a window, oldest first. */
export async function selectChangesOf(
  db: Kysely<StoreSchema>,
  object: ResourceRef,
  range: TimeRange,
): Promise<StoredChange[]> {
  const rows = await changesWithObjects(db)
    .where('o.kind', '=', object.kind)
    .where('o.namespace', '=', object.namespace ?? '')
    .where('o.name', '=', object.name)
    .where('c.at_ms', '>=', range.from)
    .where('c.at_ms', '<=', range.to)
    .orderBy('c.at_ms')
    .orderBy('c.id')
    .execute();
  return rows.map(storedChange);
}

/** Every change in a window, optionally in one namespace, oldest first. */
export async function selectChangesBetween(
  db: Kysely<StoreSchema>,
  range: TimeRange,
  namespace?: string,
): Promise<StoredChange[]> {
  let query = changesWithObjects(db).where('c.at_ms', '>=', range.from).where('c.at_ms', '<=', range.to);
  if (namespace !== undefined) query = query.where('o.namespace', '=', namespace);
  const rows = await query.orderBy('c.at_ms').orderBy('c.id').execute();
  return rows.map(storedChange);
}

function changesWithObjects(db: Kysely<StoreSchema>) {
  return db
    .selectFrom('changes as c')
    .innerJoin('objects as o', 'o.id', 'c.object_id')
    .select([
      'c.id',
      'c.at_ms',
      'o.kind',
      'o.namespace',
      'o.name',
      'o.uid',
      'c.resource_version',
      'c.action',
      'c.body',
    ]);
}

function changeRow(change: Change, objectIds: ReadonlyMap<string, number>): Omit<ChangesTable, 'id'> {
  const at = timeMs(change.at);
  if (at === undefined) throw new Error(`change time ${change.at} is not a time`);
  const objectId = objectIds.get(identityKey(identityOf(change.object)));
  if (objectId === undefined)
    throw new Error(`no objects row for ${change.object.kind}/${change.object.name}`);
  return {
    at_ms: at,
    object_id: objectId,
    resource_version: change.resourceVersion ?? '',
    action: change.action,
    body: packJson({
      fields: change.fields,
      summary: change.summary,
      ...(change.actor === undefined ? {} : { actor: change.actor }),
      ...(change.reason === undefined ? {} : { reason: change.reason }),
    } satisfies ChangeBody),
  };
}

/** A change row joined with its object. */
interface ChangeWithObject extends ObjectIdentity {
  readonly id: number;
  readonly at_ms: number;
  readonly resource_version: string;
  readonly action: string;
  readonly body: Uint8Array;
}

function storedChange(row: ChangeWithObject): StoredChange {
  const body = unpackJson(row.body) as ChangeBody;
  return {
    id: row.id,
    at: new Date(row.at_ms).toISOString(),
    object: {
      kind: row.kind,
      ...(row.namespace === '' ? {} : { namespace: row.namespace }),
      name: row.name,
      ...(row.uid === '' ? {} : { uid: row.uid }),
    },
    ...(row.resource_version === '' ? {} : { resourceVersion: row.resource_version }),
    action: row.action as Change['action'],
    fields: body.fields,
    summary: body.summary,
    ...(body.actor === undefined ? {} : { actor: body.actor }),
    ...(body.reason === undefined ? {} : { reason: body.reason }),
  };
}
