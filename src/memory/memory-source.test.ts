import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Change } from '../core/change.js';
import { findKind, type KindInfo } from '../core/kinds.js';
import type { KubeObject } from '../core/kube-object.js';
import { openStore } from '../store/open-store.js';
import { historyBefore, MemorySource } from './memory-source.js';

const dir = mkdtempSync(join(tmpdir(), 'kubectl-smart-memory-source-'));
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

const T0 = Date.parse('2026-11-20T03:00:00Z');
const kind = (name: string): KindInfo => findKind(name)!;
const experiment: KubeObject = {
  apiVersion: 'chaos-mesh.org/v1alpha1',
  kind: 'PodChaos',
  metadata: { name: 'kill-db', namespace: 'shop', uid: 'chaos-1', resourceVersion: '7' },
  spec: { action: 'pod-failure', mode: 'all', selector: { labelSelectors: { app: 'db' } } },
};
const configMap: KubeObject = {
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name: 'api-config', namespace: 'shop', uid: 'cm-1', resourceVersion: '8' },
  data: { CACHE_SIZE: '512Mi' },
};

describe('MemorySource and the kinds a CRD defines', () => {
  it('reads a chaos experiment a recording followed (--crds), and says nothing of one it did not', async () => {
    const store = await openStore(join(dir, 'with', 'memory.db'));
    await store.checkpoint(T0, [experiment, configMap]);
    await store.record({ cursors: { 'podchaos.chaos-mesh.org': '7', configmaps: '8' } });
    const source = new MemorySource({ store, atMs: T0 + 60_000 });
    const { snapshot, gaps } = await source.load({
      kinds: [
        kind('podchaos.chaos-mesh.org'),
        kind('networkchaos.chaos-mesh.org'),
        kind('configmaps'),
        kind('pods'),
      ],
    });
    expect(snapshot.ofKind('PodChaos').map((o) => o.metadata.name)).toEqual(['kill-db']);
    expect(snapshot.coverage.covers('PodChaos', 'shop')).toBe(true);
    // Not followed: no gap, and unknown rather than absent.
    expect(snapshot.coverage.covers('NetworkChaos', 'shop')).toBe(false);
    expect(gaps).toEqual([
      {
        resource: 'pods',
        reason: 'not-recorded',
        message: 'the recording did not follow these kinds',
        check: 'kubectl smart record --kinds …',
      },
    ]);
    await store.close();
  });
});

describe('MemorySource and custom resources it recorded', () => {
  it('keeps, when asked, recorded objects of other kinds that carry conditions, as read where they are', async () => {
    const widget: KubeObject = {
      apiVersion: 'example.com/v1',
      kind: 'Widget',
      metadata: { name: 'blue', namespace: 'shop', uid: 'w-1', resourceVersion: '9' },
      status: { conditions: [{ type: 'Ready', status: 'False', reason: 'BackendDown' }] },
    };
    const plain: KubeObject = {
      apiVersion: 'example.com/v1',
      kind: 'Gadget',
      metadata: { name: 'red', namespace: 'shop', uid: 'g-1', resourceVersion: '10' },
    };
    const store = await openStore(join(dir, 'widgets', 'memory.db'));
    await store.checkpoint(T0, [widget, plain, configMap]);
    await store.record({ cursors: { 'widgets.example.com': '9', configmaps: '8' } });
    const source = new MemorySource({ store, atMs: T0 + 60_000 });
    const asked = await source.load({ kinds: [kind('configmaps')], withConditions: true });
    expect([...asked.snapshot.all()].map((o) => o.kind).sort()).toEqual(['ConfigMap', 'Widget']);
    expect(asked.snapshot.coverage.covers('Widget', 'shop')).toBe(true);
    const notAsked = await source.load({ kinds: [kind('configmaps')] });
    expect([...notAsked.snapshot.all()].map((o) => o.kind)).toEqual(['ConfigMap']);
    await store.close();
  });
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
