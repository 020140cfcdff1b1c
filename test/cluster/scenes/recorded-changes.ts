/**
 * Scenes where a change someone makes is what breaks things, for the recording to name: a node
 * tainted before a rollout (its new pods Pending), a memory limit lowered (the new pods OOM-killed),
 * a NetworkPolicy put in front of a Service (its callers crash), a Deployment scaled to zero (its
 * Service's callers crash). The image change that fails to pull is S3 (s03-image-tag-not-found.ts).
 * Every change is made by the admin, so the audit log names kubernetes-admin.
 */
import type { ClusterHandle } from '../harness.ts';
import { rolloutRestart } from './common.ts';
import {
  condition,
  createAll,
  dedicatedNode,
  deployment,
  ensureNamespace,
  get,
  onDedicatedNode,
  patch,
  pods,
  waitFor,
  waitPods,
} from './util.ts';
import type { Scene } from './util.ts';

const running = (n: number) => (ps: readonly { status?: { phase?: string } }[]) =>
  ps.length === n && ps.every((p) => p.status?.phase === 'Running');

/**
 * A node of the namespace's own runs `api`; the admin taints it `maintenance=true:NoSchedule`, then
 * restarts `api`: the new pod cannot go anywhere (its selector allows that node only), the old one
 * keeps running.
 */
export async function sceneNodeTainted(cluster: ClusterHandle, namespace: string): Promise<Scene> {
  const ns = namespace;
  const node = `${ns}-node`;
  await ensureNamespace(cluster.admin, ns);
  await cluster.addNode(dedicatedNode(ns, { name: node }));
  await createAll(cluster.admin, [
    deployment(ns, 'api', { image: 'registry.example.com/api:1.4.2', podSpec: onDedicatedNode(ns) }),
  ]);
  await waitPods(cluster.admin, ns, 'app=api', running(1), 'api Running');
  const taints = (await get(cluster.admin, 'Node', node))?.spec?.taints ?? [];
  await patch(cluster.admin, 'Node', node, undefined, {
    spec: { taints: [...taints, { key: 'maintenance', value: 'true', effect: 'NoSchedule' }] },
  });
  await rolloutRestart(cluster, ns, 'api');
  await waitPods(
    cluster.admin,
    ns,
    'app=api',
    (ps) => ps.some((p) => condition(p, 'PodScheduled')?.reason === 'Unschedulable'),
    'the restarted api pod Unschedulable',
  );
  return {
    namespace: ns,
    target: { kind: 'Deployment', name: 'api' },
    expect: {
      rootCause: `Node/${node} tainted maintenance=true:NoSchedule (by kubernetes-admin) -> new api pod Pending`,
      evidence: ['had untolerated taint', 'maintenance'],
    },
  };
}

/**
 * `worker` runs under a 256Mi limit; the admin lowers it to 64Mi (saying why, in the change-cause
 * annotation), and the pods of the new template are OOM-killed over and over.
 */
export async function sceneMemoryLowered(cluster: ClusterHandle, namespace: string): Promise<Scene> {
  const ns = namespace;
  await ensureNamespace(cluster.admin, ns);
  await cluster.addFaultStages({
    namespace: ns,
    matchLabels: { app: 'worker' },
    matchExpressions: [
      { key: '.spec.containers.[].resources.limits.memory', operator: 'In', values: ['64Mi'] },
    ],
    type: 'OOMKilled',
    params: { runMs: 500, backoffMs: 1500 },
    namePrefix: `scene-${ns}-worker`,
  });
  const resources = (limit: string) => ({
    requests: { memory: '32Mi', cpu: '100m' },
    limits: { memory: limit },
  });
  await createAll(cluster.admin, [
    deployment(ns, 'worker', {
      containers: [
        { name: 'worker', image: 'registry.example.com/worker:3.1', resources: resources('256Mi') },
      ],
    }),
  ]);
  await waitPods(cluster.admin, ns, 'app=worker', running(1), 'worker Running');
  await patch(
    cluster.admin,
    'Deployment',
    'worker',
    ns,
    {
      metadata: { annotations: { 'kubernetes.io/change-cause': 'worker memory cut to fit the node pool' } },
      spec: { template: { spec: { containers: [{ name: 'worker', resources: resources('64Mi') }] } } },
    },
    { type: 'strategic' },
  );
  await waitPods(
    cluster.admin,
    ns,
    'app=worker',
    (ps) =>
      ps.some(
        (p) =>
          (p.status?.containerStatuses?.[0]?.restartCount ?? 0) >= 2 &&
          p.status?.containerStatuses?.[0]?.lastState?.terminated?.reason === 'OOMKilled',
      ),
    'the new worker pod OOM-killed twice',
    60_000,
  );
  return {
    namespace: ns,
    target: { kind: 'Deployment', name: 'worker' },
    expect: {
      rootCause: 'Deployment/worker memory limit 256Mi -> 64Mi (by kubernetes-admin) -> OOMKilled',
      evidence: ['"reason":"OOMKilled"', '"memory":"64Mi"'],
    },
  };
}

