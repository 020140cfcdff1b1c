/**
 * A namespace at its pod quota: ResourceQuota `pods` allows 2, Deployment `web` holds both, and
 * Deployment `worker` cannot create its pod. Nothing is faked: the API server's quota admission
 * refuses the pod, the resourcequota-controller keeps `status.used`, the replicaset-controller
 * writes the FailedCreate events and the ReplicaFailure condition.
 */
import type { ClusterHandle } from '../harness.ts';
import { createAll, deployment, ensureNamespace, get, list, waitFor, waitPods } from './util.ts';

export async function sceneQuotaExhausted(cluster: ClusterHandle, ns: string): Promise<void> {
  await ensureNamespace(cluster.admin, ns);
  await createAll(cluster.admin, [
    {
      kind: 'ResourceQuota',
      metadata: { name: 'pods', namespace: ns },
      spec: { hard: { pods: '2' } },
    },
  ]);
  // Quota admission refuses pods until the controller has computed the quota's usage.
  await waitFor('quota usage computed', async () => {
    const quota = (await get(cluster.admin, 'ResourceQuota', 'pods', ns)) as
      { status?: { used?: Record<string, string> } } | undefined;
    return quota?.status?.used?.['pods'] !== undefined;
  });
  await createAll(cluster.admin, [deployment(ns, 'web', { replicas: 2, image: 'nginx:1.27' })]);
  await waitPods(cluster.admin, ns, 'app=web', (ps) => ps.length === 2, 'web has both pods');
  await createAll(cluster.admin, [deployment(ns, 'worker', { replicas: 1 })]);
  await waitFor('worker refused by quota', async () => {
    const used = (await get(cluster.admin, 'ResourceQuota', 'pods', ns)) as
      { status?: { used?: Record<string, string> } } | undefined;
    const [replicaSet] = (await list(cluster.admin, 'ReplicaSet', ns, 'app=worker')) as {
      status?: { conditions?: { type: string; status: string }[] };
    }[];
    return (
      used?.status?.used?.['pods'] === '2' &&
      replicaSet?.status?.conditions?.some((c) => c.type === 'ReplicaFailure' && c.status === 'True')
    );
  });
}
