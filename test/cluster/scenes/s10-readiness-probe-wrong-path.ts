/** S10 readiness-probe-wrong-path: the probe's path returns 404; pods Running, not Ready; the Service has no ready endpoints. */
import type { ClusterHandle } from '../harness.ts';
import { faultPods } from './common.ts';
import { createAll, deployment, ensureNamespace, list, waitFor, waitPods } from './util.ts';
import type { Scene } from './util.ts';

export async function scene10(cluster: ClusterHandle, namespace: string): Promise<Scene> {
  const ns = namespace;
  await ensureNamespace(cluster.admin, ns);
  await faultPods(cluster, ns, 'web', 'NotReady', {});
  await createAll(cluster.admin, [
    deployment(ns, 'web', {
      replicas: 2,
      containers: [
        {
          name: 'web',
          image: 'registry.example.com/web:5.2',
          ports: [{ name: 'http', containerPort: 8080 }],
          readinessProbe: {
            httpGet: { path: '/healthz', port: 8080 },
            periodSeconds: 2,
            failureThreshold: 3,
          },
        },
      ],
    }),
    {
      kind: 'Service',
      metadata: { name: 'web', namespace: ns },
      spec: { selector: { app: 'web' }, ports: [{ port: 80, targetPort: 'http' }] },
    },
  ]);
  await waitPods(
    cluster.admin,
    ns,
    'app=web',
    (ps) => ps.length === 2 && ps.every((p) => p.status?.phase === 'Running'),
    'web Running',
  );
  await waitFor('EndpointSlice with 2 not-ready endpoints', async () =>
    (await list(cluster.admin, 'EndpointSlice', ns, 'kubernetes.io/service-name=web')).some(
      (s) =>
        ((s['endpoints'] as { conditions: { ready: boolean } }[] | null) ?? []).filter(
          (e) => !e.conditions.ready,
        ).length === 2,
    ),
  );
  await waitFor(
    'Unhealthy events',
    async () => {
      const r = await cluster.admin.request<{ items: { reason: string }[] }>(
        'GET',
        `/api/v1/namespaces/${ns}/events`,
      );
      return r.body.items.some((e) => e.reason === 'Unhealthy');
    },
    15_000,
  );
  return {
    namespace: ns,
    target: { kind: 'Service', name: 'web' },
    expect: {
      rootCause:
        'readinessProbe httpGet /healthz:8080 of container web fails (404); Service web has 0 ready endpoints',
      evidence: [
        'Readiness probe failed: HTTP probe failed with statuscode: 404',
        '"path":"/healthz"',
        '"ready":false',
        'containers with unready status: [web]',
      ],
    },
  };
}
