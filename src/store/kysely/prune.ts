import { sql, type Kysely } from 'kysely';
import type { PruneResult } from '../memory-store.js';
import type { StoreSchema } from '../schema.js';

/** The tables pruning removes rows from, object by object. */
type PrunedTable = 'changes' | 'checkpoints';

/**
 * Drops, in one transaction, the checkpoints, changes and events older than `beforeMs` that no
 * moment after it needs. It reads `objects` (a change names its object there) and leaves notes.
 */
export async function pruneBefore(db: Kysely<StoreSchema>, beforeMs: number): Promise<PruneResult> {
  return db.transaction().execute(async (trx) => {
    // Per object: what its own newest checkpoint at or before the cutoff holds is no longer needed
    // to rebuild any moment after it (checkpoints may cover some kinds only: a kind first seen
    // later, one namespace). Without such a checkpoint, its changes are all replay has.
    // A changes row names its object through `objects`; a checkpoint row names it itself.
    const named = (table: PrunedTable, column: 'kind' | 'namespace' | 'name') =>
      table === 'checkpoints'
        ? sql.ref(`checkpoints.${column}`)
        : sql`(select ${sql.ref(`o.${column}`)} from objects o where o.id = changes.object_id)`;
    const sameObject = (table: PrunedTable, kind: string, namespace: string, name: string) =>
      sql<boolean>`${sql.ref(kind)} = ${named(table, 'kind')} and ${sql.ref(namespace)} = ${named(table, 'namespace')} and ${sql.ref(name)} = ${named(table, 'name')}`;
    const newestCheckpoint = (table: PrunedTable) =>
      sql<number>`(select max(c.at_ms) from checkpoints c where ${sameObject(table, 'c.kind', 'c.namespace', 'c.name')} and c.at_ms <= ${beforeMs})`;
    // And an object deleted before the cutoff needs nothing from before its deletion.
    const deletedAfter = (table: PrunedTable) =>
      sql<boolean>`exists (select 1 from changes d join objects od on od.id = d.object_id where ${sameObject(table, 'od.kind', 'od.namespace', 'od.name')} and d.action = 'deleted' and d.at_ms < ${beforeMs} and d.at_ms >= ${sql.ref(`${table}.at_ms`)})`;
    // Checkpoints first: the deletions that make them unneeded are among the changes pruned next.
    const checkpoints = Number(
      (
        await trx
          .deleteFrom('checkpoints')
          .where('at_ms', '<', beforeMs)
          .where((eb) =>
            eb.or([
              eb('at_ms', '<', newestCheckpoint('checkpoints')),
              eb(deletedAfter('checkpoints'), '=', true),
            ]),
          )
          .executeTakeFirst()
      ).numDeletedRows,
    );
    const changes = Number(
      (
        await trx
          .deleteFrom('changes')
          .where('at_ms', '<', beforeMs)
          .where((eb) =>
            eb.or([eb('at_ms', '<', newestCheckpoint('changes')), eb(deletedAfter('changes'), '=', true)]),
          )
          .executeTakeFirst()
      ).numDeletedRows,
    );
    const events = Number(
      (await trx.deleteFrom('events').where('last_ms', '<', beforeMs).executeTakeFirst()).numDeletedRows,
    );
    return { changes, checkpoints, events };
  });
}
