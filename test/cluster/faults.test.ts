/**
 * Fault injection on the real control plane: every fault must show the status and the Events a
 * kubelet / scheduler / controller would write (shapes compared with test/fixtures/realdata).
 * Ports faults-check.ts and adds TLS/DNS pull errors, init-container crash loops, liveness and
 * readiness probe failures, kubelet eviction, scheduler-made Pending and a dead node.
 *
 *   npx vitest run --config vitest.cluster.config.ts test/cluster/faults.test.ts
 */
import { beforeAll, describe, expect, test } from 'vitest';
import { connectCluster } from './harness.ts';
import type { ClusterHandle } from './harness.ts';
import { faultAnnotations } from './faults.ts';
import type { FaultParams, FaultType, PullError } from './faults.ts';
import {
  condition,
  create,
  cstatus,
  dedicatedNode,
  deployment,
  ensureNamespace,
  events,
  eventsFor,
  get,
  list,
  onDedicatedNode,
  waitFor,
  waitPods,
} from './scenes/util.ts';
import type { Ev, PodObj } from './scenes/util.ts';

const NS = 'faults';
let cluster: ClusterHandle;
const fast = { runMs: 300, backoffMs: 1500, pullMs: 500 } as const;

beforeAll(async () => {
  cluster = connectCluster();
  await ensureNamespace(cluster.admin, NS);
});

/** One-replica Deployment `name` whose pods play `type`. */
async function faulty(
  name: string,
  type: FaultType,
  params: FaultParams = {},
  podSpec: Record<string, unknown> = {},
  containers?: Record<string, unknown>[],
): Promise<void> {
  await create(
    cluster.admin,
    deployment(NS, name, {
      annotations: faultAnnotations(type, params),
      containers: containers ?? [{ name: 'app', image: `registry.example/${name}:1.0` }],
      podSpec,
    }),
  );
}

/** Waits for a pod of `app` satisfying `ok`. */
const podWhere = async (
  app: string,
  ok: (p: PodObj) => boolean,
  what: string,
  timeoutMs = 30_000,
): Promise<PodObj> =>
  (await waitPods(cluster.admin, NS, `app=${app}`, (ps) => ps.some(ok), what, timeoutMs)).find(ok)!;

/** Waits for an event about `name` with `reason` whose message matches. */
const eventWhere = (
  name: string,
  reason: string,
  re: RegExp,
  ok: (e: Ev) => boolean = () => true,
  timeoutMs = 30_000,
): Promise<Ev> =>
  waitFor(
    `event ${reason} ${String(re)} about ${name}`,
    async () => (await eventsFor(cluster.admin, NS, name, reason)).find((e) => re.test(e.message) && ok(e)),
    timeoutMs,
  );

const fromKubelet =
  (p: PodObj) =>
  (e: Ev): boolean =>
    e.source?.component === 'kubelet' && e.source.host === p.spec?.nodeName;

