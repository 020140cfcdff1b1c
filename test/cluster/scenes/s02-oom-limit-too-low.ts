/**
 * S2 oom-limit-too-low: a 64Mi limit below real usage; OOMKilled, exit 137, restarts. Between kills
 * the container's working set is 60Mi (KWOK's usage-from-annotation), which the Metrics API reports
 * when a test starts metrics-server (metrics-server.ts).
 */
import type { ClusterHandle } from '../harness.ts';
import { faultPods } from './common.ts';
import { create, deployment, ensureNamespace, waitPods } from './util.ts';
import type { Scene } from './util.ts';

export async function scene02(cluster: ClusterHandle, namespace: string): Promise<Scene> {
  const ns = namespace;
  await ensureNamespace(cluster.admin, ns);
  await faultPods(cluster, ns, 'worker', 'OOMKilled', { runMs: 500, backoffMs: 1500 });
  await create(
    cluster.admin,
    deployment(ns, 'worker', {
      annotations: { 'kwok.x-k8s.io/usage-memory': '60Mi' },
      containers: [
        {
          name: 'worker',
          image: 'registry.example.com/worker:3.1',
          resources: { requests: { memory: '64Mi', cpu: '100m' }, limits: { memory: '64Mi' } },
        },
      ],
    }),
  );
  await waitPods(
    cluster.admin,
    ns,
    'app=worker',
    (ps) => ps.some((p) => (p.status?.containerStatuses?.[0]?.restartCount ?? 0) >= 2),
    'worker restarted twice',
  );
  return {
    namespace: ns,
    target: { kind: 'Deployment', name: 'worker' },
    expect: {
      rootCause: 'container worker memory limit 64Mi below usage (OOMKilled, exit 137)',
      evidence: [
        '"reason":"OOMKilled"',
        '"exitCode":137',
        '"limits":{"memory":"64Mi"}',
        'Back-off restarting failed container worker',
      ],
    },
  };
}
