import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql, type Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postgresBinDir, startPostgres, type PostgresServer } from '../../test/support/postgres-server.js';
import { migrateToLatest, type StoreDialect } from './migrations.js';
import { openStore } from './open-store.js';
import { openPostgres } from './postgres/open-postgres.js';
import type { StoreSchema } from './schema.js';
import { openSqlite } from './sqlite/open-sqlite.js';

const dir = mkdtempSync(join(tmpdir(), 'kubectl-smart-migrations-'));
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

const CM = { kind: 'ConfigMap', namespace: 'shop', name: 'api-config' };

/**
 * A store as the build before migration 0002 left it (1,500 changes of one ConfigMap, one of
 * another, a checkpoint), then opened by this build: everything reads back as it was written,
 * and new changes go on after the old.
 */
async function packsAnOlderStore(dialect: StoreDialect, location: string, old: Kysely<StoreSchema>) {
  await migrateToLatest(old, dialect, '0001-initial');
  const fields = [{ path: 'data.CACHE_SIZE', op: 'changed' as const, old: '512Mi', new: 'lots' }];
  const actor = { manager: 'kubectl-patch', operation: 'Update', user: 'kubernetes-admin' };
  const object = {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: 'api-config', namespace: 'shop', uid: 'cm-1', resourceVersion: '7' },
    data: { CACHE_SIZE: '512Mi' },
  };
  for (let i = 0; i < 1500; i++)
    await sql`insert into changes (at_ms, kind, namespace, name, uid, resource_version, action, fields, summary, actor, reason)
      values (${1000 + i}, 'ConfigMap', 'shop', 'api-config', 'cm-1', ${String(10 + i)}, 'modified',
              ${JSON.stringify(fields)}, ${JSON.stringify(['ConfigMap key CACHE_SIZE: 512Mi→lots'])},
              ${i === 0 ? JSON.stringify(actor) : null}, ${i === 0 ? JSON.stringify({ why: 'the sale' }) : null})`.execute(
      old,
    );
  await sql`insert into changes (at_ms, kind, namespace, name, uid, resource_version, action, fields, summary)
    values (1200, 'Deployment', 'shop', 'api', 'd-1', '99', 'modified', '[]', '["rollout restart"]')`.execute(
    old,
  );
  await sql`insert into checkpoints (at_ms, kind, namespace, name, uid, resource_version, object)
    values (500, 'ConfigMap', 'shop', 'api-config', 'cm-1', '7', ${JSON.stringify(object)})`.execute(old);
  await old.destroy();

  const store = await openStore(location);
  try {
    const changes = await store.changesOf(CM, { from: 0, to: 10_000 });
    expect(changes).toHaveLength(1500);
    expect(changes[0]).toMatchObject({
      at: new Date(1000).toISOString(),
      object: { ...CM, uid: 'cm-1' },
      resourceVersion: '10',
      action: 'modified',
      fields,
      summary: ['ConfigMap key CACHE_SIZE: 512Mi→lots'],
      actor,
      reason: { why: 'the sale' },
    });
    expect(changes[1]).not.toHaveProperty('actor');
    expect(changes[1]).not.toHaveProperty('reason');
    expect(changes[1499]?.resourceVersion).toBe('1509');
    const between = await store.changesBetween({ from: 1199, to: 1201 }, 'shop');
    expect(between.map((c) => `${c.object.kind}/${c.resourceVersion ?? ''}`)).toEqual([
      'ConfigMap/209',
      'ConfigMap/210',
      'Deployment/99', // the same millisecond, written after it
      'ConfigMap/211',
    ]);
    expect(await store.checkpointsBefore(600)).toEqual([{ atMs: 500, object }]);

    const added = await store.record({
      changes: [
        {
          at: new Date(5000).toISOString(),
          object: { ...CM, uid: 'cm-1' },
          resourceVersion: '2000',
          action: 'modified',
          fields,
          summary: ['again'],
        },
      ],
    });
    expect(added.changesAdded).toBe(1);
    const after = await store.changesOf(CM, { from: 0, to: 10_000 });
    expect(after.at(-1)?.summary).toEqual(['again']);
    expect(after.at(-1)?.id).toBeGreaterThan(Math.max(...between.map((c) => c.id)));
  } finally {
    await store.close();
  }
}

describe('migration 0002-compact-history', () => {
  it('on SQLite, packs a store an older build wrote, and reads back every change and checkpoint', async () => {
    const path = join(dir, 'memory.db');
    await packsAnOlderStore('sqlite', path, openSqlite(path));
  });

  describe.skipIf(postgresBinDir() === undefined)('on PostgreSQL', () => {
    let server: PostgresServer;
    beforeAll(async () => {
      server = await startPostgres();
    }, 60_000);
    afterAll(async () => {
      await server.stop();
    });

    it('packs a store an older build wrote, ids and all', async () => {
      const url = await server.createDatabase('migration_0002');
      await packsAnOlderStore('postgres', url, openPostgres(url));
    });
  });
});
