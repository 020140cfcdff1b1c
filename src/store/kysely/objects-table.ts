import type { Transaction } from 'kysely';
import type { ChangedObject } from '../../core/change.js';
import type { StoreSchema } from '../schema.js';
import { ROWS_PER_INSERT } from './rows-per-insert.js';

/** An `objects` row without its id: what names one object. */
export interface ObjectIdentity {
  readonly kind: string;
  readonly namespace: string;
  readonly name: string;
  readonly uid: string;
}

/** The identity of a changed object as its row holds it ('' for a missing namespace or uid). */
export function identityOf(object: ChangedObject): ObjectIdentity {
  return { kind: object.kind, namespace: object.namespace ?? '', name: object.name, uid: object.uid ?? '' };
}

/** An identity as one string, the key of the id cache. */
export function identityKey(identity: ObjectIdentity): string {
  return JSON.stringify([identity.kind, identity.namespace, identity.name, identity.uid]);
}

/**
 * The `objects` row of each object (identity key → id), added when new. Rows are never deleted,
 * so an id, once known, stays right for the life of the process: `known` remembers them, and is
 * what is returned.
 */
export async function selectObjectIds(
  trx: Transaction<StoreSchema>,
  objects: readonly ChangedObject[],
  known: Map<string, number>,
): Promise<ReadonlyMap<string, number>> {
  const missing = new Map<string, ObjectIdentity>();
  for (const object of objects) {
    const identity = identityOf(object);
    const key = identityKey(identity);
    if (!known.has(key)) missing.set(key, identity);
  }
  const wanted = [...missing.values()];
  for (let i = 0; i < wanted.length; i += ROWS_PER_INSERT) {
    const chunk = wanted.slice(i, i + ROWS_PER_INSERT);
    await trx
      .insertInto('objects')
      .values(chunk)
      .onConflict((oc) => oc.columns(['kind', 'namespace', 'name', 'uid']).doNothing())
      .execute();
    const rows = await trx
      .selectFrom('objects')
      .select(['id', 'kind', 'namespace', 'name', 'uid'])
      .where((eb) =>
        eb(
          eb.refTuple('kind', 'namespace', 'name', 'uid'),
          'in',
          chunk.map((o) => eb.tuple(o.kind, o.namespace, o.name, o.uid)),
        ),
      )
      .execute();
    for (const row of rows) known.set(identityKey(row), row.id);
  }
  return known;
}
