/** S9 pending-unbound-pvc: the PVC names a StorageClass that does not exist; the pod stays Pending. */
import type { ClusterHandle } from '../harness.ts';
import { waitUnschedulable } from './pending.ts';
import { createAll, deployment, ensureNamespace } from './util.ts';
import type { Scene } from './util.ts';

export async function scene09(cluster: ClusterHandle, namespace: string): Promise<Scene> {
  const ns = namespace;
  await ensureNamespace(cluster.admin, ns);
  await createAll(cluster.admin, [
    {
      kind: 'PersistentVolumeClaim',
      metadata: { name: 'db-data', namespace: ns },
      spec: {
        accessModes: ['ReadWriteOnce'],
        storageClassName: 'fast-ssd',
        resources: { requests: { storage: '10Gi' } },
      },
    },
    deployment(ns, 'db', {
      containers: [
        {
          name: 'db',
          image: 'postgres:16',
          volumeMounts: [{ name: 'data', mountPath: '/var/lib/postgresql/data' }],
        },
      ],
      podSpec: { volumes: [{ name: 'data', persistentVolumeClaim: { claimName: 'db-data' } }] },
    }),
  ]);
  await waitUnschedulable(cluster.admin, ns, 'db');
  return {
    namespace: ns,
    target: { kind: 'Deployment', name: 'db' },
    expect: {
      rootCause: 'PersistentVolumeClaim/db-data unbound: StorageClass fast-ssd does not exist',
      evidence: [
        'pod has unbound immediate PersistentVolumeClaims',
        'storageclass.storage.k8s.io "fast-ssd" not found',
        'ProvisioningFailed',
        '"storageClassName":"fast-ssd"',
      ],
    },
  };
}
