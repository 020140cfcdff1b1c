/** S1 crashloop-bad-config: a ConfigMap key edited to an invalid value, the Deployment restarted, new pods crash-loop. */
import type { ClusterHandle } from '../harness.ts';
import { faultPods, rolloutRestart } from './common.ts';
import { createAll, deployment, ensureNamespace, patch, pods, waitFor, waitPods } from './util.ts';
import type { PodObj, Scene } from './util.ts';

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
  const log = [
    'level=info msg="starting api" version=1.4.2',
    'level=info msg="loading configuration from environment"',
    'level=fatal msg="invalid CACHE_SIZE \\"lots\\": expected a quantity such as 512Mi"',
  ].join('\n');
  // Each new pod is Ready for a moment before it first crashes, so the rollout goes on until both
  // replicas run the new template: every one of them gets the logs, and all of them crash-loop.
  const restarted = (p: PodObj): boolean =>
    p.metadata.annotations?.['kubectl.kubernetes.io/restartedAt'] !== undefined;
  const withLogs = new Set<string>();
  // The rollout advances only when the controllers see a new pod Ready in its half-second between
  // crashes, which a loaded machine can miss for a while: the wait gives up after 60 s without
  // progress of the rollout, not 60 s in all.
  let progress = '';
  let since = performance.now();
  const outcome = await waitFor(
    'both api pods of the new template restarted',
    async () => {
      const live = (await pods(cluster.admin, ns, 'app=api')).filter(
        (p) => p.metadata.deletionTimestamp === undefined,
      );
      for (const p of live.filter((x) => restarted(x) && !withLogs.has(x.metadata.name))) {
        await cluster.setPodLogs(ns, p.metadata.name, { current: log, previous: log });
        withLogs.add(p.metadata.name);
      }
      const done =
        live.length === 2 &&
        live.every((p) => restarted(p) && (p.status?.containerStatuses?.[0]?.restartCount ?? 0) >= 1);
      // Progress is the rollout's: a pod of the new template made, an old one gone, a first
      // restart (ready counts flicker with every crash and say nothing).
      const now = JSON.stringify(
        live.map(
          (p) =>
            `${p.metadata.name}:${String(Math.min(1, p.status?.containerStatuses?.[0]?.restartCount ?? 0))}`,
        ),
      );
      if (now !== progress) [progress, since] = [now, performance.now()];
      if (!done && performance.now() - since > 60_000) return 'stuck';
      return done && 'done';
    },
    600_000,
  );
  if (outcome === 'stuck')
    throw new Error(`S1: the rollout made no progress for 60 s (pod:restarted): ${progress}`);
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
