/**
 * A typo in a config file held by a ConfigMap: nginx reads `/etc/nginx/conf.d/default.conf`, mounted
 * from ConfigMap `proxy-conf`, stops at the unknown directive, and every pod crash-loops. What is
 * wrong is the ConfigMap's content: the pod, its Deployment and the image are all as meant.
 */
import type { ClusterHandle } from '../harness.ts';
import { faultPods } from './common.ts';
import { createAll, deployment, ensureNamespace, pods, waitFor } from './util.ts';
import type { Scene } from './util.ts';

/** nginx's own start-up lines when an included file has an unknown directive. */
const NGINX_LOG = [
  '/docker-entrypoint.sh: Configuration complete; ready for start up',
  '2026/12/07 10:01:02 [emerg] 1#1: unknown directive "servr_name" in /etc/nginx/conf.d/default.conf:3',
  'nginx: [emerg] unknown directive "servr_name" in /etc/nginx/conf.d/default.conf:3',
].join('\n');

export async function sceneConfigFileTypo(cluster: ClusterHandle, namespace: string): Promise<Scene> {
  const ns = namespace;
  await ensureNamespace(cluster.admin, ns);
  await faultPods(cluster, ns, 'proxy', 'CrashLoopBackOff', { runMs: 500, backoffMs: 2000 });
  await createAll(cluster.admin, [
    {
      kind: 'ConfigMap',
      metadata: { name: 'proxy-conf', namespace: ns },
      data: { 'default.conf': 'server {\n  listen 8080;\n  servr_name shop.example.com;\n}\n' },
    },
    deployment(ns, 'proxy', {
      replicas: 2,
      containers: [
        {
          name: 'nginx',
          image: 'nginx:1.27',
          volumeMounts: [{ name: 'conf', mountPath: '/etc/nginx/conf.d' }],
        },
      ],
      podSpec: { volumes: [{ name: 'conf', configMap: { name: 'proxy-conf' } }] },
    }),
  ]);
  // Every pod gets nginx's lines as its current and previous log, then has crashed at least once.
  const withLogs = new Set<string>();
  await waitFor(
    'both proxy pods crashed once, with their logs',
    async () => {
      const live = await pods(cluster.admin, ns, 'app=proxy');
      for (const p of live.filter((x) => !withLogs.has(x.metadata.name))) {
        await cluster.setPodLogs(ns, p.metadata.name, { current: NGINX_LOG, previous: NGINX_LOG });
        withLogs.add(p.metadata.name);
      }
      return (
        live.length === 2 && live.every((p) => (p.status?.containerStatuses?.[0]?.restartCount ?? 0) >= 1)
      );
    },
    90_000,
  );
  return {
    namespace: ns,
    target: { kind: 'Deployment', name: 'proxy' },
    expect: {
      rootCause: 'ConfigMap/proxy-conf default.conf: unknown directive "servr_name" -> CrashLoopBackOff',
      evidence: ['unknown directive "servr_name"', '"reason":"CrashLoopBackOff"'],
    },
  };
}
