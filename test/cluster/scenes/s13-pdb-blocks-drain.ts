/**
 * S13 pdb-blocks-drain: PDB minAvailable = replicas; the node is cordoned and an eviction (what
 * `kubectl drain` does) is refused with 429 by the disruption budget.
 */
import type { ClusterHandle } from '../harness.ts';
import {
  createAll,
  dedicatedNode,
  deployment,
  ensureNamespace,
  get,
  onDedicatedNode,
  patch,
  waitFor,
  waitPods,
} from './util.ts';
import type { Scene } from './util.ts';

export async function scene13(cluster: ClusterHandle, namespace: string): Promise<Scene> {
  const ns = namespace;
  const node = `${ns}-node`;
  await ensureNamespace(cluster.admin, ns);
  await cluster.addNode(dedicatedNode(ns, { name: node }));
  await createAll(cluster.admin, [
    deployment(ns, 'api', {
      replicas: 3,
      image: 'registry.example.com/api:1.4.2',
      podSpec: onDedicatedNode(ns),
    }),
    {
      kind: 'PodDisruptionBudget',
      metadata: { name: 'api-pdb', namespace: ns },
      spec: { minAvailable: 3, selector: { matchLabels: { app: 'api' } } },
    },
  ]);
  const ps = await waitPods(
    cluster.admin,
    ns,
    'app=api',
    (x) => x.length === 3 && x.every((p) => p.status?.phase === 'Running'),
    'api Running',
  );
  await waitFor('PDB observed by the disruption controller', async () => {
    const pdb = await get(cluster.admin, 'PodDisruptionBudget', 'api-pdb', ns);
    return (
      pdb?.status?.currentHealthy === 3 &&
      pdb.status.disruptionsAllowed === 0 &&
      pdb.status.observedGeneration === (pdb.metadata as { generation?: number }).generation
    );
  });
  // kubectl drain: cordon, then evict each pod.
  await patch(cluster.admin, 'Node', node, undefined, { spec: { unschedulable: true } });
  const pod = ps[0]?.metadata.name ?? '';
  const r = await cluster.admin.request<{
    message?: string;
    details?: { causes?: { reason: string; message: string }[] };
  }>('POST', `/api/v1/namespaces/${ns}/pods/${pod}/eviction`, {
    apiVersion: 'policy/v1',
    kind: 'Eviction',
    metadata: { name: pod, namespace: ns },
  });
  if (r.status !== 429) throw new Error(`eviction: want 429, got ${r.status} ${r.text}`);
  return {
    namespace: ns,
    target: { kind: 'PodDisruptionBudget', name: 'api-pdb' },
    expect: {
      rootCause:
        'PodDisruptionBudget/api-pdb minAvailable 3 = replicas 3: disruptionsAllowed 0 blocks the drain',
      evidence: [
        '"minAvailable":3',
        '"disruptionsAllowed":0',
        '"currentHealthy":3',
        '"desiredHealthy":3',
        '"unschedulable":true',
      ],
    },
    observed: {
      evictionStatus: r.status,
      evictionMessage: r.body.message,
      evictionCauses: r.body.details?.causes,
      pod,
      node,
    },
  };
}