/** `api` behind Service `api`, and `web`, whose env calls it (`API_URL=http://api:80`), all Running. */
async function apiAndCallers(cluster: ClusterHandle, ns: string): Promise<void> {
  await ensureNamespace(cluster.admin, ns);
  await createAll(cluster.admin, [
    deployment(ns, 'api', { replicas: 2, image: 'registry.example.com/api:1.4.2' }),
    {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'api', namespace: ns },
      spec: { selector: { app: 'api' }, ports: [{ port: 80, targetPort: 8080 }] },
    },
    deployment(ns, 'web', {
      replicas: 2,
      containers: [
        {
          name: 'web',
          image: 'registry.example.com/web:2.0',
          env: [{ name: 'API_URL', value: 'http://api:80' }],
        },
      ],
    }),
  ]);
  await waitPods(cluster.admin, ns, 'app=api', running(2), 'api Running');
  await waitPods(cluster.admin, ns, 'app=web', running(2), 'web Running');
}

/** The callers crash, as they do when what they call stops answering (their logs would say why). */
async function callersCrash(cluster: ClusterHandle, ns: string): Promise<void> {
  const callers = (await pods(cluster.admin, ns, 'app=web')).filter(
    (p) => p.metadata.deletionTimestamp === undefined,
  );
  for (const p of callers)
    await cluster.injectFault(ns, p.metadata.name, 'CrashLoopBackOff', { runMs: 500, backoffMs: 2000 });
  await waitPods(
    cluster.admin,
    ns,
    'app=web',
    (ps) => ps.every((p) => (p.status?.containerStatuses?.[0]?.restartCount ?? 0) >= 1),
    'web pods crashing',
    60_000,
  );
}

/**
 * The admin puts a NetworkPolicy in front of `api` that admits only `app=admin` pods; `web`, which
 * calls it, crashes. The api pods themselves stay Running and ready.
 */
export async function sceneNetworkPolicyAdded(cluster: ClusterHandle, namespace: string): Promise<Scene> {
  const ns = namespace;
  await apiAndCallers(cluster, ns);
  await createAll(cluster.admin, [
    {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: { name: 'api-ingress', namespace: ns },
      spec: {
        podSelector: { matchLabels: { app: 'api' } },
        policyTypes: ['Ingress'],
        ingress: [{ from: [{ podSelector: { matchLabels: { app: 'admin' } } }] }],
      },
    },
  ]);
  await callersCrash(cluster, ns);
  return {
    namespace: ns,
    target: { kind: 'Deployment', name: 'web' },
    expect: {
      rootCause:
        'NetworkPolicy/api-ingress created (by kubernetes-admin) -> web, calling Service/api, crashes',
      evidence: ['api-ingress', 'CrashLoopBackOff'],
    },
  };
}

/** The admin scales `api` to zero; Service `api` has no endpoints and `web`, which calls it, crashes. */
export async function sceneScaledToZero(cluster: ClusterHandle, namespace: string): Promise<Scene> {
  const ns = namespace;
  await apiAndCallers(cluster, ns);
  await patch(cluster.admin, 'Deployment', 'api', ns, { spec: { replicas: 0 } }, { subresource: 'scale' });
  await waitFor('api pods gone', async () => (await pods(cluster.admin, ns, 'app=api')).length === 0, 60_000);
  await callersCrash(cluster, ns);
  return {
    namespace: ns,
    target: { kind: 'Deployment', name: 'web' },
    expect: {
      rootCause:
        'Deployment/api scaled 2 -> 0 (by kubernetes-admin) -> Service/api no endpoints -> web crashes',
      evidence: ['"replicas":0', 'CrashLoopBackOff'],
    },
  };
}
