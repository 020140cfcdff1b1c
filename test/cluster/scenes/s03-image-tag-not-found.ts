/** S3 image-tag-not-found: the Deployment rolled to a tag that does not exist. */
import type { ClusterHandle } from '../harness.ts';
import { faultPods } from './common.ts';
import { create, deployment, ensureNamespace, patch, waitPods } from './util.ts';
import type { Scene } from './util.ts';

export async function scene03(cluster: ClusterHandle, namespace: string): Promise<Scene> {
  const ns = namespace;
  const bad = 'registry.example.com/api:1.4.3-rc0';
  await ensureNamespace(cluster.admin, ns);
  await faultPods(
    cluster,
    ns,
    'api',
    'ImagePullBackOff',
    { pullMs: 500, backoffMs: 1500, pullError: 'not-found' },
    { image: bad },
  );
  await create(
    cluster.admin,
    deployment(ns, 'api', {
      replicas: 2,
      containers: [{ name: 'api', image: 'registry.example.com/api:1.4.2' }],
    }),
  );
  await waitPods(
    cluster.admin,
    ns,
    'app=api',
    (ps) => ps.length === 2 && ps.every((p) => p.status?.phase === 'Running'),
    'api Running',
  );
  await patch(
    cluster.admin,
    'Deployment',
    'api',
    ns,
    { spec: { template: { spec: { containers: [{ name: 'api', image: bad }] } } } },
    { type: 'strategic' },
  );
  await waitPods(
    cluster.admin,
    ns,
    'app=api',
    (ps) => ps.some((p) => p.status?.containerStatuses?.[0]?.state?.waiting?.reason === 'ImagePullBackOff'),
    'new pod in ImagePullBackOff',
  );
  return {
    namespace: ns,
    target: { kind: 'Deployment', name: 'api' },
    expect: {
      rootCause: `image ${bad} not found in registry.example.com`,
      evidence: [
        `Failed to pull image "${bad}"`,
        `failed to resolve reference "${bad}": ${bad}: not found`,
        'ErrImagePull',
        'ImagePullBackOff',
        `Back-off pulling image "${bad}"`,
      ],
    },
  };
}
