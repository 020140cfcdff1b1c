/** S4 image-pull-unauthorized: the imagePullSecret is deleted; new pods cannot pull (pull access denied). */
import type { ClusterHandle } from '../harness.ts';
import { faultPods, rolloutRestart } from './common.ts';
import { createAll, deployment, ensureNamespace, waitPods } from './util.ts';
import type { Scene } from './util.ts';

export async function scene04(cluster: ClusterHandle, namespace: string): Promise<Scene> {
  const ns = namespace;
  const image = 'registry.example.com/private/api:2.0';
  await ensureNamespace(cluster.admin, ns);
  const auth = Buffer.from('deploy:s3cr3t').toString('base64');
  const dockerconfig = JSON.stringify({ auths: { 'registry.example.com': { auth } } });
  await createAll(cluster.admin, [
    {
      kind: 'Secret',
      metadata: { name: 'regcred', namespace: ns },
      type: 'kubernetes.io/dockerconfigjson',
      data: { '.dockerconfigjson': Buffer.from(dockerconfig).toString('base64') },
    },
    deployment(ns, 'api', {
      containers: [{ name: 'api', image }],
      podSpec: { imagePullSecrets: [{ name: 'regcred' }] },
    }),
  ]);
  await waitPods(
    cluster.admin,
    ns,
    'app=api',
    (ps) => ps.every((p) => p.status?.phase === 'Running'),
    'api Running',
  );
  await faultPods(
    cluster,
    ns,
    'api',
    'ImagePullBackOff',
    { pullMs: 500, backoffMs: 1500, pullError: 'unauthorized' },
    'restarted',
  );
  const del = await cluster.admin.request('DELETE', `/api/v1/namespaces/${ns}/secrets/regcred`);
  if (del.status !== 200) throw new Error(`delete secret: ${del.status} ${del.text}`);
  await rolloutRestart(cluster, ns, 'api');
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
      rootCause:
        'imagePullSecret Secret/regcred missing: pull access denied for registry.example.com/private/api',
      evidence: [
        'pull access denied, repository does not exist or may require authorization',
        '"imagePullSecrets":[{"name":"regcred"}]',
        `Failed to pull image "${image}"`,
        'ImagePullBackOff',
      ],
    },
  };
}