describe.concurrent('kubelet-shaped faults', () => {
  test('CrashLoopBackOff: restarts grow, lastState exit 1, back-off message, kubelet events', async () => {
    await faulty('crash', 'CrashLoopBackOff', { ...fast, message: 'invalid CACHE_SIZE' });
    const p = await podWhere(
      'crash',
      (x) =>
        (cstatus(x)?.restartCount ?? 0) >= 2 && cstatus(x)?.state?.waiting?.reason === 'CrashLoopBackOff',
      'crash pod waiting in CrashLoopBackOff after ≥ 2 restarts',
    );
    const c = cstatus(p);
    expect(p.status?.phase).toBe('Running');
    expect(c?.ready).toBe(false);
    expect(c?.state?.waiting?.message).toMatch(
      new RegExp(
        `^back-off (10s|20s|40s) restarting failed container=app pod=${p.metadata.name}_${NS}\\(${p.metadata.uid}\\)$`,
      ),
    );
    expect(c?.lastState?.terminated).toMatchObject({
      exitCode: 1,
      reason: 'Error',
      message: 'invalid CACHE_SIZE',
    });
    expect(c?.lastState?.terminated?.containerID).toMatch(/^containerd:\/\/[0-9a-f]{64}$/);
    expect(condition(p, 'Ready')).toMatchObject({
      status: 'False',
      reason: 'ContainersNotReady',
      message: 'containers with unready status: [app]',
    });
    const bo = await eventWhere(
      p.metadata.name,
      'BackOff',
      new RegExp(
        `^Back-off restarting failed container app in pod ${p.metadata.name}_${NS}\\(${p.metadata.uid}\\)$`,
      ),
      fromKubelet(p),
    );
    expect(bo.type).toBe('Warning');
    expect(bo.involvedObject.fieldPath).toBe('spec.containers{app}');
    await eventWhere(p.metadata.name, 'Started', /^Container started$/, (e) => (e.count ?? 1) >= 2);
    await eventWhere(p.metadata.name, 'Created', /^Container created$/);
    await eventWhere(
      p.metadata.name,
      'Pulled',
      /^Container image "registry.example\/crash:1.0" already present on machine$/,
    );
    const sch = await eventWhere(
      p.metadata.name,
      'Scheduled',
      new RegExp(`^Successfully assigned ${NS}/${p.metadata.name} to `),
    );
    expect(sch.reportingComponent).toBe('default-scheduler');
  });

  test('OOMKilled: lastState.terminated OOMKilled/137, restarts', async () => {
    await faulty('oom', 'OOMKilled', fast);
    const p = await podWhere('oom', (x) => (cstatus(x)?.restartCount ?? 0) >= 1, 'oom pod restarted');
    expect(cstatus(p)?.lastState?.terminated).toMatchObject({ reason: 'OOMKilled', exitCode: 137 });
  });

  test('OOMKilled Job pod (restartPolicy Never): pod Failed, Job BackoffLimitExceeded', async () => {
    await create(cluster.admin, {
      apiVersion: 'batch/v1',
      kind: 'Job',
      metadata: { name: 'oom-job', namespace: NS },
      spec: {
        backoffLimit: 0,
        template: {
          metadata: {
            labels: { app: 'oom-job' },
            annotations: faultAnnotations('OOMKilled', { runMs: 300 }),
          },
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
    });
    const p = await podWhere('oom-job', (x) => x.status?.phase === 'Failed', 'Job pod Failed');
    expect(cstatus(p)?.state?.terminated).toMatchObject({ reason: 'OOMKilled', exitCode: 137 });
    expect(condition(p, 'Ready')).toMatchObject({ status: 'False', reason: 'PodFailed' });
    const job = await waitFor('Job failed', async () => {
      const j = await get(cluster.admin, 'Job', 'oom-job', NS);
      return condition(j, 'Failed')?.status === 'True' ? j : undefined;
    });
    expect(condition(job, 'Failed')?.reason).toBe('BackoffLimitExceeded');
    await eventWhere('oom-job', 'BackoffLimitExceeded', /^Job has reached the specified backoff limit$/);
  });

  const pulls: [PullError, RegExp][] = [
    [
      'not-found',
      /^rpc error: code = NotFound desc = failed to pull and unpack image "registry.example\/IMG:1.0": failed to resolve reference "registry.example\/IMG:1.0": registry.example\/IMG:1.0: not found$/,
    ],
    [
      'unauthorized',
      /^rpc error: code = Unknown desc = failed to pull and unpack image "registry.example\/IMG:1.0": failed to resolve reference "registry.example\/IMG:1.0": pull access denied, repository does not exist or may require authorization: server message: insufficient_scope: authorization failed$/,
    ],
    [
      'rate-limited',
      /: 429 Too Many Requests - Server message: toomanyrequests: You have reached your pull rate limit\./,
    ],
    [
      'tls',
      /^rpc error: code = Unknown desc = failed to pull and unpack image "registry.example\/IMG:1.0": failed to resolve reference "registry.example\/IMG:1.0": failed to do request: Head "https:\/\/registry.example\/v2\/IMG\/manifests\/1.0": tls: failed to verify certificate: x509: certificate signed by unknown authority$/,
    ],
    [
      'dns',
      /^rpc error: code = Unknown desc = failed to pull and unpack image "registry.example\/IMG:1.0": failed to resolve reference "registry.example\/IMG:1.0": failed to do request: Head "https:\/\/registry.example\/v2\/IMG\/manifests\/1.0": dial tcp: lookup registry.example on 10.96.0.10:53: no such host$/,
    ],
  ];
  test.for(pulls)(
    'image pull failure %s: ErrImagePull ↔ ImagePullBackOff, kubelet events',
    async ([kind, re]) => {
      const name = `pull-${kind}`;
      const want = new RegExp(re.source.replaceAll('IMG', name));
      await faulty(name, 'ImagePullBackOff', { ...fast, pullError: kind });
      const err = await podWhere(
        name,
        (x) => cstatus(x)?.state?.waiting?.reason === 'ErrImagePull',
        'ErrImagePull',
      );
      expect(err.status?.phase).toBe('Pending');
      const errMessage = cstatus(err)?.state?.waiting?.message;
      expect(errMessage).toMatch(want);
      expect(cstatus(err)?.imageID).toBe('');
      const bo = await podWhere(
        name,
        (x) => cstatus(x)?.state?.waiting?.reason === 'ImagePullBackOff',
        'ImagePullBackOff',
      );
      expect(cstatus(bo)?.state?.waiting?.message).toBe(
        `Back-off pulling image "registry.example/${name}:1.0": ErrImagePull: ${errMessage!}`,
      );
      const pn = bo.metadata.name;
      const failed = await eventWhere(
        pn,
        'Failed',
        new RegExp(`^Failed to pull image "registry.example/${name}:1.0": `),
        fromKubelet(bo),
      );
      expect(failed.message.slice(`Failed to pull image "registry.example/${name}:1.0": `.length)).toMatch(
        want,
      );
      expect(failed.involvedObject.fieldPath).toBe('spec.containers{app}');
      await eventWhere(pn, 'Pulling', new RegExp(`^Pulling image "registry.example/${name}:1.0"$`));
      await eventWhere(pn, 'Failed', /^Error: ErrImagePull$/);
      await eventWhere(pn, 'BackOff', new RegExp(`^Back-off pulling image "registry.example/${name}:1.0"$`));
      await eventWhere(pn, 'Failed', /^Error: ImagePullBackOff$/);
    },
  );

  test('CreateContainerConfigError: Pending, waiting message, "Error: …" event', async () => {
    await faulty('config', 'CreateContainerConfigError', {
      message: `couldn't find key CACHE_SIZE in ConfigMap ${NS}/api-config`,
    });
    const p = await podWhere(
      'config',
      (x) => cstatus(x)?.state?.waiting?.reason === 'CreateContainerConfigError',
      'config error',
    );
    expect(p.status?.phase).toBe('Pending');
    expect(cstatus(p)?.state?.waiting?.message).toBe(
      `couldn't find key CACHE_SIZE in ConfigMap ${NS}/api-config`,
    );
    await eventWhere(
      p.metadata.name,
      'Failed',
      new RegExp(`^Error: couldn't find key CACHE_SIZE in ConfigMap ${NS}/api-config$`),
      fromKubelet(p),
    );
  });

  test('failing readiness probe: Running, not Ready, Unhealthy events, EndpointSlice endpoint not ready', async () => {
    await faulty('notready', 'NotReady', {}, {}, [
      {
        name: 'app',
        image: 'registry.example/notready:1.0',
        ports: [{ containerPort: 8080 }],
        readinessProbe: { httpGet: { path: '/healthz', port: 8080 }, periodSeconds: 1 },
      },
    ]);
    await create(cluster.admin, {
      kind: 'Service',
      metadata: { name: 'notready', namespace: NS },
      spec: { selector: { app: 'notready' }, ports: [{ port: 80, targetPort: 8080 }] },
    });
    const p = await podWhere('notready', (x) => x.status?.phase === 'Running', 'notready Running');
    expect(cstatus(p)).toMatchObject({ ready: false, started: true });
    expect(cstatus(p)?.state?.running).toBeDefined();
    expect(condition(p, 'Ready')).toMatchObject({ status: 'False', reason: 'ContainersNotReady' });
    const un = await eventWhere(
      p.metadata.name,
      'Unhealthy',
      /^Readiness probe failed: HTTP probe failed with statuscode: 404$/,
      (e) => (e.count ?? 0) >= 2,
    );
    expect(un.type).toBe('Warning');
    const slice = await waitFor('EndpointSlice with the pod', async () =>
      (await list(cluster.admin, 'EndpointSlice', NS, 'kubernetes.io/service-name=notready')).find((s) =>
        (s['endpoints'] as { targetRef?: { name: string } }[] | undefined)?.some(
          (e) => e.targetRef?.name === p.metadata.name,
        ),
      ),
    );
    const ep = (
      slice['endpoints'] as { targetRef: { name: string }; conditions: Record<string, boolean> }[]
    ).find((e) => e.targetRef.name === p.metadata.name);
    expect(ep?.conditions).toMatchObject({ ready: false, serving: false, terminating: false });
  });

  test('failing liveness probe: Unhealthy events, Killing "failed liveness probe, will be restarted", restarts', async () => {
    await faulty('live', 'LivenessProbeFailure', { runMs: 3000 }, {}, [
      {
        name: 'api',
        image: 'registry.example/live:1.0',
        livenessProbe: { httpGet: { path: '/healthz', port: 8080 }, periodSeconds: 1, failureThreshold: 3 },
      },
    ]);
    const p = await podWhere('live', (x) => (cstatus(x)?.restartCount ?? 0) >= 1, 'liveness restart', 20_000);
    expect(p.status?.phase).toBe('Running');
    expect(cstatus(p)?.state?.running).toBeDefined();
    expect(cstatus(p)?.lastState?.terminated).toMatchObject({ exitCode: 137, reason: 'Error' });
    const un = await eventWhere(
      p.metadata.name,
      'Unhealthy',
      /^Liveness probe failed: HTTP probe failed with statuscode: 500$/,
      (e) => fromKubelet(p)(e) && (e.count ?? 0) >= 3,
    );
    expect(un.involvedObject.fieldPath).toBe('spec.containers{api}');
    const k = await eventWhere(
      p.metadata.name,
      'Killing',
      /^Container api failed liveness probe, will be restarted$/,
      fromKubelet(p),
    );
    expect(k.type).toBe('Normal');
  });

  test('init container CrashLoopBackOff: Pending, Init:CrashLoopBackOff shape, app PodInitializing', async () => {
    await create(
      cluster.admin,
      deployment(NS, 'initcrash', {
        annotations: faultAnnotations('InitCrashLoopBackOff', {
          ...fast,
          message: 'could not connect to db: connection refused',
        }),
        podSpec: {
          initContainers: [
            { name: 'init-db', image: 'registry.example/init-db:1.0' },
            { name: 'migrate', image: 'registry.example/migrate:1.0' },
          ],
        },
        containers: [
          { name: 'auth', image: 'registry.example/auth:1.0' },
          { name: 'api', image: 'registry.example/api:1.0' },
        ],
      }),
    );
    const p = await podWhere(
      'initcrash',
      (x) =>
        (cstatus(x, true)?.restartCount ?? 0) >= 2 &&
        cstatus(x, true)?.state?.waiting?.reason === 'CrashLoopBackOff',
      'init container in CrashLoopBackOff after ≥ 2 restarts',
    );
    expect(p.status?.phase).toBe('Pending');
    const ic = cstatus(p, true);
    expect(ic?.name).toBe('init-db');
    expect(ic?.state?.waiting?.message).toMatch(
      new RegExp(
        `^back-off \\S+ restarting failed container=init-db pod=${p.metadata.name}_${NS}\\(${p.metadata.uid}\\)$`,
      ),
    );
    expect(ic?.lastState?.terminated).toMatchObject({
      exitCode: 1,
      reason: 'Error',
      message: 'could not connect to db: connection refused',
    });
    expect(cstatus(p, true, 1)?.state).toEqual({ waiting: { reason: 'PodInitializing' } });
    for (const c of p.status!.containerStatuses!)
      expect(c).toMatchObject({
        ready: false,
        restartCount: 0,
        state: { waiting: { reason: 'PodInitializing' } },
      });
    expect(condition(p, 'Initialized')).toMatchObject({
      status: 'False',
      reason: 'ContainersNotInitialized',
      message: 'containers with incomplete status: [init-db migrate]',
    });
    expect(condition(p, 'Ready')).toMatchObject({
      status: 'False',
      message: 'containers with unready status: [auth api]',
    });
    const bo = await eventWhere(
      p.metadata.name,
      'BackOff',
      new RegExp(`^Back-off restarting failed container init-db in pod ${p.metadata.name}_${NS}`),
      fromKubelet(p),
    );
    expect(bo.involvedObject.fieldPath).toBe('spec.initContainers{init-db}');
  });

  test('Evicted by the kubelet (memory pressure): Failed/Evicted, message, DisruptionTarget, Evicted event; ReplicaSet replaces it', async () => {
    await create(
      cluster.admin,
      deployment(NS, 'evict', {
        containers: [
          { name: 'api', image: 'registry.example/api:1.0', resources: { requests: { memory: '256Mi' } } },
        ],
      }),
    );
    const p0 = await podWhere('evict', (x) => x.status?.phase === 'Running', 'evict pod Running');
    await cluster.injectFault(NS, p0.metadata.name, 'Evicted', { runMs: 200 });
    const msg =
      'The node was low on resource: memory. Threshold quantity: 100Mi, available: 50Mi. Container api was using 1200Mi, request is 256Mi, has larger consumption of memory. ';
    const p = await waitFor('pod Evicted', async () => {
      const x = await get(cluster.admin, 'Pod', p0.metadata.name, NS);
      return x?.status?.reason === 'Evicted' ? x : undefined;
    });
    expect(p.status).toMatchObject({ phase: 'Failed', reason: 'Evicted', message: msg });
    expect(condition(p, 'DisruptionTarget')).toMatchObject({
      status: 'True',
      reason: 'TerminationByKubelet',
      message: msg,
    });
    expect(cstatus(p)?.state?.terminated).toMatchObject({ exitCode: 137 });
    const ev = await eventWhere(
      p.metadata.name,
      'Evicted',
      /^The node was low on resource: memory\./,
      fromKubelet(p),
    );
    expect(ev.message).toBe(msg);
    expect(ev.type).toBe('Warning');
    expect(ev.involvedObject.kind).toBe('Pod');
    await eventWhere(p.metadata.name, 'Killing', /^Stopping container api$/);
    // The ReplicaSet counts a Failed pod as gone and creates a healthy replacement.
    await podWhere(
      'evict',
      (x) => x.metadata.name !== p.metadata.name && x.status?.phase === 'Running',
      'replacement pod Running',
    );
  });

  test('healthy pod with an init container and a sidecar is unaffected', async () => {
    await create(
      cluster.admin,
      deployment(NS, 'healthy', {
        podSpec: {
          initContainers: [
            { name: 'migrate', image: 'registry.example/migrate:1.0' },
            { name: 'proxy', image: 'envoyproxy/envoy:v1.33', restartPolicy: 'Always' },
          ],
        },
        containers: [{ name: 'app', image: 'nginx:1.27' }],
      }),
    );
    const p = await podWhere('healthy', (x) => x.status?.phase === 'Running', 'healthy Running');
    expect(cstatus(p)?.ready).toBe(true);
    expect(cstatus(p)?.imageID).toMatch(/^docker\.io\/library\/nginx@sha256:[0-9a-f]{64}$/);
    expect(cstatus(p, true)?.state?.terminated?.reason).toBe('Completed');
    expect(cstatus(p, true, 1)?.state?.running).toBeDefined();
    expect(condition(p, 'Ready')?.status).toBe('True');
    // Turned faulty while live.
    await cluster.injectFault(NS, p.metadata.name, 'CrashLoopBackOff', { runMs: 200, backoffMs: 1000 });
    await waitFor(
      'live pod restarts after injectFault',
      async () => (cstatus(await get(cluster.admin, 'Pod', p.metadata.name, NS))?.restartCount ?? 0) >= 1,
    );
  });

  test('label-selected fault stages (no annotation on the workload)', async () => {
    await cluster.addFaultStages({
      matchLabels: { app: 'bylabel' },
      type: 'OOMKilled',
      namePrefix: 'faults-bylabel',
      params: { runMs: 300, backoffMs: 1500 },
    });
    await create(cluster.admin, deployment(NS, 'bylabel', { image: 'nginx:1.27' }));
    const p = await podWhere(
      'bylabel',
      (x) => cstatus(x)?.lastState?.terminated?.reason === 'OOMKilled',
      'bylabel OOMKilled',
    );
    expect(p.metadata.annotations?.['fault.kubectl-smart.io/type']).toBeUndefined();
  });
});

describe.concurrent('Pending, as the real scheduler writes it', () => {
  const pending = async (name: string, spec: Record<string, unknown>, re: RegExp): Promise<void> => {
    await create(cluster.admin, {
      kind: 'Pod',
      metadata: { name, namespace: NS },
      spec: { containers: [{ name: 'app', image: 'registry.example/app:1.0' }], ...spec },
    });
    const p = await waitFor(`${name} PodScheduled=False`, async () => {
      const x = await get(cluster.admin, 'Pod', name, NS);
      return condition(x, 'PodScheduled')?.status === 'False' ? x : undefined;
    });
    expect(p.status?.phase).toBe('Pending');
    expect(p.spec!.nodeName).toBeUndefined();
    const c = condition(p, 'PodScheduled');
    expect(c?.reason).toBe('Unschedulable');
    expect(c?.message).toMatch(re);
    const ev = await eventWhere(name, 'FailedScheduling', re);
    expect(ev.type).toBe('Warning');
    expect(ev.reportingComponent).toBe('default-scheduler');
    if (!/PersistentVolumeClaims/.test(ev.message))
      expect(ev.message).toMatch(
        / preemption: 0\/\d+ nodes are available: \d+ Preemption is not helpful for scheduling\.$/,
      );
  };

  test('insufficient cpu', () =>
    pending(
      'big',
      {
        containers: [
          { name: 'app', image: 'registry.example/app:1.0', resources: { requests: { cpu: '64' } } },
        ],
      },
      /^0\/\d+ nodes are available: (.*, )?\d+ Insufficient cpu[.,]/,
    ));

  test('untolerated taint', async () => {
    await cluster.addNode(
      dedicatedNode(`${NS}-t`, {
        name: 'faults-gpu',
        labels: { pool: 'faults-gpu' },
        taints: [{ key: 'nvidia.com/gpu', value: 'true', effect: 'NoSchedule' }],
      }),
    );
    await pending(
      'tainted',
      {
        nodeSelector: { pool: 'faults-gpu' },
        tolerations: [{ key: 'kubectl-smart.io/dedicated', operator: 'Exists', effect: 'NoSchedule' }],
      },
      // k8s 1.37 no longer names the taint in the message: "had untolerated taint(s)".
      /^0\/\d+ nodes are available: (.*, )?\d+ node\(s\) had untolerated taint\(s\)[.,]/,
    );
  });

  test('node selector mismatch', () =>
    pending(
      'selector',
      { nodeSelector: { disktype: 'ssd' } },
      /^0\/\d+ nodes are available: (.*, )?\d+ node\(s\) didn't match Pod's node affinity\/selector[.,]/,
    ));

  test('node affinity mismatch', () =>
    pending(
      'affinity',
      {
        affinity: {
          nodeAffinity: {
            requiredDuringSchedulingIgnoredDuringExecution: {
              nodeSelectorTerms: [
                {
                  matchExpressions: [
                    { key: 'topology.kubernetes.io/zone', operator: 'In', values: ['eu-west-1a'] },
                  ],
                },
              ],
            },
          },
        },
      },
      /^0\/\d+ nodes are available: (.*, )?\d+ node\(s\) didn't match Pod's node affinity\/selector[.,]/,
    ));

  test('unbound PVC (StorageClass missing): FailedScheduling and ProvisioningFailed', async () => {
    await create(cluster.admin, {
      kind: 'PersistentVolumeClaim',
      metadata: { name: 'data', namespace: NS },
      spec: {
        accessModes: ['ReadWriteOnce'],
        storageClassName: 'fast-ssd',
        resources: { requests: { storage: '1Gi' } },
      },
    });
    await pending(
      'withpvc',
      { volumes: [{ name: 'data', persistentVolumeClaim: { claimName: 'data' } }] },
      /^0\/\d+ nodes are available: pod has unbound immediate PersistentVolumeClaims\./,
    );
    const ev = await eventWhere(
      'data',
      'ProvisioningFailed',
      /^storageclass\.storage\.k8s\.io "fast-ssd" not found$/,
    );
    expect(ev.source?.component).toBe('persistentvolume-controller');
    expect((await get(cluster.admin, 'PersistentVolumeClaim', 'data', NS))?.status?.phase).toBe('Pending');
  });
});

describe('dead node', () => {
  test(
    'node stops heartbeating: Ready=Unknown, unreachable taints, pods marked for deletion',
    { timeout: 120_000 },
    async () => {
      const node = 'faults-doomed';
      await cluster.addNode(dedicatedNode(NS, { name: node, ownKubelet: true }));
      await create(
        cluster.admin,
        deployment(NS, 'ondoomed', {
          image: 'nginx:1.27',
          podSpec: {
            ...onDedicatedNode(NS),
            tolerations: [
              { key: 'kubectl-smart.io/dedicated', operator: 'Equal', value: NS, effect: 'NoSchedule' },
              {
                key: 'node.kubernetes.io/unreachable',
                operator: 'Exists',
                effect: 'NoExecute',
                tolerationSeconds: 2,
              },
              {
                key: 'node.kubernetes.io/not-ready',
                operator: 'Exists',
                effect: 'NoExecute',
                tolerationSeconds: 2,
              },
            ],
          },
        }),
      );
      const p = await podWhere(
        'ondoomed',
        (x) => x.status?.phase === 'Running' && x.spec?.nodeName === node,
        'pod Running on the node',
      );
      await cluster.stopNodeHeartbeat(node);
      const n = await waitFor(
        'node Ready=Unknown',
        async () => {
          const x = await get(cluster.admin, 'Node', node);
          return condition(x, 'Ready')?.status === 'Unknown' ? x : undefined;
        },
        90_000,
        1000,
      );
      expect(condition(n, 'Ready')).toMatchObject({
        reason: 'NodeStatusUnknown',
        message: 'Kubelet stopped posting node status.',
      });
      const gone = await waitFor(
        'pod marked for deletion',
        async () => {
          const x = await get(cluster.admin, 'Pod', p.metadata.name, NS);
          return x?.metadata.deletionTimestamp ? x : undefined;
        },
        30_000,
      );
      expect(gone.status?.phase).toBe('Running'); // no kubelet to confirm: stuck Terminating
      const taints = (await get(cluster.admin, 'Node', node))?.spec?.taints ?? [];
      expect(taints).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ key: 'node.kubernetes.io/unreachable', effect: 'NoExecute' }),
        ]),
      );
      await eventWhere(
        p.metadata.name,
        'TaintManagerEviction',
        new RegExp(`^Marking for deletion Pod ${NS}/${p.metadata.name}$`),
      );
      expect(
        (await events(cluster.admin, NS)).some(
          (e) => e.reason === 'NodeNotReady' && e.involvedObject.name === p.metadata.name,
        ),
      ).toBe(true);
    },
  );
});
