/**
 * The incident observer's figures (issue #6), on the real control plane of the tests
 * (kube-apiserver, etcd, KWOK nodes; needs Go, like the cluster tests), with the built CLI as a user
 * runs it: `kubectl smart agent -A` streaming over gRPC to `kubectl smart receive`, each its own
 * process. Run by `npm run bench` (after the build), or alone: `node bench/agent.ts`.
 *
 * 1. 5,000 running pods in 50 namespaces; the agent lists and watches them all: its RSS.
 * 2. 40 pods start crash-looping one after another (KWOK plays the kubelet): detection → received
 *    latency, from the moment the failing status reaches a watcher (this script watches the same
 *    API server as the agent does) to the moment `receive` prints the incident.
 * 3. 50 pod updates/s for 60 s (label patches over the 5,000): the agent's CPU, from /proc.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { faultAnnotations } from '../test/cluster/faults.ts';
import { freePorts, startCluster } from '../test/cluster/harness.ts';
import type * as KubeModule from '../src/kube/index.js';
import type * as KindsModule from '../src/core/kinds.js';
import type * as DetectionModule from '../src/observe/failure-detection.js';

const dist = (path: string): string => new URL(`../dist/${path}`, import.meta.url).href;
const { createHttpTransport, loadKubeConfig, LiveSource } = (await import(
  dist('kube/index.js')
)) as typeof KubeModule;
const { findKind } = (await import(dist('core/kinds.js'))) as typeof KindsModule;
const { detectFailures, FAILURE_REASONS } = (await import(
  dist('observe/failure-detection.js')
)) as typeof DetectionModule;

const PODS = Number(process.env.BENCH_AGENT_PODS ?? 5000);
const NAMESPACES = 50;
const FAILURES = Number(process.env.BENCH_AGENT_FAILURES ?? 40);
const CHURN_PER_SECOND = 50;
const CHURN_SECONDS = Number(process.env.BENCH_AGENT_CHURN_SECONDS ?? 60);
const NODES = Math.ceil(PODS / 1000);
const FAILING_NS = 'bench-7';
const bin = fileURLToPath(new URL('../bin/kubectl-smart.js', import.meta.url));
const CLOCK_TICKS_PER_SECOND = 100;

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

async function inParallel<T>(
  items: readonly T[],
  width: number,
  work: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: width }, async () => {
      while (next < items.length) await work(items[next++] as T);
    }),
  );
}

async function until(
  what: string,
  check: () => boolean | Promise<boolean>,
  timeoutMs: number,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(200);
  }
}

/** Resident and peak resident memory of a process, in MiB (/proc/PID/status). */
function memoryOf(pid: number): { rss: number; peak: number } {
  const status = readFileSync(`/proc/${String(pid)}/status`, 'utf8');
  const field = (name: string): number =>
    Number(new RegExp(`^${name}:\\s+(\\d+)`, 'm').exec(status)?.[1] ?? NaN) / 1024;
  return { rss: field('VmRSS'), peak: field('VmHWM') };
}

/** The agent's own account of its memory (prom-client's default metrics), in MiB. */
async function heapOf(opsPort: number): Promise<{ used: number; total: number; external: number }> {
  const mib = (name: string): Promise<number> => metricOf(opsPort, name).then((bytes) => bytes / 1048576);
  return {
    used: await mib('kubectl_smart_nodejs_heap_size_used_bytes'),
    total: await mib('kubectl_smart_nodejs_heap_size_total_bytes'),
    external: await mib('kubectl_smart_nodejs_external_memory_bytes'),
  };
}

/** One unlabelled metric from the agent's /metrics. */
async function metricOf(opsPort: number, name: string): Promise<number> {
  const text = await (await fetch(`http://127.0.0.1:${String(opsPort)}/metrics`)).text();
  return Number(new RegExp(`^${name} (\\S+)$`, 'm').exec(text)?.[1] ?? NaN);
}

