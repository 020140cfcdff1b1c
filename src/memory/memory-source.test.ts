import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { findKind, type KindInfo } from '../core/kinds.js';
import type { KubeObject } from '../core/kube-object.js';
import { openStore } from '../store/open-store.js';
import { MemorySource } from './memory-source.js';

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
