import type { Kysely, Transaction } from 'kysely';
import type { StoreSchema } from '../schema.js';

/** Where each watch resumes (scope → resourceVersion), replacing what was there. */
export async function saveCursors(
  trx: Transaction<StoreSchema>,
  cursors: Readonly<Record<string, string>>,
): Promise<void> {
  const now = Date.now();
  for (const [scope, resourceVersion] of Object.entries(cursors))
    await trx
      .insertInto('cursors')
      .values({ scope, resource_version: resourceVersion, updated_ms: now })
      .onConflict((oc) =>
        oc.column('scope').doUpdateSet({ resource_version: resourceVersion, updated_ms: now }),
      )
      .execute();
}

/** Where a watch resumes, if it ever recorded. */
export async function selectCursor(db: Kysely<StoreSchema>, scope: string): Promise<string | undefined> {
  const row = await db
    .selectFrom('cursors')
    .select('resource_version')
    .where('scope', '=', scope)
    .executeTakeFirst();
  return row?.resource_version;
}

/** The scopes this store recorded itself: those with a cursor. */
export async function selectCursorScopes(db: Kysely<StoreSchema>): Promise<string[]> {
  const recorded = await db.selectFrom('cursors').select('scope').execute();
  return recorded.map((row) => row.scope);
}
