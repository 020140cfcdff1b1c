/**
 * An init container in a crash loop: `migrate` exits 1 (it cannot reach its database), the kubelet
 * backs off and starts it again; the app container waits in PodInitializing, the Deployment has
 * 0 of 1 pods ready. Not one of SCENARIOS.md's: the determinism test reads it at every moment.
 */
import type { ClusterHandle } from '../harness.ts';
import { faultPods } from './common.ts';
import { create, cstatus, deployment, ensureNamespace, waitPods } from './util.ts';
import type { Scene } from './util.ts';

export async function sceneInitCrashLoop(cluster: ClusterHandle, namespace: string): Promise<Scene> {
  const ns = namespace;
  await ensureNamespace(cluster.admin, ns);
  await faultPods(cluster, ns, 'api', 'InitCrashLoopBackOff', {
    runMs: 1000,
    backoffMs: 2000,
    message: 'could not connect to db: connection refused',
  });
  await create(
    cluster.admin,
    deployment(ns, 'api', {
      podSpec: { initContainers: [{ name: 'migrate', image: 'registry.example.com/migrate:1.4.2' }] },
      containers: [{ name: 'api', image: 'registry.example.com/api:1.4.2' }],
    }),
  );
  await waitPods(
    cluster.admin,
    ns,
    'app=api',
    (ps) => ps.some((p) => (cstatus(p, true)?.restartCount ?? 0) >= 1),
    'migrate restarted',
  );
  return {
    namespace: ns,
    target: { kind: 'Deployment', name: 'api' },
    expect: {
      rootCause: 'init container migrate crash-loops (exit 1): the app container waits in PodInitializing',
      evidence: [
        '"reason":"CrashLoopBackOff"',
        'could not connect to db: connection refused',
        'Back-off restarting failed container migrate in pod api-',
      ],
    },
  };
}
