/**
 * The recorder under failure, on the real API server, as separate processes:
 * - killed with SIGKILL in the middle of a stream of edits and started again: the store opens
 *   consistent, recording resumes from the saved resourceVersion, and every edit is there once;
 * - stopped while objects change and are deleted, with history compacted meanwhile: on restart
 *   its watch gets 410 Gone, it lists again and records the deletion and the change of the gap.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore } from '../../src/store/open-store.js';
import { connectCluster, startCluster, type ClusterHandle, type RunningCluster } from './harness.ts';
import { startRecorder } from './recorder-process.ts';
import { createAll, ensureNamespace, patch } from './scenes/util.ts';

const ALL = { from: 0, to: Number.MAX_SAFE_INTEGER };
const dir = mkdtempSync(join(tmpdir(), 'kubectl-smart-record-reliability-'));
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

function recordIn(cluster: ClusterHandle, ns: string, store: string) {
  return startRecorder([
    '-n',
    ns,
    '--kinds',
    'configmaps',
    '--kubeconfig',
    cluster.kubeconfigAdmin,
    '--store',
    store,
  ]);
}

const configMap = (ns: string, name: string, value: string) => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name, namespace: ns },
  data: { VALUE: value },
});

describe('recorder killed mid-stream', () => {
  it('resumes from its saved resourceVersion with every edit recorded exactly once', async () => {
    const cluster = connectCluster();
    const ns = 'record-kill';
    const store = join(dir, 'kill.db');
    await ensureNamespace(cluster.admin, ns);
    await createAll(cluster.admin, [configMap(ns, 'counter', '0')]);
    const versions: string[] = [];
    const edit = async (i: number): Promise<void> => {
      const after = await patch(cluster.admin, 'ConfigMap', 'counter', ns, { data: { VALUE: String(i) } });
      versions.push((after.metadata as { resourceVersion?: string }).resourceVersion ?? '');
    };

    const first = recordIn(cluster, ns, store);
    await first.started;
    await sleep(1500);
    for (let i = 1; i <= 30; i++) await edit(i);
    // Killed while edits keep coming: no clean shutdown, no last flush.
    expect(await first.stop('SIGKILL')).toBeNull();
    for (let i = 31; i <= 45; i++) await edit(i);

    const second = recordIn(cluster, ns, store);
    await second.started;
    for (let i = 46; i <= 60; i++) await edit(i);
    await sleep(2000);
    expect(await second.stop('SIGINT'), second.output().stderr).toBe(0);

    const opened = await openStore(store);
    const changes = (await opened.changesBetween(ALL, ns)).filter((c) => c.object.name === 'counter');
    await opened.close();
    const modified = changes.filter((c) => c.action === 'modified');
    expect(modified.map((c) => c.resourceVersion)).toEqual(versions);
    expect(modified.map((c) => c.fields.find((f) => f.path === 'data.VALUE')?.new)).toEqual(
      Array.from({ length: 60 }, (_, i) => String(i + 1)),
    );
  });
});

describe('recorder restarted after its history was compacted away', () => {
  let cluster: RunningCluster;
  beforeAll(async () => {
    // Its own control plane: no watch cache, history compacted every second, so an old version is gone fast.
    cluster = await startCluster({
      watchCache: false,
      apiserverCompactionInterval: '1s',
      kubeletEvents: false,
    });
  });
  afterAll(async () => {
    await cluster.stop();
  });

  it('gets 410 Gone, lists again, and records the deletion and the edit made in the gap', async () => {
    const ns = 'record-gap';
    const store = join(dir, 'gap.db');
    await ensureNamespace(cluster.admin, ns);
    await createAll(cluster.admin, [configMap(ns, 'kept', 'before'), configMap(ns, 'doomed', 'x')]);

    const first = recordIn(cluster, ns, store);
    await first.started;
    await sleep(1500);
    expect(await first.stop('SIGINT')).toBe(0);

    await patch(cluster.admin, 'ConfigMap', 'kept', ns, { data: { VALUE: 'during the gap' } });
    const gone = await cluster.admin.request('DELETE', `/api/v1/namespaces/${ns}/configmaps/doomed`);
    expect(gone.status).toBe(200);
    // More writes elsewhere, then compaction past the cursor.
    await createAll(cluster.admin, [configMap(ns, 'filler', '1')]);
    await sleep(6000);

    const second = recordIn(cluster, ns, store);
    await second.started;
    await sleep(3000);
    expect(await second.stop('SIGINT'), second.output().stderr).toBe(0);

    const opened = await openStore(store);
    const changes = await opened.changesBetween(ALL, ns);
    await opened.close();
    // One relist, compared with what was known: the list's order, then what is no longer there.
    expect(changes.map((c) => [c.object.name, c.action])).toEqual([
      ['filler', 'added'],
      ['kept', 'modified'],
      ['doomed', 'deleted'],
    ]);
    expect(changes.find((c) => c.object.name === 'kept')?.fields).toEqual([
      { path: 'data.VALUE', op: 'changed', old: 'before', new: 'during the gap' },
    ]);
    expect(second.output().stderr).not.toContain('error');
  });
});
