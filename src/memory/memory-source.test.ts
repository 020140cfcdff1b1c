import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Change } from '../core/change.js';
import { openStore } from '../store/open-store.js';
import { historyBefore } from './memory-source.js';

const dir = mkdtempSync(join(tmpdir(), 'kubectl-smart-memory-source-'));
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

const change = (object: Change['object'], at: string): Change => ({
  at,
  object,
  action: 'modified',
  fields: [{ path: 'spec.unschedulable', op: 'added', new: true }],
  summary: ['cordoned'],
});

describe('historyBefore', () => {
  it("gives a namespace's analysis its own changes and the cluster-scoped ones, not other namespaces'", async () => {
    const store = await openStore(join(dir, 'memory.db'));
    const node = { kind: 'Node', name: 'node-1', uid: 'n-1' };
    const shop = { kind: 'Deployment', namespace: 'shop', name: 'api', uid: 'd-1' };
    const other = { kind: 'Deployment', namespace: 'other', name: 'api', uid: 'd-2' };
    await store.record({
      changes: [
        change(node, '2026-11-20T03:00:00.000Z'),
        change(shop, '2026-11-20T03:01:00.000Z'),
        change(other, '2026-11-20T03:02:00.000Z'),
      ],
    });
    const atMs = Date.parse('2026-11-20T03:10:00Z');
    const names = (history: Awaited<ReturnType<typeof historyBefore>>) =>
      [...history.byObject()].map((changes) => changes[0]?.object.namespace ?? '-');
    expect(names(await historyBefore(store, { atMs, namespace: 'shop' }))).toEqual(['shop', '-']);
    expect(names(await historyBefore(store, { atMs }))).toEqual(['other', 'shop', '-']);
    await store.close();
  });
});
