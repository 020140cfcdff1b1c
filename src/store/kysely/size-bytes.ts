import { sql, type Kysely } from 'kysely';
import type { StoreSchema } from '../schema.js';

/** Pages in use, not the file: pruned pages stay in the file for reuse, and count for nothing. */
export async function sqliteSizeBytes(db: Kysely<StoreSchema>): Promise<number> {
  const pragma = async (name: string): Promise<number> => {
    const result = await sql<Record<string, unknown>>`${sql.raw(`pragma ${name}`)}`.execute(db);
    return Number(Object.values(result.rows[0] ?? {})[0] ?? 0);
  };
  const pages = (await pragma('page_count')) - (await pragma('freelist_count'));
  return pages * (await pragma('page_size'));
}

/** Every table of {@link StoreSchema}: typed by it, so a table added to the schema is counted. */
const TABLES = Object.keys({
  objects: true,
  changes: true,
  checkpoints: true,
  events: true,
  notes: true,
  cursors: true,
  meta: true,
} satisfies Record<keyof StoreSchema, true>);

/** The store's tables with their indexes and TOAST, in the current schema. */
export async function postgresSizeBytes(db: Kysely<StoreSchema>): Promise<number> {
  const result = await sql<{ bytes: number }>`
    select coalesce(sum(pg_total_relation_size(c.oid)), 0)::bigint as bytes
    from pg_class c join pg_namespace n on n.oid = c.relnamespace
    where n.nspname = current_schema()
      and c.relkind = 'r'
      and c.relname in (${sql.join(TABLES)})
  `.execute(db);
  return result.rows[0]?.bytes ?? 0;
}
