/**
 * Credentials of a ServiceAccount as a pod gets them: a bound token from the TokenRequest API,
 * written into a kubeconfig for the test cluster, so a process here runs with exactly that
 * account's RBAC.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { ClusterHandle } from './harness.ts';

/** Writes `file`, a kubeconfig for ServiceAccount `namespace/name` (token valid for an hour). */
export async function serviceAccountKubeconfig(
  cluster: ClusterHandle,
  namespace: string,
  name: string,
  file: string,
): Promise<string> {
  const response = await cluster.admin.request<{ status: { token: string } }>(
    'POST',
    `/api/v1/namespaces/${namespace}/serviceaccounts/${name}/token`,
    { apiVersion: 'authentication.k8s.io/v1', kind: 'TokenRequest', spec: { expirationSeconds: 3600 } },
  );
  if (response.status !== 201) throw new Error(`TokenRequest: ${String(response.status)} ${response.text}`);
  fs.writeFileSync(
    file,
    [
      'apiVersion: v1',
      'kind: Config',
      'current-context: sa',
      `clusters: [{ name: test, cluster: { server: "${cluster.server}", certificate-authority: "${path.join(cluster.dir, 'pki', 'ca.crt')}" } }]`,
      `users: [{ name: sa, user: { token: "${response.body.status.token}" } }]`,
      'contexts: [{ name: sa, context: { cluster: test, user: sa } }]',
    ].join('\n'),
    { mode: 0o600 },
  );
  return file;
}
