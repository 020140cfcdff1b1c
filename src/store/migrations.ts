import { sql, type Kysely } from 'kysely';
import { Migrator, type Migration, type MigrationProvider } from 'kysely/migration';
import { AppError } from '../core/errors.js';
import type { ChangeBody, StoreSchema } from './schema.js';
import { packJson } from './packed-json.js';

export type StoreDialect = 'sqlite' | 'postgres';

/**
 * The schema, as ordered migrations. Never edit one that has shipped: add the next. Written with
 * Kysely's schema builder so both databases get the same tables; the one difference, how an id
 * column counts, is spelled per dialect.
 */
function migrations(dialect: StoreDialect): Record<string, Migration> {
  const id = dialect === 'sqlite' ? sql`integer primary key autoincrement` : sql`bigserial primary key`;
  const bytes = dialect === 'sqlite' ? sql`blob` : sql`bytea`;
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
    // Compact history (issue #5: a change in a tenth of the bytes of its object). A change names
    // its object by a number into `objects` instead of repeating kind, namespace, name and uid in
    // the row and two indexes; its fields, summary, actor and reason, and a checkpoint's object,
    // are packed JSON (packed-json.ts): a pod's status change goes from 1.3 KB of JSON to ~250 bytes.
    '0002-compact-history': {
      async up(db: Kysely<unknown>) {
        await db.schema
          .createTable('objects')
          .addColumn('id', sql`${id}`)
          .addColumn('kind', 'text', (c) => c.notNull())
          .addColumn('namespace', 'text', (c) => c.notNull())
          .addColumn('name', 'text', (c) => c.notNull())
          .addColumn('uid', 'text', (c) => c.notNull())
          .execute();
        await db.schema
          .createIndex('objects_identity')
          .unique()
          .on('objects')
          .columns(['kind', 'namespace', 'name', 'uid'])
          .execute();
        await sql`insert into objects (kind, namespace, name, uid)
          select distinct kind, namespace, name, uid from changes`.execute(db);
        await db.schema
          .createTable('packed_changes')
          .addColumn('id', sql`${id}`)
          .addColumn('at_ms', 'bigint', (c) => c.notNull())
          .addColumn('object_id', 'bigint', (c) => c.notNull())
          .addColumn('resource_version', 'text', (c) => c.notNull())
          .addColumn('action', 'text', (c) => c.notNull())
          .addColumn('body', sql`${bytes}`, (c) => c.notNull())
          .execute();
        await copyChangesPacked(db);
        await db.schema.dropTable('changes').execute();
        await db.schema.alterTable('packed_changes').renameTo('changes').execute();
        if (dialect === 'postgres')
          // Rows kept their ids: the counter goes on after the last.
          await sql`select setval(pg_get_serial_sequence('changes', 'id'), coalesce(max(id), 0) + 1, false) from changes`.execute(
            db,
          );
        await db.schema
          .createIndex('changes_object_time')
          .on('changes')
          .columns(['object_id', 'at_ms'])
          .execute();
        await db.schema.createIndex('changes_time').on('changes').column('at_ms').execute();
        // A recorder that resumes after a crash may see a change again: it is stored once.
        await db.schema
          .createIndex('changes_once')
          .unique()
          .on('changes')
          .columns(['object_id', 'resource_version', 'action'])
          .execute();

        await db.schema
          .alterTable('checkpoints')
          .addColumn('body', sql`${bytes}`)
          .execute();
        for (let after = 0; ;) {
          const { rows } = await sql<{ id: number; object: string }>`
            select id, object from checkpoints where id > ${after} order by id limit 1000`.execute(db);
          if (rows.length === 0) break;
          for (const row of rows)
            await sql`update checkpoints set body = ${packJson(JSON.parse(row.object))} where id = ${row.id}`.execute(
              db,
            );
          after = Number(rows[rows.length - 1]?.id);
        }
        await db.schema.alterTable('checkpoints').dropColumn('object').execute();
      },
    },
  };
}

/** Migration 0002: every change of 0001, in order and with its id, into the packed table. */
async function copyChangesPacked(db: Kysely<unknown>): Promise<void> {
  for (let after = 0; ;) {
    const { rows } = await sql<Record<string, unknown>>`
      select c.id, c.at_ms, o.id as object_id, c.resource_version, c.action, c.fields, c.summary, c.actor, c.reason
      from changes c join objects o
        on o.kind = c.kind and o.namespace = c.namespace and o.name = c.name and o.uid = c.uid
      where c.id > ${after} order by c.id limit 1000`.execute(db);
    if (rows.length === 0) return;
    for (const row of rows)
      await sql`insert into packed_changes (id, at_ms, object_id, resource_version, action, body)
        values (${row.id}, ${row.at_ms}, ${row.object_id}, ${row.resource_version}, ${row.action}, ${packJson(changeBodyOf(row))})`.execute(
        db,
      );
    after = Number(rows[rows.length - 1]?.id);
  }
}

/** A change row of migration 0001 as the body 0002 packs. */
function changeBodyOf(row: Readonly<Record<string, unknown>>): ChangeBody {
  const json = (value: unknown): unknown => (typeof value === 'string' ? JSON.parse(value) : undefined);
  return {
    fields: json(row.fields) as ChangeBody['fields'],
    summary: json(row.summary) as ChangeBody['summary'],
    ...(row.actor === null ? {} : { actor: json(row.actor) as NonNullable<ChangeBody['actor']> }),
    ...(row.reason === null ? {} : { reason: json(row.reason) as NonNullable<ChangeBody['reason']> }),
  };
}

/**
 * Brings the store's schema up to date; a store newer than this build is refused, not touched.
 * `upTo` stops at a named migration (to test a later one on a store as an older build left it).
 */
export async function migrateToLatest(
  db: Kysely<StoreSchema>,
  dialect: StoreDialect,
  upTo?: string,
): Promise<void> {
  const known = migrations(dialect);
  const provider: MigrationProvider = { getMigrations: () => Promise.resolve(known) };
  const migrator = new Migrator({
    db,
    provider,
    migrationTableName: 'smart_migrations',
    migrationLockTableName: 'smart_migrations_lock',
  });
  const { error } = await (upTo === undefined ? migrator.migrateToLatest() : migrator.migrateTo(upTo));
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
