/** The kubeconfig files the harness writes for its users and components. */
import fs from 'node:fs';

/**
 * A one-cluster, one-user kubeconfig for `server`. With `embed` the certificates are inlined
 * (`*-data`), so the file works when copied; without, it names the files.
 */
export function kubeconfigYaml(opts: {
  server: string;
  user: string;
  ca: string;
  cert: string;
  key: string;
  embed: boolean;
}): string {
  const b64 = (f: string): string => fs.readFileSync(f).toString('base64');
  const caLine = opts.embed
    ? `certificate-authority-data: ${b64(opts.ca)}`
    : `certificate-authority: ${opts.ca}`;
  const certLine = opts.embed
    ? `client-certificate-data: ${b64(opts.cert)}`
    : `client-certificate: ${opts.cert}`;
  const keyLine = opts.embed ? `client-key-data: ${b64(opts.key)}` : `client-key: ${opts.key}`;
  return [
    'apiVersion: v1',
    'kind: Config',
    'clusters:',
    '- name: kubectl-smart-test',
    '  cluster:',
    `    server: ${opts.server}`,
    `    ${caLine}`,
    'users:',
    `- name: ${opts.user}`,
    '  user:',
    `    ${certLine}`,
    `    ${keyLine}`,
    'contexts:',
    `- name: ${opts.user}@kubectl-smart-test`,
    '  context:',
    '    cluster: kubectl-smart-test',
    `    user: ${opts.user}`,
    '    namespace: default',
    `current-context: ${opts.user}@kubectl-smart-test`,
    '',
  ].join('\n');
}
