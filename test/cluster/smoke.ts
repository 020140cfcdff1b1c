/**
 * Smoke test and benchmark of the test control plane.
 *
 *   node test/cluster/smoke.ts                  # start, 3-replica Deployment → Running, RBAC, logs, audit, stop
 *   node test/cluster/smoke.ts --bench 1000     # … plus: 1,000 pods created → all Running
 *   node test/cluster/smoke.ts --keep           # keep the cluster directory
 *
 * Needs Node ≥ 22.18 (type stripping). Exit code 0 when every check passed.
 */
import { startCluster } from './harness.ts';
import type { KubeClient, RunningCluster } from './harness.ts';

const argv = process.argv.slice(2);
const benchIdx = argv.indexOf('--bench');
const benchPods = benchIdx >= 0 ? Number(argv[benchIdx + 1] ?? '1000') : 0;
const keep = argv.includes('--keep');
const verbose = argv.includes('-v') || argv.includes('--verbose');

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
const secs = (ms: number): string => `${(ms / 1000).toFixed(2)} s`;

let failures = 0;
function check(ok: boolean, what: string): void {
  console.log(`${ok ? 'ok  ' : 'FAIL'} ${what}`);
  if (!ok) failures++;
}

function deployment(name: string, replicas: number): Record<string, unknown> {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace: 'default', labels: { app: name } },
    spec: {
      replicas,
      selector: { matchLabels: { app: name } },
      template: {
        metadata: { labels: { app: name } },
        spec: {
          containers: [
            {
              name: 'app',
              image: 'registry.example/app:1.0',
              resources: { requests: { cpu: '10m', memory: '16Mi' } },
            },
          ],
        },
      },
    },
  };
}

interface PodList {
  metadata: { continue?: string };
  items: { metadata: { name: string }; spec: { nodeName?: string }; status: { phase?: string } }[];
}

/** Counts pods of app=NAME: total, scheduled, Running. Metadata-free JSON list, paged. */
async function countPods(
  c: KubeClient,
  name: string,
): Promise<{ total: number; scheduled: number; running: number }> {
  let total = 0;
  let scheduled = 0;
  let running = 0;
  let cont = '';
  do {
    const q = `labelSelector=app%3D${name}&limit=500${cont ? `&continue=${encodeURIComponent(cont)}` : ''}`;
    const r = await c.request<PodList>('GET', `/api/v1/namespaces/default/pods?${q}`);
    if (r.status !== 200) throw new Error(`list pods: ${r.status} ${r.text.slice(0, 200)}`);
    for (const p of r.body.items) {
      total++;
      if (p.spec.nodeName) scheduled++;
      if (p.status.phase === 'Running') running++;
    }
    cont = r.body.metadata.continue ?? '';
  } while (cont);
  return { total, scheduled, running };
}

async function waitRunning(
  c: KubeClient,
  name: string,
  n: number,
  timeoutMs: number,
): Promise<{ createdMs: number; scheduledMs: number; runningMs: number }> {
  const t0 = performance.now();
  let createdMs = -1;
  let scheduledMs = -1;
  for (;;) {
    const s = await countPods(c, name);
    const now = performance.now() - t0;
    if (createdMs < 0 && s.total >= n) createdMs = now;
    if (scheduledMs < 0 && s.scheduled >= n) scheduledMs = now;
    if (s.running >= n) return { createdMs, scheduledMs, runningMs: now };
    if (now > timeoutMs) throw new Error(`timed out: ${JSON.stringify(s)} of ${n}`);
    await sleep(n > 100 ? 500 : 100);
  }
}

