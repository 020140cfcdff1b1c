/**
 * A cluster's credentials: the certificates `testcluster pki` makes in `<dir>/pki`, the
 * kubeconfigs built on them, and clients authenticating with them.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { makeClient, type KubeClient } from './kube-client.ts';
import { kubeconfigYaml } from './kubeconfig.ts';

/** What {@link writeCredentials} wrote. */
export interface ClusterCredentials {
  /** `<dir>/pki`. */
  readonly pkiDir: string;
  /** The path of a file in {@link pkiDir}, e.g. `file('ca.crt')`. */
  readonly file: (name: string) => string;
  /** Admin (system:masters), certificates embedded. */
  readonly kubeconfigAdmin: string;
  /** smart-readonly (ClusterRole kubectl-smart-observer), certificates embedded. */
  readonly kubeconfigReadOnly: string;
  readonly kubeconfigControllerManager: string;
  readonly kubeconfigScheduler: string;
  readonly kubeconfigKwok: string;
}

/** Runs `testcluster pki` into `<dir>/pki` and writes a kubeconfig per user into dir. */
export function writeCredentials(bin: string, dir: string, server: string): ClusterCredentials {
  const pkiDir = path.join(dir, 'pki');
  const pkiRes = spawnSync(bin, ['pki', '--dir', pkiDir], { encoding: 'utf8' });
  if (pkiRes.status !== 0) throw new Error(`pki failed: ${pkiRes.stderr}`);
  const file = (f: string): string => path.join(pkiDir, f);
  const kc = (name: string, user: string, cert: string, embed: boolean): string => {
    const kubeconfig = path.join(dir, `${name}.kubeconfig`);
    fs.writeFileSync(
      kubeconfig,
      kubeconfigYaml({
        server,
        user,
        ca: file('ca.crt'),
        cert: file(`${cert}.crt`),
        key: file(`${cert}.key`),
        embed,
      }),
      { mode: 0o600 },
    );
    return kubeconfig;
  };
  return {
    pkiDir,
    file,
    kubeconfigAdmin: kc('admin', 'kubernetes-admin', 'admin', true),
    kubeconfigReadOnly: kc('readonly', 'smart-readonly', 'readonly', true),
    kubeconfigControllerManager: kc(
      'controller-manager',
      'system:kube-controller-manager',
      'controller-manager',
      false,
    ),
    kubeconfigScheduler: kc('scheduler', 'system:kube-scheduler', 'scheduler', false),
    kubeconfigKwok: kc('kwok', 'kwok-controller', 'kwok', false),
  };
}

/** A client for `server` as the user whose certificate is `<pkiDir>/<cert>.crt`. */
export function pkiClient(server: URL, pkiDir: string, cert: string): KubeClient {
  const read = (f: string): Buffer => fs.readFileSync(path.join(pkiDir, f));
  return makeClient(server, read('ca.crt'), read(`${cert}.crt`), read(`${cert}.key`));
}
