/**
 * Checks the KWOK fault stages against the shapes a kubelet produces.
 *
 *   node test/cluster/faults-check.ts [--dump]     # --dump prints one full pod status per fault
 */
import { startCluster } from './harness.ts';
import { faultAnnotations } from './faults.ts';
import type { FaultParams, FaultType } from './faults.ts';

const dump = process.argv.includes('--dump');
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
let failures = 0;
function check(ok: boolean, what: string): void {
  console.log(`${ok ? 'ok  ' : 'FAIL'} ${what}`);
  if (!ok) failures++;
}

interface ContainerStatus {
  name: string;
  ready: boolean;
  started?: boolean;
  restartCount: number;
  state: Record<string, { reason?: string; message?: string; exitCode?: number }>;
  lastState: Record<string, { reason?: string; exitCode?: number }>;
  containerID?: string;
  imageID?: string;
}
interface Pod {
  metadata: { name: string; annotations?: Record<string, string> };
  spec: { nodeName?: string };
  status: {
    phase: string;
    podIP?: string;
    conditions?: { type: string; status: string; reason?: string; message?: string }[];
    containerStatuses?: ContainerStatus[];
  };
}

function deployment(name: string, type: FaultType, params: FaultParams = {}): Record<string, unknown> {
  const probe =
    type === 'NotReady'
      ? { readinessProbe: { httpGet: { path: '/healthz', port: 8080 }, periodSeconds: 1 } }
      : {};
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace: 'default' },
    spec: {
      replicas: 1,
      selector: { matchLabels: { app: name } },
      template: {
        metadata: { labels: { app: name }, annotations: faultAnnotations(type, params) },
        spec: { containers: [{ name: 'app', image: `registry.example/${name}:1.0`, ...probe }] },
      },
    },
  };
}

function summary(p: Pod): string {
  const c = p.status.containerStatuses?.[0];
  if (!c) return `${p.status.phase} (no container status)`;
  const [st, sv] = Object.entries(c.state)[0] ?? ['?', {}];
  const [ls, lv] = Object.entries(c.lastState)[0] ?? ['-', {}];
  const ready = p.status.conditions?.find((x) => x.type === 'Ready');
  return `${p.status.phase} ready=${ready?.status ?? '?'}(${ready?.reason ?? ''}) ${st}:${sv.reason ?? ''}${sv.exitCode !== undefined ? `/${sv.exitCode}` : ''} restarts=${c.restartCount} last=${ls}:${lv.reason ?? ''}${lv.exitCode !== undefined ? `/${lv.exitCode}` : ''}`;
}