async function main(): Promise<void> {
  const wall0 = performance.now();
  let cluster: RunningCluster | undefined;
  try {
    cluster = await startCluster({
      keepDir: keep,
      log: (l) => {
        if (verbose || l.startsWith('build:')) console.error(`  [cluster] ${l}`);
      },
    });
    const { admin, readOnly } = cluster;
    console.log(`cluster dir      ${cluster.dir}`);
    console.log(`server           ${cluster.server}`);
    console.log(`bin              ${cluster.binDir}`);
    console.log(
      `build.sh         ${secs(cluster.timings.buildMs)} (${cluster.timings.coldBuild ? 'compiled' : 'cache hit'})`,
    );
    console.log(
      `start            ${secs(cluster.timings.startMs)} (etcd → apiserver → controllers, scheduler, kwok → nodes Ready)`,
    );

    const ver = await admin.request<{ gitVersion: string }>('GET', '/version');
    check(
      ver.status === 200 && ver.body.gitVersion.startsWith('v1.'),
      `apiserver /version = ${ver.body.gitVersion}`,
    );

    // 3 replicas → Running
    const created = await admin.request(
      'POST',
      '/apis/apps/v1/namespaces/default/deployments',
      deployment('smoke', 3),
    );
    check(created.status === 201, `create Deployment smoke (HTTP ${created.status})`);
    const t = await waitRunning(admin, 'smoke', 3, 60_000);
    console.log(
      `3 pods           created ${secs(t.createdMs)}, scheduled ${secs(t.scheduledMs)}, Running ${secs(t.runningMs)}`,
    );
    check(true, '3 pods Running (deployment → replicaset → scheduler → kwok)');

    const pods = await admin.request<PodList>(
      'GET',
      '/api/v1/namespaces/default/pods?labelSelector=app%3Dsmoke',
    );
    const nodes = new Set(pods.body.items.map((p) => p.spec.nodeName));
    console.log(`                 spread over nodes: ${[...nodes].join(', ')}`);
    const dep = await admin.request<{ status: { readyReplicas?: number; availableReplicas?: number } }>(
      'GET',
      '/apis/apps/v1/namespaces/default/deployments/smoke',
    );
    // The deployment controller may lag a moment behind the pods.
    let ready = dep.body.status.readyReplicas ?? 0;
    for (let i = 0; i < 50 && ready < 3; i++) {
      await sleep(100);
      const d = await admin.request<{ status: { readyReplicas?: number } }>(
        'GET',
        '/apis/apps/v1/namespaces/default/deployments/smoke',
      );
      ready = d.body.status.readyReplicas ?? 0;
    }
    check(ready === 3, `Deployment status.readyReplicas = ${ready}`);

    // RBAC: read-only user
    const roCreate = await readOnly.request('POST', '/api/v1/namespaces/default/configmaps', {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'nope' },
    });
    check(roCreate.status === 403, `read-only user: create configmap → ${roCreate.status} (want 403)`);
    const roList = await readOnly.request('GET', '/api/v1/namespaces/default/pods');
    check(roList.status === 200, `read-only user: list pods → ${roList.status} (want 200)`);
    const roSecrets = await readOnly.request('GET', '/api/v1/namespaces/default/secrets');
    check(roSecrets.status === 403, `read-only user: list secrets → ${roSecrets.status} (want 403)`);

    // pod logs through apiserver → kwok's kubelet endpoint
    const pod = pods.body.items[0]?.metadata.name ?? '';
    const log0 = await admin.request('GET', `/api/v1/namespaces/default/pods/${pod}/log`);
    check(
      log0.status === 200,
      `pods/log (default ClusterLogs) → ${log0.status}: ${log0.text.trim().slice(0, 60)}`,
    );
    await cluster.setPodLogs('default', pod, {
      current: 'starting\nerror: invalid CACHE_SIZE "-1"\n',
      previous: 'starting\nerror: invalid CACHE_SIZE "-1"\nexit 1\n',
    });
    let logText = '';
    for (let i = 0; i < 50; i++) {
      const r = await readOnly.request('GET', `/api/v1/namespaces/default/pods/${pod}/log`);
      logText = r.text;
      if (logText.includes('CACHE_SIZE')) break;
      await sleep(100);
    }
    check(logText.includes('invalid CACHE_SIZE'), 'pods/log after setPodLogs (as read-only user)');
    const prev = await admin.request('GET', `/api/v1/namespaces/default/pods/${pod}/log?previous=true`);
    check(prev.text.includes('exit 1'), `pods/log?previous=true → ${prev.status}`);

    // audit log: who created what
    const { readFileSync } = await import('node:fs');
    const audit = readFileSync(cluster.auditLogPath, 'utf8')
      .split('\n')
      .filter(Boolean)
      .map(
        (l) =>
          JSON.parse(l) as {
            verb: string;
            user: { username: string };
            objectRef?: { resource?: string; name?: string };
            level: string;
            requestObject?: unknown;
          },
      );
    const depCreate = audit.find(
      (e) => e.verb === 'create' && e.objectRef?.resource === 'deployments' && e.objectRef.name === 'smoke',
    );
    check(
      depCreate?.user.username === 'kubernetes-admin' &&
        depCreate.level === 'RequestResponse' &&
        depCreate.requestObject !== undefined,
      `audit: Deployment create by ${depCreate?.user.username ?? '?'} at ${depCreate?.level ?? '?'}`,
    );
    const podCreate = audit.find((e) => e.verb === 'create' && e.objectRef?.resource === 'pods');
    check(
      podCreate?.user.username === 'system:serviceaccount:kube-system:replicaset-controller',
      `audit: pod create by ${podCreate?.user.username ?? '?'}`,
    );
    console.log(`                 audit log: ${audit.length} events, ${cluster.auditLogPath}`);

    if (benchPods > 0) {
      const perNode = 110;
      const extra = Math.ceil(benchPods / perNode);
      const tn = performance.now();
      await Promise.all(
        Array.from({ length: extra }, (_, i) =>
          cluster!.addNode({ name: `bench-node-${i}`, pods: String(perNode) }),
        ),
      );
      console.log(`bench            ${extra} more nodes Ready in ${secs(performance.now() - tn)}`);
      const tb = performance.now();
      const r = await admin.request(
        'POST',
        '/apis/apps/v1/namespaces/default/deployments',
        deployment('bench', benchPods),
      );
      check(r.status === 201, `create Deployment bench with ${benchPods} replicas`);
      const b = await waitRunning(admin, 'bench', benchPods, 600_000);
      const total = performance.now() - tb;
      console.log(
        `bench            ${benchPods} pods: all created ${secs(b.createdMs)}, all scheduled ${secs(b.scheduledMs)}, all Running ${secs(b.runningMs)} (${(benchPods / (total / 1000)).toFixed(0)} pods/s)`,
      );
    }
  } finally {
    if (cluster) {
      const ts = performance.now();
      await cluster.stop();
      console.log(`stop             ${secs(performance.now() - ts)}`);
    }
  }
  console.log(`total            ${secs(performance.now() - wall0)}`);
  console.log(failures === 0 ? 'smoke: all checks passed' : `smoke: ${failures} check(s) failed`);
  process.exitCode = failures === 0 ? 0 : 1;
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? (err.stack ?? err.message) : String(err));
  process.exitCode = 1;
});
