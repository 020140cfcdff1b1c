import type { Kysely } from 'kysely';
import type { KubeObject } from '../../core/kube-object.js';
import type { CheckpointObject, TimeRange } from '../memory-store.js';
import { packJson, unpackJson } from '../packed-json.js';
import type { StoreSchema } from '../schema.js';
import { ROWS_PER_INSERT } from './rows-per-insert.js';

/** Saves every object's whole state as of `atMs`, in one transaction. */
export async function insertCheckpoints(
  db: Kysely<StoreSchema>,
  atMs: number,
  objects: readonly KubeObject[],
): Promise<void> {
  const rows = objects.map((object) => ({
    at_ms: atMs,
    kind: object.kind,
    namespace: object.metadata.namespace ?? '',
    name: object.metadata.name,
    uid: object.metadata.uid ?? '',
    resource_version: object.metadata.resourceVersion ?? '',
    body: packJson(object),
  }));
  await db.transaction().execute(async (trx) => {
    for (let i = 0; i < rows.length; i += ROWS_PER_INSERT)
      await trx
        .insertInto('checkpoints')
        .values(rows.slice(i, i + ROWS_PER_INSERT))
        .execute();
  });
}

/** The newest checkpoint at or before `atMs` of each object (in a namespace), with when it was taken. */
export async function selectCheckpointsBefore(
  db: Kysely<StoreSchema>,
  atMs: number,
  namespace?: string,
): Promise<CheckpointObject[]> {
  let newest = db
    .selectFrom('checkpoints')
    .select(['kind', 'namespace', 'name'])
    .select((eb) => eb.fn.max('at_ms').as('newest'))
    .where('at_ms', '<=', atMs)
    .groupBy(['kind', 'namespace', 'name']);
  if (namespace !== undefined) newest = newest.where('namespace', '=', namespace);
  const rows = await db
    .selectFrom('checkpoints as c')
    .innerJoin(newest.as('n'), (join) =>
      join
        .onRef('c.kind', '=', 'n.kind')
        .onRef('c.namespace', '=', 'n.namespace')
        .onRef('c.name', '=', 'n.name')
        .onRef('c.at_ms', '=', 'n.newest'),
    )
    .select(['c.at_ms', 'c.body'])
    .orderBy('c.kind')
    .orderBy('c.namespace')
    .orderBy('c.name')
    .execute();
  return rows.map((row) => ({ atMs: row.at_ms, object: unpackJson(row.body) as KubeObject }));
}

/** Every checkpoint taken in a window (in a namespace), oldest first. */
export async function selectCheckpointsBetween(
  db: Kysely<StoreSchema>,
  range: TimeRange,
  namespace?: string,
): Promise<CheckpointObject[]> {
  let query = db
    .selectFrom('checkpoints')
    .select(['at_ms', 'body'])
    .where('at_ms', '>=', range.from)
    .where('at_ms', '<=', range.to);
  if (namespace !== undefined) query = query.where('namespace', '=', namespace);
  const rows = await query.orderBy('at_ms').orderBy('id').execute();
  return rows.map((row) => ({ atMs: row.at_ms, object: unpackJson(row.body) as KubeObject }));
}
