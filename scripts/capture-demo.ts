/**
 * Captures the bundled demo recording (examples/demo/recording.jsonl) from the real control plane
 * of test/cluster: `kubectl smart record` runs as its own process with the API server's audit log
 * while an outage plays out in namespace `shop`: a worker OOM-killed under a 64Mi limit, then a
 * ConfigMap key edited by the admin "for the sale", a rollout that picks it up, the new api pods
 * crash-looping, and the api Service left without ready endpoints. Then a note, and an export.
 *
 *   npm run build && node scripts/capture-demo.ts
 *
 * Needs Go (the control plane is built from Go modules, cached outside the repo).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startCluster } from '../test/cluster/harness.ts';
import { startRecorder } from '../test/cluster/recorder-process.ts';
import { faultPods, rolloutRestart } from '../test/cluster/scenes/common.ts';
import {
  createAll,
  deployment,
  ensureNamespace,
  patch,
  pods,
  waitFor,
  waitPods,
} from '../test/cluster/scenes/util.ts';

const NS = 'shop';
const root = fileURLToPath(new URL('../', import.meta.url));
const out = join(root, 'examples', 'demo', 'recording.jsonl');
const work = mkdtempSync(join(tmpdir(), 'kubectl-smart-demo-capture-'));
const store = join(work, 'memory.db');
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
const smart = (args: readonly string[]): string => {
  const result = spawnSync(
    process.execPath,
    [join(root, 'bin', 'kubectl-smart.js'), ...args, '--alpha-memory', '--store', store],
    {
      encoding: 'utf8',
    },
  );
  if (result.status !== 0) throw new Error(`kubectl smart ${args.join(' ')}: ${result.stderr}`);
  return result.stdout + result.stderr;
};

const cluster = await startCluster({ log: (line) => process.stderr.write(`[cluster] ${line}\n`) });
try {
  await ensureNamespace(cluster.admin, NS);
  const recorder = startRecorder([
    '-n',
    NS,
    '--kubeconfig',
    cluster.kubeconfigAdmin,
    '--store',
    store,
    '--audit-log',
    cluster.auditLogPath,
  ]);
  await recorder.started;
  await sleep(1500);

  // The shop as it runs: an api reading its cache size from a ConfigMap, its Service, a worker.
  await faultPods(cluster, NS, 'worker', 'OOMKilled', { runMs: 1500, backoffMs: 4000 });
  await createAll(cluster.admin, [
    {
      kind: 'ConfigMap',
      metadata: { name: 'api-config', namespace: NS },
      data: { CACHE_SIZE: '512Mi', LOG_LEVEL: 'info' },
    },
    deployment(NS, 'api', {
      replicas: 2,
      containers: [
        {
          name: 'api',
          image: 'registry.example.com/shop/api:1.4.2',
          envFrom: [{ configMapRef: { name: 'api-config' } }],
          ports: [{ name: 'http', containerPort: 8080 }],
          resources: { requests: { cpu: '200m', memory: '256Mi' }, limits: { memory: '768Mi' } },
        },
      ],
    }),
    {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'api', namespace: NS },
      spec: { selector: { app: 'api' }, ports: [{ name: 'http', port: 80, targetPort: 'http' }] },
    },
    deployment(NS, 'worker', {
      containers: [
        {
          name: 'worker',
          image: 'registry.example.com/shop/worker:3.1',
          resources: { requests: { memory: '64Mi', cpu: '100m' }, limits: { memory: '64Mi' } },
        },
      ],
    }),
  ]);
  await waitPods(
    cluster.admin,
    NS,
    'app=api',
    (ps) => ps.length === 2 && ps.every((p) => p.status?.phase === 'Running'),
    'api Running',
  );
  await waitPods(
    cluster.admin,
    NS,
    'app=worker',
    (ps) => ps.some((p) => (p.status?.containerStatuses?.[0]?.restartCount ?? 0) >= 2),
    'worker OOM-killed twice',
  );
  await sleep(3000);

  // The edit, as the admin, with the reason it was made; then the rollout that picks it up.
  await faultPods(cluster, NS, 'api', 'CrashLoopBackOff', { runMs: 800, backoffMs: 3000 }, 'restarted');
  await patch(cluster.admin, 'ConfigMap', 'api-config', NS, {
    metadata: { annotations: { 'ops.kubectl-smart.io/why': 'bigger cache for the holiday sale' } },
    data: { CACHE_SIZE: 'lots' },
  });
  await sleep(2000);
  await rolloutRestart(cluster, NS, 'api');
  const log = [
    'level=info msg="starting api" version=1.4.2',
    'level=info msg="loading configuration from environment"',
    'level=fatal msg="invalid CACHE_SIZE \\"lots\\": expected a quantity such as 512Mi"',
  ].join('\n');
  const withLogs = new Set<string>();
  await waitFor(
    'both api pods of the new template crash-looping',
    async () => {
      const live = (await pods(cluster.admin, NS, 'app=api')).filter(
        (p) => p.metadata.deletionTimestamp === undefined,
      );
      for (const p of live.filter(
        (x) =>
          x.metadata.annotations?.['kubectl.kubernetes.io/restartedAt'] !== undefined &&
          !withLogs.has(x.metadata.name),
      )) {
        await cluster.setPodLogs(NS, p.metadata.name, { current: log, previous: log });
        withLogs.add(p.metadata.name);
      }
      return (
        live.length === 2 && live.every((p) => (p.status?.containerStatuses?.[0]?.restartCount ?? 0) >= 2)
      );
    },
    120_000,
  );
  await sleep(4000);
  const code = await recorder.stop('SIGINT');
  if (code !== 0) throw new Error(`record exited ${String(code)}: ${recorder.output().stderr}`);
  process.stderr.write(recorder.output().stdout);

  process.stderr.write(
    smart([
      'note',
      'configmap/api-config',
      '-n',
      NS,
      'CACHE_SIZE is a Kubernetes quantity (512Mi, 1Gi): the api refuses anything else',
      '--author',
      'sre-oncall',
    ]),
  );
  mkdirSync(join(root, 'examples', 'demo'), { recursive: true });
  process.stderr.write(smart(['export', '-n', NS, '-f', out]));
} finally {
  await cluster.stop();
  rmSync(work, { recursive: true, force: true });
}
