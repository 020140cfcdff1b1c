import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { AppError } from '../core/errors.js';
import { storeContract } from '../../test/support/memory-store-contract.js';
import { openStore } from './open-store.js';
import { openSqlite } from './sqlite/open-sqlite.js';

const dir = mkdtempSync(join(tmpdir(), 'kubectl-smart-store-'));
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});
let stores = 0;

describe('memory store on SQLite', () => {
  storeContract(() => {
    stores += 1;
    const path = join(dir, String(stores), 'memory.db');
    return Promise.resolve({ open: () => openStore(path) });
  });

  it('refuses a store written by a newer build, and leaves it as it was', async () => {
    const path = join(dir, 'newer', 'memory.db');
    await (await openStore(path)).close();
    const db = openSqlite(path);
    await db
      .insertInto('smart_migrations' as never)
      .values({ name: '9999-from-the-future', timestamp: new Date().toISOString() })
      .execute();
    await db.destroy();
    const error: unknown = await openStore(path).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe('store');
    expect((error as AppError).message).toMatch(/newer kubectl-smart/);
  });

  it('says in one line which path it cannot open', async () => {
    // A plain file where a directory should be. (Not under /proc: Node's recursive mkdir spins there.)
    const file = join(dir, 'a-file');
    writeFileSync(file, '');
    const path = join(file, 'memory.db');
    const error: unknown = await openStore(path).catch((e: unknown) => e);
    expect((error as AppError).code).toBe('store');
    expect((error as AppError).message).toContain(`cannot open the memory store at ${path}: `);
    expect((error as AppError).message).not.toContain('\n');
  });
});
