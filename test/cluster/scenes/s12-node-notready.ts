/**
 * S12 node-notready: a node stops heartbeating (its KWOK is killed); the node-lifecycle controller
 * marks it Ready=Unknown and taints it unreachable; after the pods' toleration (2 s here, 300 s by
 * default) the taint-eviction controller marks them for deletion; with no kubelet they stay Terminating.
 * Takes the controller-manager's node-monitor grace period (40 s by default) plus a few seconds.
 */
import type { ClusterHandle } from '../harness.ts';
import {
  condition,
  create,
  dedicatedNode,
  deployment,
  ensureNamespace,
  get,
  onDedicatedNode,
  waitFor,
  waitPods,
} from './util.ts';
import type { Scene } from './util.ts';

export async function scene12(cluster: ClusterHandle, namespace: string): Promise<Scene> {
  const ns = namespace;
  const node = `${ns}-node`;
  await ensureNamespace(cluster.admin, ns);
  await cluster.addNode(dedicatedNode(ns, { name: node, ownKubelet: true }));
  const placement = onDedicatedNode(ns);
  await create(
    cluster.admin,
    deployment(ns, 'api', {
      replicas: 2,
      image: 'registry.example.com/api:1.4.2',
      podSpec: {
        ...placement,
        tolerations: [
          ...(placement['tolerations'] as unknown[]),
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
  await waitPods(
    cluster.admin,
    ns,
    'app=api',
    (ps) => ps.length === 2 && ps.every((p) => p.status?.phase === 'Running'),
    'api Running on the node',
  );
  await cluster.stopNodeHeartbeat(node);
  await waitFor(
    'node Ready=Unknown',
    async () => condition(await get(cluster.admin, 'Node', node), 'Ready')?.status === 'Unknown',
    90_000,
    1000,
  );
  await waitFor(
    'pods marked for deletion',
    async () => {
      const r = await cluster.admin.request<{ items: { metadata: { deletionTimestamp?: string } }[] }>(
        'GET',
        `/api/v1/namespaces/${ns}/pods`,
      );
      return r.body.items.filter((p) => p.metadata.deletionTimestamp).length >= 2;
    },
    30_000,
  );
  return {
    namespace: ns,
    target: { kind: 'Deployment', name: 'api' },
    expect: {
      rootCause: `Node/${node} NotReady (Kubelet stopped posting node status.) -> its pods evicted`,
      evidence: [
        'Kubelet stopped posting node status.',
        '"reason":"NodeStatusUnknown"',
        '"key":"node.kubernetes.io/unreachable"',
        'TaintManagerEviction',
        `"nodeName":"${node}"`,
        '"deletionTimestamp"',
      ],
    },
  };
}
