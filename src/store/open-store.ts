import { homedir } from 'node:os';
import { join } from 'node:path';
import { AppError } from '../core/errors.js';
import { KyselyMemoryStore } from './kysely-memory-store.js';
import type { MemoryStore } from './memory-store.js';
import { migrateToLatest } from './migrations.js';
import { openSqlite } from './sqlite/open-sqlite.js';

/** The embedded store's default home (DESIGN.md §6). */
export function defaultStorePath(home = homedir()): string {
  return join(home, '.kube', 'smart-memory', 'memory.db');
}

/**
 * Opens the store `location` names, bringing its schema up to date: `postgres://…` (or
 * `postgresql://…`) for PostgreSQL, `sqlite:PATH` or a plain path for SQLite, nothing for the
 * default path. Failures are one line naming the store and what to check.
 */
export interface StoreOptions {
  /** The embedded store's size cap in bytes (`--max-size`): it never grows past it. */
  readonly maxBytes?: number;
}

export async function openStore(
  location: string | undefined,
  options: StoreOptions = {},
): Promise<MemoryStore> {
  if (location !== undefined && /^postgres(ql)?:\/\//.test(location)) {
    const shown = withoutPassword(location);
    // Loaded only for a PostgreSQL store: every other command starts without the driver.
    const { openPostgres } = await import('./postgres/open-postgres.js');
    const db = openPostgres(location);
    try {
      await migrateToLatest(db, 'postgres');
    } catch (error) {
      await db.destroy();
      if (error instanceof AppError) throw error;
      const message = error instanceof Error ? error.message : String(error);
      throw new AppError(
        'store',
        `cannot use the PostgreSQL store at ${shown}: ${message}; check --store or SMART_STORE_URL`,
        { cause: error },
      );
    }
    return new KyselyMemoryStore({ db, dialect: 'postgres', location: shown });
  }
  const path = location === undefined ? defaultStorePath() : location.replace(/^sqlite:/, '');
  const db = openSqlite(path, options);
  try {
    await migrateToLatest(db, 'sqlite');
  } catch (error) {
    await db.destroy();
    if (error instanceof AppError) throw error;
    const message = error instanceof Error ? error.message : String(error);
    throw new AppError('store', `cannot use the store at ${path}: ${message}`, { cause: error });
  }
  return new KyselyMemoryStore({
    db,
    dialect: 'sqlite',
    location: path,
  });
}

/** `postgres://smart:secret@db/mem` → `postgres://smart:***@db/mem`: a store URL is shown, its password never. */
export function withoutPassword(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password !== '') parsed.password = '***';
    return parsed.toString();
  } catch {
    return url.replace(/:[^:@/]*@/, ':***@');
  }
}
