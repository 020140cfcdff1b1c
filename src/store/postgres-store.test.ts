import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postgresBinDir, startPostgres, type PostgresServer } from '../../test/support/postgres-server.js';
import { AppError } from '../core/errors.js';
import { storeContract } from '../../test/support/memory-store-contract.js';
import { openStore, withoutPassword } from './open-store.js';

// PostgreSQL is required under CI=true (.ci/run installs it); elsewhere, without it, this suite
// is skipped and says so.
const available = postgresBinDir() !== undefined;
if (!available && process.env['CI'] === 'true')
  throw new Error('PostgreSQL server binaries are required under CI=true: apt-get install -y postgresql');

describe.skipIf(!available)('memory store on PostgreSQL', () => {
  let server: PostgresServer;
  let databases = 0;
  beforeAll(async () => {
    server = await startPostgres();
  }, 60_000);
  afterAll(async () => {
    await server.stop();
  });

  storeContract(async () => {
    databases += 1;
    const url = await server.createDatabase(`contract_${String(databases)}`);
    return { open: () => openStore(url) };
  });

  it('says in one line which server it cannot use, without its password', async () => {
    const error: unknown = await openStore('postgres://smart:hunter2@127.0.0.1:1/none').catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe('store');
    expect((error as AppError).message).toMatch(
      /^cannot use the PostgreSQL store at postgres:\/\/smart:\*\*\*@127\.0\.0\.1:1\/none: /,
    );
    expect((error as AppError).message).not.toContain('hunter2');
    expect(withoutPassword('postgresql://u@h/db')).toBe('postgresql://u@h/db');
  });
});
