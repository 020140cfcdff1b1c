/** S7 pending-insufficient-cpu: requests more CPU than any node has free; the real scheduler says FailedScheduling. */
import type { ClusterHandle } from '../harness.ts';
import { waitUnschedulable } from './pending.ts';
import { create, deployment, ensureNamespace } from './util.ts';
import type { Scene } from './util.ts';

export async function scene07(cluster: ClusterHandle, namespace: string): Promise<Scene> {
  const ns = namespace;
  await ensureNamespace(cluster.admin, ns);
  await create(
    cluster.admin,
    deployment(ns, 'batch', {
      containers: [
        {
          name: 'batch',
          image: 'registry.example.com/batch:2.0',
          resources: { requests: { cpu: '12', memory: '1Gi' } },
        },
      ],
    }),
  );
  await waitUnschedulable(cluster.admin, ns, 'batch');
  return {
    namespace: ns,
    target: { kind: 'Deployment', name: 'batch' },
    expect: {
      rootCause: 'Insufficient cpu: requests 12 cores, largest node allocatable 8',
      evidence: [
        'Insufficient cpu',
        'FailedScheduling',
        '"reason":"Unschedulable"',
        '"requests":{"cpu":"12"',
        '"allocatable":{"cpu":"8"',
      ],
    },
  };
}
