/** S5 image-pull-rate-limited: Docker Hub answers 429 Too Many Requests. */
import type { ClusterHandle } from '../harness.ts';
import { faultPods } from './common.ts';
import { create, deployment, ensureNamespace, waitPods } from './util.ts';
import type { Scene } from './util.ts';

export async function scene05(cluster: ClusterHandle, namespace: string): Promise<Scene> {
  const ns = namespace;
  await ensureNamespace(cluster.admin, ns);
  await faultPods(cluster, ns, 'web', 'ImagePullBackOff', {
    pullMs: 500,
    backoffMs: 1500,
    pullError: 'rate-limited',
  });
  await create(
    cluster.admin,
    deployment(ns, 'web', { replicas: 2, containers: [{ name: 'web', image: 'nginx:1.27' }] }),
  );
  await waitPods(
    cluster.admin,
    ns,
    'app=web',
    (ps) => ps.some((p) => p.status?.containerStatuses?.[0]?.state?.waiting?.reason === 'ImagePullBackOff'),
    'web in ImagePullBackOff',
  );
  return {
    namespace: ns,
    target: { kind: 'Deployment', name: 'web' },
    expect: {
      rootCause: 'registry rate limit (docker.io 429 toomanyrequests), not a bad image',
      evidence: [
        '429 Too Many Requests',
        'toomanyrequests: You have reached your pull rate limit',
        'unexpected status from HEAD request to https://registry-1.docker.io/v2/library/nginx/manifests/1.27: 429 Too Many Requests',
        'failed to pull and unpack image "docker.io/library/nginx:1.27"',
        'Failed to pull image "nginx:1.27"',
      ],
    },
  };
}
