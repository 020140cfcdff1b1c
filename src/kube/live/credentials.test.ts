import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { AppError } from '../../core/errors.js';
import { credentialsFor } from './credentials.js';
import { loadKubeConfig } from './kubeconfig.js';

const dir = mkdtempSync(join(tmpdir(), 'smart-credentials-'));
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

function kubeconfig(name: string, user: string, cluster = 'server: "https://127.0.0.1:6443"'): string {
  const file = join(dir, name, 'config');
  mkdirSync(join(dir, name), { recursive: true });
  writeFileSync(
    file,
    [
      'apiVersion: v1',
      'kind: Config',
      'current-context: c',
      `clusters: [{ name: k, cluster: { ${cluster} } }]`,
      `users: [{ name: u, user: ${user} }]`,
      'contexts: [{ name: c, context: { cluster: k, user: u } }]',
    ].join('\n'),
  );
  return file;
}

async function credentialsOf(file: string, env: NodeJS.ProcessEnv = {}) {
  const loaded = loadKubeConfig({ kubeconfig: file, env });
  return credentialsFor(loaded.cluster, loaded.user, { PATH: process.env.PATH, ...env });
}

describe('credentialsFor', () => {
  it('reads certificate files named relative to the kubeconfig, and inline data', async () => {
    const file = kubeconfig(
      'certs',
      '{ client-certificate: pki/admin.crt, client-key-data: a2V5LWJ5dGVz }',
      'server: "https://127.0.0.1:6443", certificate-authority: pki/ca.crt, tls-server-name: kubernetes',
    );
    mkdirSync(join(dir, 'certs', 'pki'));
    writeFileSync(join(dir, 'certs', 'pki', 'ca.crt'), 'ca-bytes');
    writeFileSync(join(dir, 'certs', 'pki', 'admin.crt'), 'cert-bytes');
    const credentials = await credentialsOf(file);
    const utf8 = (value: unknown): string => (value as Buffer).toString('utf8');
    expect(utf8(credentials.tls.ca)).toBe('ca-bytes');
    expect(utf8(credentials.tls.cert)).toBe('cert-bytes');
    expect(utf8(credentials.tls.key)).toBe('key-bytes');
    expect(credentials.tls.servername).toBe('kubernetes');
    expect(await credentials.authorization()).toBeUndefined();
  });

  it('says which certificate file it cannot read', async () => {
    const file = kubeconfig('missing', '{ client-certificate: gone.crt }');
    await expect(credentialsOf(file)).rejects.toThrow(
      `cannot read the kubeconfig's client-certificate ${join(dir, 'missing', 'gone.crt')}: `,
    );
  });

  it('sends a token file’s token, and basic authentication', async () => {
    const file = kubeconfig('token-file', '{ tokenFile: token }');
    writeFileSync(join(dir, 'token-file', 'token'), 'sa-token\n');
    expect(await (await credentialsOf(file)).authorization()).toBe('Bearer sa-token');
    const basic = await credentialsOf(kubeconfig('basic', '{ username: ana, password: s3cret }'));
    expect(basic.basicAuth).toBe('ana:s3cret');
  });

  it('runs an exec plugin with its env and KUBERNETES_EXEC_INFO, and asks again before the token expires', async () => {
    const plugin = join(dir, 'exec', 'plugin.sh');
    mkdirSync(join(dir, 'exec'), { recursive: true });
    // Each run counts itself and hands out a token that expires in 10 s: within the 30 s margin,
    // so every request asks again.
    writeFileSync(
      plugin,
      [
        '#!/bin/sh',
        'n=$(($(cat "$COUNTER" 2>/dev/null || echo 0) + 1)); echo $n > "$COUNTER"',
        'echo "$KUBERNETES_EXEC_INFO" > "$COUNTER.info"',
        `expiry=$(date -u -d @$(($(date +%s) + 10)) +%Y-%m-%dT%H:%M:%SZ)`,
        'printf \'{"apiVersion":"client.authentication.k8s.io/v1","kind":"ExecCredential","status":{"token":"tok-%s","expirationTimestamp":"%s"}}\' "$n" "$expiry"',
      ].join('\n'),
    );
    chmodSync(plugin, 0o755);
    const counter = join(dir, 'exec', 'count');
    const file = kubeconfig(
      'exec',
      `{ exec: { apiVersion: client.authentication.k8s.io/v1, command: ./plugin.sh, args: [get-token], env: [{ name: COUNTER, value: "${counter}" }] } }`,
    );
    const credentials = await credentialsOf(file);
    expect(await credentials.authorization()).toBe('Bearer tok-1');
    expect(await credentials.authorization()).toBe('Bearer tok-2');
    expect(JSON.parse(readFileSync(`${counter}.info`, 'utf8'))).toEqual({
      apiVersion: 'client.authentication.k8s.io/v1',
      kind: 'ExecCredential',
      spec: { interactive: false },
    });
  });

  it('says in one line when the exec plugin fails, and refuses legacy auth-providers', async () => {
    const plugin = join(dir, 'failing', 'plugin.sh');
    mkdirSync(join(dir, 'failing'), { recursive: true });
    writeFileSync(plugin, '#!/bin/sh\necho "token expired: run aws sso login" >&2\nexit 1\n');
    chmodSync(plugin, 0o755);
    const failing = kubeconfig('failing', `{ exec: { command: ${plugin} } }`);
    const error: unknown = await credentialsOf(failing).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).message).toBe(
      `the kubeconfig's exec plugin ${plugin} failed (token expired: run aws sso login); check it runs: ${plugin}`,
    );
    const legacy = kubeconfig('legacy', '{ auth-provider: { name: gcp, config: {} } }');
    await expect(credentialsOf(legacy)).rejects.toThrow(
      `the kubeconfig's user authenticates with auth-provider "gcp", which kubectl-smart does not support`,
    );
  });
});
