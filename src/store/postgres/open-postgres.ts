import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import type { StoreSchema } from '../schema.js';

/**
 * Connects to a PostgreSQL store (`postgres://user@host:5432/db`). Times are bigint columns, which
 * pg returns as strings by default; this pool reads them as numbers (epoch milliseconds fit
 * exactly). Connections are opened on first use, so a wrong URL fails at the first query.
 */
export function openPostgres(url: string): Kysely<StoreSchema> {
  // Times are bigint (int8) columns, which pg returns as strings by default: read them as numbers.
  const types = new pg.TypeOverrides();
  types.setTypeParser(pg.types.builtins.INT8, (value: string) => Number(value));
  const pool = new pg.Pool({ connectionString: url, max: 4, types });
  // An idle connection the server closed (a restart, a failover) must not end the process: the
  // pool drops it and the next query opens another, or fails with its own error.
  pool.on('error', () => undefined);
  return new Kysely<StoreSchema>({ dialect: new PostgresDialect({ pool }) });
}
