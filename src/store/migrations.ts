import { sql, type Kysely } from 'kysely';
import { Migrator, type Migration, type MigrationProvider } from 'kysely/migration';
import { AppError } from '../core/errors.js';
import type { StoreSchema } from './schema.js';

export type StoreDialect = 'sqlite' | 'postgres';

/**
 * The schema, as ordered migrations. Never edit one that has shipped: add the next. Written with
 * Kysely's schema builder so both databases get the same tables; the one difference, how an id
 * column counts, is spelled per dialect.
 */
function migrations(dialect: StoreDialect): Record<string, Migration> {
  const id = dialect === 'sqlite' ? sql`integer primary key autoincrement` : sql`bigserial primary key`;
  return {
    '0001-initial': {
      async up(db: Kysely<unknown>) {
        await db.schema
          .createTable('changes')
          .addColumn('id', sql`${id}`)
          .addColumn('at_ms', 'bigint', (c) => c.notNull())
          .addColumn('kind', 'text', (c) => c.notNull())
          .addColumn('namespace', 'text', (c) => c.notNull())
          .addColumn('name', 'text', (c) => c.notNull())
          .addColumn('uid', 'text', (c) => c.notNull())
          .addColumn('resource_version', 'text', (c) => c.notNull())
          .addColumn('action', 'text', (c) => c.notNull())
          .addColumn('fields', 'text', (c) => c.notNull())
          .addColumn('summary', 'text', (c) => c.notNull())
          .addColumn('actor', 'text')
          .addColumn('reason', 'text')
          .execute();
        await db.schema
          .createIndex('changes_object_time')
          .on('changes')
          .columns(['kind', 'namespace', 'name', 'at_ms'])
          .execute();
        await db.schema.createIndex('changes_time').on('changes').column('at_ms').execute();
        // A recorder that resumes after a crash may see a change again: it is stored once.
        await db.schema
          .createIndex('changes_once')
          .unique()
          .on('changes')
          .columns(['kind', 'namespace', 'name', 'uid', 'resource_version', 'action'])
          .execute();

        await db.schema
          .createTable('checkpoints')
          .addColumn('id', sql`${id}`)
          .addColumn('at_ms', 'bigint', (c) => c.notNull())
          .addColumn('kind', 'text', (c) => c.notNull())
          .addColumn('namespace', 'text', (c) => c.notNull())
          .addColumn('name', 'text', (c) => c.notNull())
          .addColumn('uid', 'text', (c) => c.notNull())
          .addColumn('resource_version', 'text', (c) => c.notNull())
          .addColumn('object', 'text', (c) => c.notNull())
          .execute();
        await db.schema
          .createIndex('checkpoints_object_time')
          .on('checkpoints')
          .columns(['kind', 'namespace', 'name', 'at_ms'])
          .execute();
        await db.schema.createIndex('checkpoints_time').on('checkpoints').column('at_ms').execute();

        await db.schema
          .createTable('events')
          .addColumn('key', 'text', (c) => c.primaryKey())
          .addColumn('involved_kind', 'text', (c) => c.notNull())
          .addColumn('involved_namespace', 'text', (c) => c.notNull())
          .addColumn('involved_name', 'text', (c) => c.notNull())
          .addColumn('type', 'text', (c) => c.notNull())
          .addColumn('reason', 'text', (c) => c.notNull())
          .addColumn('message', 'text', (c) => c.notNull())
          .addColumn('count', 'integer', (c) => c.notNull())
          .addColumn('first_ms', 'bigint', (c) => c.notNull())
          .addColumn('last_ms', 'bigint', (c) => c.notNull())
          .execute();
        await db.schema
          .createIndex('events_involved_time')
          .on('events')
          .columns(['involved_kind', 'involved_namespace', 'involved_name', 'last_ms'])
          .execute();
        await db.schema.createIndex('events_time').on('events').column('last_ms').execute();

        await db.schema
          .createTable('notes')
          .addColumn('id', sql`${id}`)
          .addColumn('at_ms', 'bigint', (c) => c.notNull())
          .addColumn('kind', 'text', (c) => c.notNull())
          .addColumn('namespace', 'text', (c) => c.notNull())
          .addColumn('name', 'text', (c) => c.notNull())
          .addColumn('author', 'text', (c) => c.notNull())
          .addColumn('text', 'text', (c) => c.notNull())
          .execute();
        await db.schema
          .createIndex('notes_object')
          .on('notes')
          .columns(['kind', 'namespace', 'name', 'at_ms'])
          .execute();

        await db.schema
          .createTable('cursors')
          .addColumn('scope', 'text', (c) => c.primaryKey())
          .addColumn('resource_version', 'text', (c) => c.notNull())
          .addColumn('updated_ms', 'bigint', (c) => c.notNull())
          .execute();
        await db.schema
          .createTable('meta')
          .addColumn('key', 'text', (c) => c.primaryKey())
          .addColumn('value', 'text', (c) => c.notNull())
          .execute();
      },
    },
  };
}

/** Brings the store's schema up to date; a store newer than this build is refused, not touched. */
export async function migrateToLatest(db: Kysely<StoreSchema>, dialect: StoreDialect): Promise<void> {
  const known = migrations(dialect);
  const provider: MigrationProvider = { getMigrations: () => Promise.resolve(known) };
  const migrator = new Migrator({
    db,
    provider,
    migrationTableName: 'smart_migrations',
    migrationLockTableName: 'smart_migrations_lock',
  });
  const { error } = await migrator.migrateToLatest();
  if (error === undefined) return;
  if (!(error instanceof Error)) throw new Error(`migration failed: ${JSON.stringify(error)}`);
  const { message } = error;
  // Kysely: "corrupted migrations: previously executed migration X is missing".
  if (/corrupted migrations/i.test(message))
    throw new AppError(
      'store',
      `the store was written by a newer kubectl-smart (${message}); upgrade, or point --store at another store`,
    );
  throw error;
}
