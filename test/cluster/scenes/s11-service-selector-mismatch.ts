/** S11 service-selector-mismatch: the Service selects app=web, the pods are labelled app=webapp. */
import type { ClusterHandle } from '../harness.ts';
import { createAll, deployment, ensureNamespace, list, waitFor, waitPods } from './util.ts';
import type { Scene } from './util.ts';

export async function scene11(cluster: ClusterHandle, namespace: string): Promise<Scene> {
  const ns = namespace;
  await ensureNamespace(cluster.admin, ns);
  await createAll(cluster.admin, [
    deployment(ns, 'web', {
      replicas: 2,
      labels: { app: 'webapp', tier: 'frontend' },
      containers: [{ name: 'web', image: 'nginx:1.27', ports: [{ containerPort: 80 }] }],
    }),
    {
      kind: 'Service',
      metadata: { name: 'web', namespace: ns },
      spec: { selector: { app: 'web' }, ports: [{ port: 80, targetPort: 80 }] },
    },
  ]);
  await waitPods(
    cluster.admin,
    ns,
    'app=webapp',
    (ps) => ps.length === 2 && ps.every((p) => p.status?.phase === 'Running'),
    'webapp Running',
  );
  await waitFor(
    'EndpointSlice of web',
    async () => (await list(cluster.admin, 'EndpointSlice', ns, 'kubernetes.io/service-name=web')).length > 0,
  );
  return {
    namespace: ns,
    target: { kind: 'Service', name: 'web' },
    expect: {
      rootCause:
        'Service/web selector app=web matches no pod; closest: pods of Deployment/web labelled app=webapp',
      evidence: ['"selector":{"app":"web"}', '"app":"webapp"', '"kubernetes.io/service-name":"web"'],
    },
  };
}