async function main(): Promise<void> {
  const cluster = await startCluster({
    keepDir: process.argv.includes('--keep'),
    log: (l) => console.error(`  [cluster] ${l}`),
    // Fast node failure detection for the node-notready check.
    nodeMonitorGracePeriodSeconds: 6,
    nodeMonitorPeriodSeconds: 1,
    nodeLeaseDurationSeconds: 8,
    defaultTolerationSeconds: 5,
  });
  const { admin } = cluster;
  try {
    const fast = { runMs: 300, backoffMs: 1500, pullMs: 500 };
    const specs: [string, FaultType, FaultParams][] = [
      ['crash', 'CrashLoopBackOff', { ...fast, message: 'invalid CACHE_SIZE' }],
      ['oom', 'OOMKilled', fast],
      ['pull-notfound', 'ImagePullBackOff', fast],
      ['pull-unauth', 'ErrImagePull', { ...fast, pullError: 'unauthorized' }],
      ['pull-429', 'ErrImagePull', { ...fast, pullError: 'rate-limited' }],
      [
        'config',
        'CreateContainerConfigError',
        { message: "couldn't find key CACHE_SIZE in ConfigMap default/api-config" },
      ],
      ['notready', 'NotReady', {}],
    ];
    for (const [name, type, params] of specs) {
      const r = await admin.request(
        'POST',
        '/apis/apps/v1/namespaces/default/deployments',
        deployment(name, type, params),
      );
      if (r.status !== 201) throw new Error(`${name}: ${r.status} ${r.text}`);
    }
    const job = {
      apiVersion: 'batch/v1',
      kind: 'Job',
      metadata: { name: 'oom-job', namespace: 'default' },
      spec: {
        backoffLimit: 0,
        template: {
          metadata: { annotations: faultAnnotations('OOMKilled', { runMs: 300 }) },
          spec: {
            restartPolicy: 'Never',
            containers: [
              {
                name: 'memory-eater',
                image: 'registry.example/memory-eater:1.0',
                resources: { limits: { memory: '64Mi' } },
              },
            ],
          },
        },
      },
    };
    check(
      (await admin.request('POST', '/apis/batch/v1/namespaces/default/jobs', job)).status === 201,
      'create Job oom-job',
    );
    const healthy = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'healthy', namespace: 'default' },
      spec: {
        replicas: 1,
        selector: { matchLabels: { app: 'healthy' } },
        template: {
          metadata: { labels: { app: 'healthy' } },
          spec: {
            initContainers: [
              { name: 'migrate', image: 'registry.example/migrate:1.0' },
              { name: 'proxy', image: 'envoyproxy/envoy:v1.33', restartPolicy: 'Always' },
            ],
            containers: [{ name: 'app', image: 'nginx:1.27' }],
          },
        },
      },
    };
    await admin.request('POST', '/apis/apps/v1/namespaces/default/deployments', healthy);

    await sleep(5000);
    const list = await admin.request<{ items: Pod[] }>('GET', '/api/v1/namespaces/default/pods');
    const byApp = (prefix: string): Pod | undefined =>
      list.body.items.find((p) => p.metadata.name.startsWith(`${prefix}-`));
    for (const p of list.body.items) console.log(`  ${p.metadata.name.padEnd(36)} ${summary(p)}`);

    const cs = (p: Pod | undefined): ContainerStatus | undefined => p?.status.containerStatuses?.[0];
    const crash = byApp('crash');
    check(
      crash?.status.phase === 'Running' &&
        (cs(crash)?.restartCount ?? 0) >= 1 &&
        cs(crash)?.lastState['terminated']?.exitCode === 1,
      'CrashLoopBackOff: Running, restarts ≥ 1, lastState.terminated exit 1',
    );
    const oom = byApp('oom');
    check(
      cs(oom)?.lastState['terminated']?.reason === 'OOMKilled' &&
        cs(oom)?.lastState['terminated']?.exitCode === 137,
      'OOMKilled: lastState.terminated OOMKilled/137',
    );
    const job1 = byApp('oom-job');
    check(
      job1?.status.phase === 'Failed' && cs(job1)?.state['terminated']?.reason === 'OOMKilled',
      'OOMKilled Job pod: Failed, state.terminated OOMKilled',
    );
    const pnf = byApp('pull-notfound');
    const pnfReason = cs(pnf)?.state['waiting']?.reason ?? '';
    check(
      pnf?.status.phase === 'Pending' && ['ErrImagePull', 'ImagePullBackOff'].includes(pnfReason),
      `image not found: Pending, ${pnfReason}`,
    );
    const pu = byApp('pull-unauth');
    check(
      /pull access denied|Back-off pulling image/.test(cs(pu)?.state['waiting']?.message ?? ''),
      'image unauthorized: message',
    );
    const cfg = byApp('config');
    check(cs(cfg)?.state['waiting']?.reason === 'CreateContainerConfigError', 'CreateContainerConfigError');
    const nr = byApp('notready');
    check(
      nr?.status.phase === 'Running' && cs(nr)?.ready === false && cs(nr)?.state['running'] !== undefined,
      'NotReady: Running, container running but not ready',
    );
    const h = byApp('healthy');
    check(h?.status.phase === 'Running' && cs(h)?.ready === true, 'healthy pod unaffected');
    const hs = h?.status as { initContainerStatuses?: ContainerStatus[] } | undefined;
    check(
      hs?.initContainerStatuses?.[0]?.state['terminated']?.reason === 'Completed' &&
        hs.initContainerStatuses[1]?.state['running'] !== undefined &&
        (cs(h)?.imageID ?? '').startsWith('docker.io/library/nginx@sha256:'),
      'healthy pod: init container Completed, sidecar running, imageID docker.io/library/nginx@sha256:…',
    );
    if (dump) console.log(`--- healthy\n${JSON.stringify(h?.status, null, 1)}`);

    // Kubelet-shaped events.
    interface Ev {
      reason: string;
      message: string;
      type: string;
      count?: number;
      source?: { component?: string; host?: string };
      involvedObject: { name: string; fieldPath?: string };
      reportingComponent?: string;
    }
    const evs = (await admin.request<{ items: Ev[] }>('GET', '/api/v1/namespaces/default/events')).body.items;
    const ev = (pod: Pod | undefined, reason: string, re: RegExp): Ev | undefined =>
      evs.find(
        (e) => e.involvedObject.name === pod?.metadata.name && e.reason === reason && re.test(e.message),
      );
    const bo = ev(crash, 'BackOff', /^Back-off restarting failed container app in pod crash-/);
    check(
      bo?.source?.component === 'kubelet' &&
        bo.source.host === crash?.spec.nodeName &&
        bo.involvedObject.fieldPath === 'spec.containers{app}',
      `event BackOff from kubelet@${bo?.source?.host ?? '?'} (count ${bo?.count ?? 0}): ${bo?.message ?? 'missing'}`,
    );
    check(ev(crash, 'Started', /^Container started$/) !== undefined, 'event Started "Container started"');
    check(
      ev(
        pnf,
        'Failed',
        /^Failed to pull image "registry.example\/pull-notfound:1.0": rpc error: code = NotFound/,
      ) !== undefined,
      'event Failed "Failed to pull image …: not found"',
    );
    check(ev(pnf, 'Failed', /^Error: ErrImagePull$/) !== undefined, 'event Failed "Error: ErrImagePull"');
    check(
      ev(pnf, 'BackOff', /^Back-off pulling image "registry.example\/pull-notfound:1.0"$/) !== undefined,
      'event BackOff "Back-off pulling image …"',
    );
    check(
      ev(cfg, 'Failed', /^Error: couldn't find key CACHE_SIZE in ConfigMap default\/api-config$/) !==
        undefined,
      'event Failed "Error: couldn\'t find key …"',
    );
    const un = ev(nr, 'Unhealthy', /^Readiness probe failed: HTTP probe failed with statuscode: 404$/);
    check(
      un !== undefined && (un.count ?? 0) >= 2,
      `event Unhealthy "Readiness probe failed: …" (count ${un?.count ?? 0})`,
    );
    check(
      evs.some((e) => e.reason === 'Scheduled' && e.involvedObject.name === crash?.metadata.name),
      'event Scheduled (kube-scheduler)',
    );
    if (dump) console.log(`--- events\n${JSON.stringify(bo, null, 1)}`);

    // A live pod turned faulty.
    if (h) {
      await cluster.injectFault('default', h.metadata.name, 'CrashLoopBackOff', {
        runMs: 200,
        backoffMs: 1000,
      });
      await sleep(1500);
      const p = await admin.request<Pod>('GET', `/api/v1/namespaces/default/pods/${h.metadata.name}`);
      check((cs(p.body)?.restartCount ?? 0) >= 1, `injectFault on a live pod: ${summary(p.body)}`);
    }
    // Label-selected stages, no annotation on the workload.
    await cluster.addFaultStages({
      matchLabels: { app: 'bylabel' },
      type: 'OOMKilled',
      namePrefix: 'bylabel',
      params: { runMs: 300, backoffMs: 1500 },
    });
    const bylabel = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'bylabel', namespace: 'default' },
      spec: {
        replicas: 1,
        selector: { matchLabels: { app: 'bylabel' } },
        template: {
          metadata: { labels: { app: 'bylabel' } },
          spec: { containers: [{ name: 'app', image: 'nginx:1.27' }] },
        },
      },
    };
    await admin.request('POST', '/apis/apps/v1/namespaces/default/deployments', bylabel);
    await sleep(2500);
    const bl = await admin.request<{ items: Pod[] }>(
      'GET',
      '/api/v1/namespaces/default/pods?labelSelector=app%3Dbylabel',
    );
    const blp = bl.body.items[0];
    check(
      cs(blp)?.lastState['terminated']?.reason === 'OOMKilled',
      `label-selected OOMKilled stages: ${blp ? summary(blp) : 'no pod'}`,
    );

    // S12: a node stops heartbeating → NotReady (Unknown), tainted, its pod evicted and stuck Terminating.
    await cluster.addNode({ name: 'doomed', ownKubelet: true });
    const onDoomed = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'ondoomed', namespace: 'default' },
      spec: {
        replicas: 1,
        selector: { matchLabels: { app: 'ondoomed' } },
        template: {
          metadata: { labels: { app: 'ondoomed' } },
          spec: {
            nodeSelector: { 'kubernetes.io/hostname': 'doomed' },
            containers: [{ name: 'app', image: 'nginx:1.27' }],
          },
        },
      },
    };
    await admin.request('POST', '/apis/apps/v1/namespaces/default/deployments', onDoomed);
    await sleep(1000);
    const t0 = performance.now();
    await cluster.stopNodeHeartbeat('doomed');
    interface NodeObj {
      spec: { taints?: { key: string; effect: string }[] };
      status: { conditions: { type: string; status: string; reason?: string; message?: string }[] };
    }
    let nodeState = '';
    let evicted = false;
    for (let i = 0; i < 60 && !evicted; i++) {
      await sleep(500);
      const n = (await admin.request<NodeObj>('GET', '/api/v1/nodes/doomed')).body;
      const rd = n.status.conditions.find((c) => c.type === 'Ready');
      nodeState = `Ready=${rd?.status ?? '?'} (${rd?.reason ?? ''}: ${rd?.message ?? ''}) taints=${(n.spec.taints ?? []).map((t) => `${t.key}:${t.effect}`).join(',')}`;
      const pods = (
        await admin.request<{ items: (Pod & { metadata: { deletionTimestamp?: string } })[] }>(
          'GET',
          '/api/v1/namespaces/default/pods?labelSelector=app%3Dondoomed',
        )
      ).body.items;
      evicted = pods.some((p) => p.metadata.deletionTimestamp !== undefined);
    }
    console.log(`  doomed node: ${nodeState}`);
    check(
      /Ready=Unknown/.test(nodeState) && /node.kubernetes.io\/unreachable:NoExecute/.test(nodeState),
      'stopNodeHeartbeat: node Ready=Unknown, tainted unreachable:NoExecute',
    );
    check(
      evicted,
      `pod on the dead node evicted (Terminating) after ${((performance.now() - t0) / 1000).toFixed(1)} s`,
    );

    if (dump) {
      for (const prefix of ['crash', 'oom-job', 'pull-notfound', 'config']) {
        const p = byApp(prefix);
        console.log(`--- ${prefix}\n${JSON.stringify(p?.status, null, 1)}`);
      }
    }
  } finally {
    await cluster.stop();
  }
  console.log(failures === 0 ? 'faults: all checks passed' : `faults: ${failures} check(s) failed`);
  process.exitCode = failures === 0 ? 0 : 1;
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? (err.stack ?? err.message) : String(err));
  process.exitCode = 1;
});
