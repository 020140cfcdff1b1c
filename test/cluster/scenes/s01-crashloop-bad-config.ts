/** S1 crashloop-bad-config: a ConfigMap key edited to an invalid value, the Deployment restarted, new pods crash-loop. */
import type { ClusterHandle } from '../harness.ts';
import { faultPods, rolloutRestart } from './common.ts';
import { createAll, deployment, ensureNamespace, patch, waitPods } from './util.ts';
import type { Scene } from './util.ts';

export async function scene01(cluster: ClusterHandle, namespace: string): Promise<Scene> {
  const ns = namespace;
  await ensureNamespace(cluster.admin, ns);
  await createAll(cluster.admin, [
    {
      kind: 'ConfigMap',
      metadata: { name: 'api-config', namespace: ns },
      data: { CACHE_SIZE: '512Mi', LOG_LEVEL: 'info' },
    },
    deployment(ns, 'api', {
      replicas: 2,
      containers: [
        {
          name: 'api',
          image: 'registry.example.com/api:1.4.2',
          envFrom: [{ configMapRef: { name: 'api-config' } }],
        },
      ],
    }),
  ]);
  await waitPods(
    cluster.admin,
    ns,
    'app=api',
    (ps) => ps.length === 2 && ps.every((p) => p.status?.phase === 'Running'),
    'api Running',
  );
  // Pods of the restarted template crash: exit 1 after 0.5 s, back-off 2 s (so the test is quick).
  await faultPods(cluster, ns, 'api', 'CrashLoopBackOff', { runMs: 500, backoffMs: 2000 }, 'restarted');
  // The bad edit, as the admin user (the audit log records kubernetes-admin).
  await patch(cluster.admin, 'ConfigMap', 'api-config', ns, { data: { CACHE_SIZE: 'lots' } });
  await rolloutRestart(cluster, ns, 'api');
  const bad = await waitPods(
    cluster.admin,
    ns,
    'app=api',
    (ps) => ps.some((p) => p.metadata.annotations?.['kubectl.kubernetes.io/restartedAt'] !== undefined),
    'a pod of the new ReplicaSet',
  );
  const log = [
    'level=info msg="starting api" version=1.4.2',
    'level=info msg="loading configuration from environment"',
    'level=fatal msg="invalid CACHE_SIZE \\"lots\\": expected a quantity such as 512Mi"',
  ].join('\n');
  for (const p of bad.filter(
    (x) => x.metadata.annotations?.['kubectl.kubernetes.io/restartedAt'] !== undefined,
  ))
    await cluster.setPodLogs(ns, p.metadata.name, { current: log, previous: log });
  await waitPods(
    cluster.admin,
    ns,
    'app=api',
    (ps) => ps.some((p) => (p.status?.containerStatuses?.[0]?.restartCount ?? 0) >= 1),
    'a new pod restarted',
  );
  return {
    namespace: ns,
    target: { kind: 'Deployment', name: 'api' },
    expect: {
      rootCause:
        'ConfigMap/api-config key CACHE_SIZE changed "512Mi" -> "lots" (by kubernetes-admin) -> new ReplicaSet CrashLoopBackOff',
      evidence: [
        'invalid CACHE_SIZE',
        '"CACHE_SIZE":"lots"',
        'kubectl.kubernetes.io/restartedAt',
        'Back-off restarting failed container api in pod api-',
        '"reason":"CrashLoopBackOff"',
        '"exitCode":1',
      ],
    },
    observed: { editedBy: 'kubernetes-admin', key: 'CACHE_SIZE', oldValue: '512Mi', newValue: 'lots' },
  };
}
