import { sql, type Kysely } from 'kysely';
import type { RecordedKind } from '../memory-store.js';
import type { StoreSchema } from '../schema.js';

/** Each kind the `objects` and `checkpoints` tables name, and whether any of its objects is namespaced. */
export async function selectRecordedKinds(db: Kysely<StoreSchema>): Promise<RecordedKind[]> {
  const kindsIn = (table: 'objects' | 'checkpoints') =>
    db
      .selectFrom(table)
      .select([
        'kind',
        sql<number | string>`max(case when namespace = '' then 0 else 1 end)`.as('namespaced'),
      ])
      .groupBy('kind')
      .execute();
  const namespaced = new Map<string, boolean>();
  for (const row of [...(await kindsIn('objects')), ...(await kindsIn('checkpoints'))]) {
    namespaced.set(row.kind, (namespaced.get(row.kind) ?? false) || Number(row.namespaced) === 1);
  }
  return [...namespaced]
    .map(([kind, inNamespaces]) => ({ kind, namespaced: inNamespaces }))
    .sort((a, b) => a.kind.localeCompare(b.kind));
}
