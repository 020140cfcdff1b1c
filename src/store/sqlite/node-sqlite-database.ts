import type { DatabaseSync, SQLInputValue, StatementSync } from 'node:sqlite';
import type { SqliteDatabase, SqliteStatement } from 'kysely';

/**
 * node:sqlite's DatabaseSync in the shape Kysely's SqliteDialect drives (the better-sqlite3 API):
 * parameters as one array, and whether a statement returns rows. Built into Node ≥ 22.13, so the
 * embedded store needs no native module and no install script.
 */
export function kyselySqliteDatabase(database: DatabaseSync): SqliteDatabase {
  return {
    close: () => {
      database.close();
    },
    prepare: (sql) => {
      const statement = statementOf(database.prepare(sql));
      if (!/^\s*rollback\s*$/i.test(sql)) return statement;
      // SQLite rolls a transaction back itself on some errors (SQLITE_FULL): Kysely's ROLLBACK after
      // it would fail and hide the error that matters, so it only runs while a transaction is open.
      return {
        ...statement,
        run: (parameters) =>
          database.isTransaction ? statement.run(parameters) : { changes: 0, lastInsertRowid: 0 },
      };
    },
  };
}

function statementOf(statement: StatementSync): SqliteStatement {
  return {
    reader: statement.columns().length > 0,
    all: (parameters) => statement.all(...inputs(parameters)),
    run: (parameters) => statement.run(...inputs(parameters)),
    iterate: (parameters) => statement.iterate(...inputs(parameters)),
  };
}

/** Kysely hands over JS values; node:sqlite takes null, numbers, bigints, strings and bytes. */
function inputs(parameters: readonly unknown[]): SQLInputValue[] {
  return parameters.map((value) => {
    if (value === undefined) return null;
    if (typeof value === 'boolean') return value ? 1 : 0;
    return value as SQLInputValue;
  });
}
