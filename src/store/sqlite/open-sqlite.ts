import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { Kysely, SqliteDialect } from 'kysely';
import { AppError } from '../../core/errors.js';
import type { StoreSchema } from '../schema.js';
import { kyselySqliteDatabase } from './node-sqlite-database.js';

/**
 * Opens (creating if needed) the embedded store at `path`: WAL, so readers (a `timeline` in another
 * terminal) never block the recorder; synchronous NORMAL, which under WAL loses at most the last
 * transactions on power loss but never corrupts; a busy timeout instead of instant lock errors.
 */
export function openSqlite(path: string, options: { readonly maxBytes?: number } = {}): Kysely<StoreSchema> {
  let database: DatabaseSync;
  try {
    if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
    database = new DatabaseSync(path);
    database.exec('PRAGMA journal_mode = WAL');
    database.exec('PRAGMA synchronous = NORMAL');
    database.exec('PRAGMA busy_timeout = 5000');
    if (options.maxBytes !== undefined) {
      // The cap: SQLite refuses to grow the file past it (SQLITE_FULL), as a full disk would; the
      // recorder then prunes the oldest data, whose pages are reused.
      const pageSize = (database.prepare('PRAGMA page_size').get() as { page_size: number }).page_size;
      database.exec(
        `PRAGMA max_page_count = ${String(Math.max(1, Math.floor(options.maxBytes / pageSize)))}`,
      );
    }
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    throw new AppError(
      'store',
      `cannot open the memory store at ${path}: ${message}; check the path and its permissions, or choose another with --store`,
      { cause: error },
    );
  }
  return new Kysely<StoreSchema>({
    dialect: new SqliteDialect({ database: kyselySqliteDatabase(database) }),
  });
}
