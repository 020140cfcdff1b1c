/**
 * S8 pending-untolerated-taint: every node of the pool the pod targets carries a NoSchedule taint it
 * does not tolerate. (The cluster is shared, so the pool is two nodes of its own, chosen by nodeSelector.)
 * k8s 1.37's scheduler says only "had untolerated taint(s)": the taint itself is on the nodes.
 */
import type { ClusterHandle } from '../harness.ts';
import { waitUnschedulable } from './pending.ts';
import { create, deployment, ensureNamespace } from './util.ts';
import type { Scene } from './util.ts';

export async function scene08(cluster: ClusterHandle, namespace: string): Promise<Scene> {
  const ns = namespace;
  await ensureNamespace(cluster.admin, ns);
  for (const i of [0, 1])
    await cluster.addNode({
      name: `${ns}-gpu-${i}`,
      labels: { pool: `${ns}-gpu` },
      taints: [{ key: 'dedicated', value: 'gpu', effect: 'NoSchedule' }],
    });
  await create(
    cluster.admin,
    deployment(ns, 'trainer', {
      image: 'registry.example.com/trainer:0.9',
      podSpec: { nodeSelector: { pool: `${ns}-gpu` } },
    }),
  );
  await waitUnschedulable(cluster.admin, ns, 'trainer');
  return {
    namespace: ns,
    target: { kind: 'Deployment', name: 'trainer' },
    expect: {
      rootCause: `taint dedicated=gpu:NoSchedule on nodes ${ns}-gpu-0, ${ns}-gpu-1 not tolerated`,
      evidence: [
        'node(s) had untolerated taint(s)',
        'FailedScheduling',
        `"name":"${ns}-gpu-0"`,
        '{"key":"dedicated","value":"gpu","effect":"NoSchedule"}',
      ],
    },
  };
}
