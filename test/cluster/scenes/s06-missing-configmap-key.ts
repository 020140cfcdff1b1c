/** S6 missing-configmap-key: env valueFrom.configMapKeyRef names a key the ConfigMap lacks; CreateContainerConfigError. */
import type { ClusterHandle } from '../harness.ts';
import { faultPods } from './common.ts';
import { createAll, deployment, ensureNamespace, waitPods } from './util.ts';
import type { Scene } from './util.ts';

export async function scene06(cluster: ClusterHandle, namespace: string): Promise<Scene> {
  const ns = namespace;
  await ensureNamespace(cluster.admin, ns);
  const message = `couldn't find key CACHE_SIZE in ConfigMap ${ns}/api-config`;
  await faultPods(cluster, ns, 'api', 'CreateContainerConfigError', { message, backoffMs: 2000 });
  await createAll(cluster.admin, [
    {
      kind: 'ConfigMap',
      metadata: { name: 'api-config', namespace: ns },
      data: { LOG_LEVEL: 'info', CACHE_TTL: '60s' },
    },
    deployment(ns, 'api', {
      containers: [
        {
          name: 'api',
          image: 'registry.example.com/api:1.4.2',
          env: [
            { name: 'CACHE_SIZE', valueFrom: { configMapKeyRef: { name: 'api-config', key: 'CACHE_SIZE' } } },
          ],
        },
      ],
    }),
  ]);
  await waitPods(
    cluster.admin,
    ns,
    'app=api',
    (ps) =>
      ps.some(
        (p) => p.status?.containerStatuses?.[0]?.state?.waiting?.reason === 'CreateContainerConfigError',
      ),
    'CreateContainerConfigError',
  );
  return {
    namespace: ns,
    target: { kind: 'Deployment', name: 'api' },
    expect: {
      rootCause: 'ConfigMap/api-config has no key CACHE_SIZE (env CACHE_SIZE of container api)',
      evidence: [
        message,
        `Error: ${message}`,
        'CreateContainerConfigError',
        '"configMapKeyRef":{"name":"api-config","key":"CACHE_SIZE"}',
      ],
    },
  };
}