/** CPU seconds a process has used, user + system (/proc/PID/stat). */
function cpuSecondsOf(pid: number): number {
  const stat = readFileSync(`/proc/${String(pid)}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS_PER_SECOND;
}

function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;
}

const children: ChildProcess[] = [];
function start(args: readonly string[]): ChildProcess {
  const child = spawn(process.execPath, [bin, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  return child;
}

const cluster = await startCluster({
  nodes: Array.from({ length: NODES }, (_, i) => ({ name: `agent-node-${String(i)}`, pods: '1100' })),
  log: (line) => process.stderr.write(`[cluster] ${line}\n`),
});
const work = mkdtempSync(join(tmpdir(), 'kubectl-smart-bench-agent-'));
const stopWatch = new AbortController();
try {
  const namespaces = Array.from({ length: NAMESPACES }, (_, i) => `bench-${String(i)}`);
  for (const name of namespaces) {
    const response = await cluster.admin.request('POST', '/api/v1/namespaces', {
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name },
    });
    if (response.status !== 201)
      throw new Error(`namespace ${name}: ${String(response.status)} ${response.text}`);
  }
  const pods = Array.from({ length: PODS }, (_, i) => ({
    namespace: namespaces[i % NAMESPACES] ?? '',
    name: `pod-${String(i).padStart(5, '0')}`,
    node: `agent-node-${String(i % NODES)}`,
  }));
  const podBody = (name: string, node: string, annotations: Record<string, string> = {}): object => ({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, labels: { app: name.replace(/-\d+$/, '') }, annotations },
    spec: {
      nodeName: node,
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
  const createdAt = Date.now();
  await inParallel(pods, 24, async (pod) => {
    const response = await cluster.admin.request(
      'POST',
      `/api/v1/namespaces/${pod.namespace}/pods`,
      podBody(pod.name, pod.node),
    );
    if (response.status !== 201)
      throw new Error(`create ${pod.name}: ${String(response.status)} ${response.text}`);
  });
  await until(
    `${String(PODS)} pods Running`,
    async () => {
      await sleep(2_000);
      const response = await cluster.admin.request<{ items: unknown[] }>(
        'GET',
        '/api/v1/pods?fieldSelector=status.phase%3DRunning',
      );
      return response.body.items.length >= PODS;
    },
    600_000,
  );
  process.stderr.write(
    `${String(PODS)} pods running after ${String(Math.round((Date.now() - createdAt) / 1000))} s\n`,
  );

  // receive, then the agent watching every namespace.
  const [receivePort = 0, opsPort = 0] = await freePorts(2);
  const receiver = start(['receive', '--listen', `127.0.0.1:${String(receivePort)}`, '-o', 'json']);
  const receivedAt = new Map<string, number>();
  const listening = new Promise<void>((resolve) => {
    createInterface({ input: receiver.stderr ?? process.stdin }).on('line', (line) => {
      if (line.startsWith('receiving incidents on')) resolve();
    });
  });
  createInterface({ input: receiver.stdout ?? process.stdin }).on('line', (line) => {
    const incident = JSON.parse(line) as { pod?: { name?: string } };
    const name = incident.pod?.name;
    if (name !== undefined && !receivedAt.has(name))
      receivedAt.set(name, performance.timeOrigin + performance.now());
  });
  await listening;
  const agentStartedAt = Date.now();
  const agent = start([
    'agent',
    '-A',
    '--kubeconfig',
    cluster.kubeconfigAdmin,
    '--sink',
    `grpc://127.0.0.1:${String(receivePort)}`,
    '--outbox',
    join(work, 'outbox'),
    '--listen',
    `127.0.0.1:${String(opsPort)}`,
    '--log-level',
    'warn',
  ]);
  const agentPid = agent.pid ?? 0;
  agent.stderr?.pipe(process.stderr);
  await until(
    'the agent to list every pod',
    async () => {
      try {
        return (await fetch(`http://127.0.0.1:${String(opsPort)}/readyz`)).status === 200;
      } catch {
        return false;
      }
    },
    300_000,
  );
  const listMs = Date.now() - agentStartedAt;
  await sleep(5_000);
  const afterList = memoryOf(agentPid);
  const heapAfterList = await heapOf(opsPort);

  // Failures, one at a time; this script's own watch of the namespace says when each became visible.
  const visibleAt = new Map<string, number>();
  const transport = await createHttpTransport(loadKubeConfig({ kubeconfig: cluster.kubeconfigAdmin }), {
    timeoutMs: 30_000,
    maxSockets: 2,
  });
  const watcher = new LiveSource({ transport, defaultNamespace: FAILING_NS });
  const wanted = new Set(FAILURE_REASONS);
  const podKind = findKind('Pod');
  if (podKind === undefined) throw new Error('no Pod kind');
  const watching = watcher.watchKind(
    podKind,
    { namespace: FAILING_NS, signal: stopWatch.signal },
    {
      onListPage: () => undefined,
      onListEnd: () => undefined,
      onProgress: () => undefined,
      onChange: (_type, object) => {
        const name = object.metadata.name;
        if (visibleAt.has(name)) return;
        if (detectFailures(object, { wanted, now: new Date(), recentMs: 600_000 }).length > 0)
          visibleAt.set(name, performance.timeOrigin + performance.now());
      },
    },
  );
  const failing = Array.from({ length: FAILURES }, (_, i) => `crash-${String(i).padStart(2, '0')}`);
  for (const [i, name] of failing.entries()) {
    const response = await cluster.admin.request(
      'POST',
      `/api/v1/namespaces/${FAILING_NS}/pods`,
      podBody(
        name,
        `agent-node-${String(i % NODES)}`,
        faultAnnotations('CrashLoopBackOff', { runMs: 1000, backoffMs: 5000 }),
      ),
    );
    if (response.status !== 201)
      throw new Error(`create ${name}: ${String(response.status)} ${response.text}`);
    await sleep(1_500);
  }
  await until(
    `${String(FAILURES)} incidents received`,
    () => failing.every((name) => receivedAt.has(name)),
    180_000,
  );
  const latencies = failing.map((name) => (receivedAt.get(name) ?? NaN) - (visibleAt.get(name) ?? NaN));
  if (latencies.some((ms) => !Number.isFinite(ms)))
    throw new Error('a failure was received but never seen by the watch');
  stopWatch.abort();
  await watching.catch(() => undefined);
  watcher.close();

  // Churn: 50 label patches a second over the running pods, paced per second.
  const seenBefore = await metricOf(opsPort, 'kubectl_smart_pod_updates_total');
  const cpuBefore = cpuSecondsOf(agentPid);
  const churnStarted = performance.now();
  let patched = 0;
  for (let second = 0; second < CHURN_SECONDS; second++) {
    const secondStarted = performance.now();
    const batch = pods.slice(patched % PODS, (patched % PODS) + CHURN_PER_SECOND);
    patched += batch.length;
    await inParallel(batch, 10, async (pod) => {
      const response = await cluster.admin.request(
        'PATCH',
        `/api/v1/namespaces/${pod.namespace}/pods/${pod.name}`,
        { metadata: { labels: { revision: String(patched) } } },
        { contentType: 'application/merge-patch+json' },
      );
      if (response.status !== 200)
        throw new Error(`patch ${pod.name}: ${String(response.status)} ${response.text}`);
    });
    await sleep(Math.max(0, 1000 - (performance.now() - secondStarted)));
  }
  const churnSeconds = (performance.now() - churnStarted) / 1000;
  const cpuMillicores = ((cpuSecondsOf(agentPid) - cpuBefore) / churnSeconds) * 1000;
  const atEnd = memoryOf(agentPid);
  // The agent's own count of pod states it judged: the patches must have reached it, or the CPU
  // figure would be of an idle process.
  await sleep(2_000);
  const judged = (await metricOf(opsPort, 'kubectl_smart_pod_updates_total')) - seenBefore;
  if (!(judged >= patched))
    throw new Error(`the agent judged ${String(judged)} pod updates of the ${String(patched)} made`);

  const line = (label: string, value: string): string => `  ${label.padEnd(44)}  ${value}\n`;
  process.stdout.write(
    `\nincident observer (kubectl smart agent -A → receive over gRPC, real API server, ${new Date().toISOString().slice(0, 10)})\n\n` +
      line(
        `agent RSS watching ${String(PODS)} pods`,
        `${afterList.rss.toFixed(0)} MiB after listing them (listed and ready in ${(listMs / 1000).toFixed(1)} s; JS heap ${heapAfterList.used.toFixed(0)} of ${heapAfterList.total.toFixed(0)} MiB used, ${heapAfterList.external.toFixed(0)} MiB outside it); peak ${atEnd.peak.toFixed(0)} MiB over the whole run`,
      ) +
      line(
        `detection → received (${String(FAILURES)} crash loops)`,
        `p50 ${percentile(latencies, 50).toFixed(0)} ms, p95 ${percentile(latencies, 95).toFixed(0)} ms, max ${Math.max(...latencies).toFixed(0)} ms`,
      ) +
      line(
        `agent CPU at ${String(CHURN_PER_SECOND)} pod updates/s`,
        `${cpuMillicores.toFixed(0)}m over ${churnSeconds.toFixed(0)} s (${String(patched)} label patches, ${String(judged)} pod updates judged); RSS ${atEnd.rss.toFixed(0)} MiB after`,
      ),
  );
} finally {
  stopWatch.abort();
  for (const child of children) child.kill('SIGTERM');
  await sleep(500);
  for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
  await cluster.stop();
  rmSync(work, { recursive: true, force: true });
}
