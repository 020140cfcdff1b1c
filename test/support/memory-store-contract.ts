/**
 * The memory store's contract: one suite, run against every adapter (sqlite-store.test.ts,
 * postgres-store.test.ts), so the two cannot drift apart.
 */
import { expect, it } from 'vitest';
import type { Change } from '../../src/core/change.js';
import type { EventRecord } from '../../src/core/event-record.js';
import type { KubeObject } from '../../src/core/kube-object.js';
import type { MemoryStore } from '../../src/store/memory-store.js';

/** A new, empty store; `open` may be called again to reopen the same one. */
export type FreshStore = () => Promise<{ readonly open: () => Promise<MemoryStore> }>;

const T0 = Date.parse('2026-11-20T03:00:00Z');
const at = (seconds: number): string => new Date(T0 + seconds * 1000).toISOString();
const ALL = { from: 0, to: Number.MAX_SAFE_INTEGER };

const change = (seconds: number, rv: string, extra: Partial<Change> = {}): Change => ({
  at: at(seconds),
  object: { kind: 'ConfigMap', namespace: 'shop', name: 'api-config', uid: 'cm-1' },
  resourceVersion: rv,
  action: 'modified',
  fields: [{ path: 'data.CACHE_SIZE', op: 'changed', old: '512', new: 'unlimited' }],
  summary: ['ConfigMap key CACHE_SIZE: 512→unlimited'],
  actor: { manager: 'kubectl-edit', operation: 'Update', user: 'kubernetes-admin' },
  reason: { why: 'bigger cache for the sale' },
  ...extra,
});

const event = (name: string, count: number, lastSecond: number): EventRecord => ({
  name,
  namespace: 'shop',
  type: 'Warning',
  reason: 'BackOff',
  message: 'Back-off restarting failed container api',
  involved: { kind: 'Pod', namespace: 'shop', name: 'api-0' },
  count,
  firstSeen: at(0),
  lastSeen: at(lastSecond),
});

const object = (name: string, namespace: string | undefined, data: string): KubeObject => ({
  kind: namespace === undefined ? 'Node' : 'ConfigMap',
  metadata: { name, ...(namespace === undefined ? {} : { namespace }), uid: `${name}-uid` },
  data: { value: data },
});

