import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { StoreSchema } from '../schema.js';

const DIGEST_KEY = 'secret-digest-key';
/** Meta keys of the scopes an imported recording covers. */
const IMPORTED_SCOPE = 'imported-scope:';

/** The scopes imported recordings brought. */
export async function selectImportedScopes(db: Kysely<StoreSchema>): Promise<string[]> {
  const imported = await db
    .selectFrom('meta')
    .select('key')
    .where('key', 'like', `${IMPORTED_SCOPE}%`)
    .execute();
  return imported.map((row) => row.key.slice(IMPORTED_SCOPE.length));
}

/** Marks scopes as recorded by an imported recording. */
export async function insertImportedScopes(
  db: Kysely<StoreSchema>,
  scopes: readonly string[],
): Promise<void> {
  await db
    .insertInto('meta')
    .values(scopes.map((scope) => ({ key: `${IMPORTED_SCOPE}${scope}`, value: 'imported' })))
    .onConflict((oc) => oc.column('key').doNothing())
    .execute();
}

/** The key Secret values are digested with, made the first time it is asked for. */
export async function readOrMakeDigestKey(db: Kysely<StoreSchema>): Promise<string> {
  const read = async (): Promise<string | undefined> =>
    (await db.selectFrom('meta').select('value').where('key', '=', DIGEST_KEY).executeTakeFirst())?.value;
  const existing = await read();
  if (existing !== undefined) return existing;
  // Two processes opening a new store at once: the first insert wins, both read the winner.
  await db
    .insertInto('meta')
    .values({ key: DIGEST_KEY, value: randomBytes(32).toString('hex') })
    .onConflict((oc) => oc.column('key').doNothing())
    .execute();
  const made = await read();
  if (made === undefined) throw new Error('the store lost its digest key');
  return made;
}
