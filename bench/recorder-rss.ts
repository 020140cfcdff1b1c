/**
 * `npm run bench:recorder`: the recorder's memory as a user runs it, against the real control
 * plane of the tests (kube-apiserver, etcd, KWOK nodes; needs Go, like the cluster tests).
 * 10,000 pods are created and set Running by KWOK; `kubectl smart record -A` is started as its own
 * process, lists them all, then follows 2,000 label edits; its peak RSS (VmHWM) is read from /proc.
 */
import { readFileSync, rmSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { startCluster } from '../test/cluster/harness.ts';
import { startRecorder } from '../test/cluster/recorder-process.ts';

const PODS = Number(process.env.BENCH_PODS ?? 10_000);
const EDITS = Math.min(2000, PODS);
const NODES = Math.ceil(PODS / 1000);
const NS = 'default';

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Runs `work` over `items`, `width` at a time. */
async function inParallel<T>(items: readonly T[], width: number, work: (item: T) => Promise<void>) {
  let next = 0;
  await Promise.all(
    Array.from({ length: width }, async () => {
      while (next < items.length) await work(items[next++] as T);
    }),
  );
}

function status(pid: number, field: 'VmHWM' | 'VmRSS'): number {
  const line = readFileSync(`/proc/${String(pid)}/status`, 'utf8')
    .split('\n')
    .find((l) => l.startsWith(`${field}:`));
  return Number(/(\d+)/.exec(line ?? '')?.[1] ?? Number.NaN) / 1024;
}

/** What the recorder's store holds so far (read by another process, as WAL allows). */
function stored(path: string): { podCheckpoints: number; changes: number } {
  try {
    const db = new DatabaseSync(path, { readOnly: true });
    try {
      const one = (query: string): number => Number(Object.values(db.prepare(query).get() ?? {})[0] ?? 0);
      return {
        podCheckpoints: one(`select count(*) from checkpoints where kind = 'Pod'`),
        changes: one(`select count(*) from changes`),
      };
    } finally {
      db.close();
    }
  } catch {
    return { podCheckpoints: 0, changes: 0 };
  }
}

async function until(what: string, check: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(500);
  }
}

const started = Date.now();
const cluster = await startCluster({
  nodes: Array.from({ length: NODES }, (_, i) => ({ name: `rss-node-${String(i)}`, pods: '1100' })),
  log: (line) => process.stderr.write(`[cluster] ${line}\n`),
});
const dir = mkdtempSync(join(tmpdir(), 'kubectl-smart-bench-recorder-'));
try {
  const names = Array.from({ length: PODS }, (_, i) => `pod-${String(i).padStart(5, '0')}`);
  await inParallel(names, 24, async (name) => {
    const i = Number(name.slice(4));
    const response = await cluster.admin.request('POST', `/api/v1/namespaces/${NS}/pods`, {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name, labels: { app: `app-${String(i % 500)}` } },
      spec: {
        nodeName: `rss-node-${String(i % NODES)}`,
        containers: [
          {
            name: 'main',
            image: 'registry.example.com/shop/app:1.0',
            resources: { requests: { cpu: '10m', memory: '16Mi' }, limits: { memory: '64Mi' } },
            env: [{ name: 'LOG_LEVEL', value: 'info' }],
          },
        ],
      },
    });
    if (response.status !== 201)
      throw new Error(`create ${name}: ${String(response.status)} ${response.text}`);
  });
  process.stderr.write(
    `${String(PODS)} pods created in ${String(Math.round((Date.now() - started) / 1000))} s\n`,
  );

  const store = join(dir, 'memory.db');
  const recorder = startRecorder(
    ['-A', '--store', store, '--kubeconfig', cluster.kubeconfigAdmin],
    // To try V8 settings on the recorder alone: RECORDER_NODE_OPTIONS='--max-semi-space-size=4'.
    process.env.RECORDER_NODE_OPTIONS === undefined
      ? {}
      : { NODE_OPTIONS: process.env.RECORDER_NODE_OPTIONS },
  );
  await recorder.started;
  const pid = recorder.child.pid ?? 0;
  const listedAt = Date.now();
  await until('the recorder to checkpoint every pod', () => stored(store).podCheckpoints >= PODS, 300_000);
  const listMs = Date.now() - listedAt;
  const afterList = status(pid, 'VmRSS');

  const before = stored(store).changes;
  await inParallel(names.slice(0, EDITS), 16, async (name) => {
    const response = await cluster.admin.request(
      'PATCH',
      `/api/v1/namespaces/${NS}/pods/${name}`,
      { metadata: { labels: { 'release-train': 'r2' } } },
      { contentType: 'application/merge-patch+json' },
    );
    if (response.status !== 200)
      throw new Error(`label ${name}: ${String(response.status)} ${response.text}`);
  });
  await until(`${String(EDITS)} edits recorded`, () => stored(store).changes - before >= EDITS, 120_000);
  const peak = status(pid, 'VmHWM');
  const now = status(pid, 'VmRSS');
  await recorder.stop('SIGINT');
  const summary = recorder.output().stdout.trim().split('\n').at(-1) ?? '';

  process.stdout.write(
    `kubectl-smart bench:recorder — ${new Date().toISOString().slice(0, 10)}, node ${process.version}\n\n` +
      `  record -A over ${String(PODS)} pods (real API server)  listed and checkpointed in ${(listMs / 1000).toFixed(1)} s; RSS ${afterList.toFixed(0)} MB after the list, ${now.toFixed(0)} MB after ${String(EDITS)} edits; peak RSS ${peak.toFixed(0)} MB\n` +
      `  its last line: ${summary}\n`,
  );
} finally {
  await cluster.stop();
  rmSync(dir, { recursive: true, force: true });
}