export function storeContract(fresh: FreshStore): void {
  const withStore = async <T>(body: (store: MemoryStore) => Promise<T>): Promise<T> => {
    const store = await (await fresh()).open();
    try {
      return await body(store);
    } finally {
      await store.close();
    }
  };

  it('keeps every field of a change and returns an object’s changes oldest first', async () => {
    await withStore(async (store) => {
      const later = change(20, '12', { summary: ['ConfigMap key CACHE_SIZE: unlimited→1024'] });
      const node: Change = {
        at: at(10),
        object: { kind: 'Node', name: 'node-1' },
        action: 'modified',
        fields: [{ path: 'spec.unschedulable', op: 'added', new: true }],
        summary: ['cordoned'],
      };
      const result = await store.record({ changes: [later, change(5, '11'), node] });
      expect(result.changesAdded).toBe(3);
      const stored = await store.changesOf({ kind: 'ConfigMap', namespace: 'shop', name: 'api-config' }, ALL);
      expect(stored).toMatchObject([change(5, '11'), later]);
      expect(stored.map((c) => Object.keys(c).sort())).toEqual(
        stored.map(() => [...Object.keys(later), 'id'].sort()),
      );
      expect(await store.changesOf({ kind: 'Node', name: 'node-1' }, ALL)).toMatchObject([node]);
      // A window, and a namespace, narrow it.
      expect(await store.changesBetween({ from: T0 + 6000, to: T0 + 30_000 })).toHaveLength(2);
      expect(await store.changesBetween(ALL, 'shop')).toHaveLength(2);
    });
  });

  it('stores a change seen again (a recorder resuming) once', async () => {
    await withStore(async (store) => {
      expect((await store.record({ changes: [change(5, '11')] })).changesAdded).toBe(1);
      expect((await store.record({ changes: [change(5, '11'), change(6, '12')] })).changesAdded).toBe(1);
      expect(await store.changesBetween(ALL)).toHaveLength(2);
    });
  });

  it('writes a batch whole or not at all, cursors included', async () => {
    await withStore(async (store) => {
      await store.record({ changes: [change(1, '10')], cursors: { configmaps: '10' } });
      await expect(
        store.record({
          changes: [change(2, '11'), change(3, '12', { at: 'not a time' })],
          cursors: { configmaps: '12' },
        }),
      ).rejects.toThrow();
      expect(await store.changesBetween(ALL)).toHaveLength(1);
      expect(await store.cursor('configmaps')).toBe('10');
      expect(await store.cursor('pods')).toBeUndefined();
    });
  });

  it('folds an event’s repeats into its count, and a stale copy does not lower it', async () => {
    await withStore(async (store) => {
      await store.record({ events: [event('api-0.1', 3, 30)] });
      await store.record({ events: [event('api-0.1', 7, 90), event('api-0.2', 1, 95)] });
      await store.record({ events: [event('api-0.1', 5, 60)] });
      const events = await store.eventsAbout({ kind: 'Pod', namespace: 'shop', name: 'api-0' }, ALL);
      expect(events.map((e) => [e.key, e.count, e.lastMs - T0])).toEqual([
        ['shop/api-0.1', 7, 90_000],
        ['shop/api-0.2', 1, 95_000],
      ]);
      expect(await store.eventsBetween({ from: T0 + 91_000, to: T0 + 100_000 }, 'shop')).toHaveLength(1);
    });
  });

  it('finds each object’s newest checkpoint at or before a moment', async () => {
    await withStore(async (store) => {
      await store.checkpoint(T0, [
        object('a', 'shop', 'v1'),
        object('b', 'other', 'v1'),
        object('n1', undefined, 'v1'),
      ]);
      await store.checkpoint(T0 + 60_000, [object('a', 'shop', 'v2')]);
      const at30 = await store.checkpointsBefore(T0 + 30_000);
      // By kind, namespace, name.
      expect(
        at30.map((c) => [c.object.metadata.name, (c.object['data'] as { value: string }).value]),
      ).toEqual([
        ['b', 'v1'],
        ['a', 'v1'],
        ['n1', 'v1'],
      ]);
      const at90 = await store.checkpointsBefore(T0 + 90_000, 'shop');
      expect(at90).toEqual([{ atMs: T0 + 60_000, object: object('a', 'shop', 'v2') }]);
      expect(await store.checkpointsBefore(T0 - 1)).toEqual([]);
      // Every checkpoint in a window, oldest first, for an export.
      expect(await store.checkpointsBetween({ from: T0 + 1, to: T0 + 60_000 }, 'shop')).toEqual([
        { atMs: T0 + 60_000, object: object('a', 'shop', 'v2') },
      ]);
      expect((await store.checkpointsBetween(ALL)).map((c) => [c.atMs - T0, c.object.metadata.name])).toEqual(
        [
          [0, 'a'],
          [0, 'b'],
          [0, 'n1'],
          [60_000, 'a'],
        ],
      );
    });
  });

  it('keeps notes with their object, in order', async () => {
    await withStore(async (store) => {
      const ref = { kind: 'Deployment', namespace: 'shop', name: 'api' };
      await store.addNote({ atMs: T0 + 2, object: ref, author: 'ana', text: 'CACHE_SIZE must stay bounded' });
      await store.addNote({ atMs: T0 + 1, object: ref, author: 'bo', text: 'owned by team checkout' });
      expect((await store.notesOf(ref)).map((n) => n.text)).toEqual([
        'owned by team checkout',
        'CACHE_SIZE must stay bounded',
      ]);
      expect(await store.notesOf({ ...ref, name: 'web' })).toEqual([]);
      await store.addNote({
        atMs: T0 + 3,
        object: { ...ref, namespace: 'other' },
        author: 'cy',
        text: 'elsewhere',
      });
      expect(await store.notesBetween({ from: T0 + 2, to: T0 + 3 }, 'shop')).toEqual([
        { atMs: T0 + 2, object: ref, author: 'ana', text: 'CACHE_SIZE must stay bounded' },
      ]);
      expect((await store.notesBetween(ALL)).map((n) => n.author)).toEqual(['bo', 'ana', 'cy']);
    });
  });

  it('lists the scopes it recorded and those an import brought, without cursors for the imported', async () => {
    await withStore(async (store) => {
      expect(await store.scopes()).toEqual([]);
      await store.record({ cursors: { pods: '10', 'deployments.apps@shop': '11' } });
      await store.addImportedScopes(['pods', 'configmaps@shop']);
      await store.addImportedScopes(['configmaps@shop']);
      expect(await store.scopes()).toEqual(['configmaps@shop', 'deployments.apps@shop', 'pods']);
      expect(await store.cursor('configmaps@shop')).toBeUndefined();
    });
  });

  it('names the kinds it holds objects of, changed or only checkpointed, and whether they live in namespaces', async () => {
    await withStore(async (store) => {
      expect(await store.recordedKinds()).toEqual([]);
      await store.record({
        changes: [
          change(1, '10'),
          change(2, '11', {
            object: { kind: 'ClusterWidget', name: 'big', uid: 'w-1' },
            action: 'added',
          }),
        ],
      });
      await store.checkpoint(T0, [object('worker-1', undefined, 'a'), object('api-config', 'shop', 'b')]);
      expect(await store.recordedKinds()).toEqual([
        { kind: 'ClusterWidget', namespaced: false },
        { kind: 'ConfigMap', namespaced: true },
        { kind: 'Node', namespaced: false },
      ]);
    });
  });

  it('makes one digest key per store and keeps it across reopening', async () => {
    const { open } = await fresh();
    const first = await open();
    const key = await first.digestKey();
    expect(key).toMatch(/^[0-9a-f]{64}$/);
    expect(await first.digestKey()).toBe(key);
    await first.close();
    const again = await open();
    expect(await again.digestKey()).toBe(key);
    await again.close();
    const other = await (await fresh()).open();
    expect(await other.digestKey()).not.toBe(key);
    await other.close();
  });

  it('prunes, object by object, only what its newest checkpoint before the cutoff makes unneeded, and never notes', async () => {
    await withStore(async (store) => {
      await store.checkpoint(T0, [object('api-config', 'shop', 'v1'), object('b', 'shop', 'v1')]);
      await store.record({ changes: [change(10, '11')], events: [event('old', 1, 10)] });
      // A later checkpoint of api-config only (say, a kind first seen later): b's history stays.
      await store.checkpoint(T0 + 100_000, [object('api-config', 'shop', 'v2')]);
      const bChange = change(20, '21', {
        object: { kind: 'ConfigMap', namespace: 'shop', name: 'b', uid: 'b-uid' },
      });
      await store.record({ changes: [bChange, change(110, '12')], events: [event('new', 1, 200)] });
      const ref = { kind: 'Deployment', namespace: 'shop', name: 'api' };
      await store.addNote({ atMs: T0, object: ref, author: 'ana', text: 'kept' });
      // Cutoff at 150 s: api-config's checkpoint at 100 s covers its change at 10 s and its older checkpoint.
      expect(await store.prune(T0 + 150_000)).toEqual({ changes: 1, checkpoints: 1, events: 1 });
      expect((await store.changesBetween(ALL)).map((c) => c.resourceVersion)).toEqual(['21', '12']);
      expect(
        (await store.checkpointsBefore(T0 + 150_000)).map((c) => [c.object.metadata.name, c.atMs - T0]),
      ).toEqual([
        ['api-config', 100_000],
        ['b', 0],
      ]);
      expect(await store.notesOf(ref)).toHaveLength(1);
      // With no checkpoint of its own before the cutoff, an object's changes stay: they are all replay has.
      expect((await store.prune(T0 + 50_000)).changes).toBe(0);
      // An object deleted before the cutoff needs nothing from before its deletion.
      await store.record({
        changes: [
          change(300, '30', { object: bChange.object, action: 'deleted', fields: [], summary: ['deleted'] }),
        ],
      });
      expect(await store.prune(T0 + 400_000)).toEqual({ changes: 2, checkpoints: 1, events: 1 });
      expect((await store.changesBetween(ALL)).map((c) => c.resourceVersion)).toEqual(['12']);
    });
  });

  it('reports its size on disk, which grows as it records', async () => {
    await withStore(async (store) => {
      const before = await store.sizeBytes();
      expect(before).toBeGreaterThan(0);
      const many = Array.from({ length: 2000 }, (_, i) =>
        change(i, String(1000 + i), { summary: [`change ${String(i)} ${'x'.repeat(200)}`] }),
      );
      await store.record({ changes: many });
      expect(await store.sizeBytes()).toBeGreaterThan(before);
    });
  });
}
