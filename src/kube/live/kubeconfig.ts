import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, dirname, isAbsolute, join, resolve } from 'node:path';
import { parse } from 'yaml';
import { AppError } from '../../core/errors.js';

export interface KubeConfigOptions {
  /** `--kubeconfig`; otherwise `KUBECONFIG`, then `~/.kube/config`, then the in-cluster service account. */
  readonly kubeconfig?: string;
  /** `--context`; otherwise the kubeconfig's current context. */
  readonly context?: string;
  /** The environment to read KUBECONFIG and the in-cluster variables from. */
  readonly env?: NodeJS.ProcessEnv;
}

/** A kubeconfig `clusters[].cluster`, file references made absolute. */
export interface KubeCluster {
  readonly server: string;
  readonly certificateAuthority?: string;
  readonly certificateAuthorityData?: string;
  readonly insecureSkipTlsVerify?: boolean;
  readonly tlsServerName?: string;
}

/** A kubeconfig `users[].user`'s exec credential plugin (client.authentication.k8s.io). */
export interface KubeExec {
  readonly apiVersion: string;
  readonly command: string;
  readonly args: readonly string[];
  readonly env: readonly { readonly name: string; readonly value: string }[];
}

/** A kubeconfig `users[].user`, file references made absolute. */
export interface KubeUser {
  readonly clientCertificate?: string;
  readonly clientCertificateData?: string;
  readonly clientKey?: string;
  readonly clientKeyData?: string;
  readonly token?: string;
  readonly tokenFile?: string;
  readonly username?: string;
  readonly password?: string;
  readonly exec?: KubeExec;
  /** The name of a legacy auth-provider (gcp, azure, oidc): refused with a line saying what to use. */
  readonly authProvider?: string;
}

export interface LoadedKubeConfig {
  readonly contextName: string;
  /** The context's namespace, or `default`. */
  readonly namespace: string;
  readonly userName: string;
  readonly cluster: KubeCluster;
  readonly user: KubeUser;
  /** Every context of the merged files, in order (for messages). */
  readonly contexts: readonly string[];
}

const SERVICE_ACCOUNT_DIR = '/var/run/secrets/kubernetes.io/serviceaccount';

interface Named<T> {
  readonly name: string;
  readonly value: T;
}

interface ContextEntry {
  readonly cluster: string;
  readonly user: string;
  readonly namespace?: string;
}

/** Kubeconfig files merged as kubectl merges them: the first file to name a thing wins. */
interface Merged {
  currentContext: string;
  readonly clusters: Named<KubeCluster>[];
  readonly users: Named<KubeUser>[];
  readonly contexts: Named<ContextEntry>[];
}

/**
 * Finds credentials the way kubectl does: `--kubeconfig`, else the files in KUBECONFIG, else
 * ~/.kube/config, else the pod's service account when running in a cluster. Says in one line what
 * to do when there are none, instead of silently trying localhost:8080. Read with the `yaml`
 * package: client-node's KubeConfig would cost 0.3 s and 90 MB of start-up for its generated API.
 */
export function loadKubeConfig(options: KubeConfigOptions = {}): LoadedKubeConfig {
  const env = options.env ?? process.env;
  if (options.kubeconfig !== undefined) {
    if (!existsSync(options.kubeconfig)) {
      throw new AppError('usage', `--kubeconfig ${options.kubeconfig}: no such file`);
    }
    return select(merge([options.kubeconfig]), options.context);
  }
  const files = kubeconfigFiles(env);
  if (files.length > 0) return select(merge(files), options.context);
  if (env.KUBERNETES_SERVICE_HOST !== undefined && existsSync(join(SERVICE_ACCOUNT_DIR, 'token')))
    return inCluster(env);
  throw new AppError(
    'unreachable',
    'no kubeconfig found (KUBECONFIG, ~/.kube/config) and not running in a cluster; pass --kubeconfig FILE, or --from DIR to read files',
  );
}

/** The files of KUBECONFIG that exist, else ~/.kube/config if it does, as kubectl resolves them. */
function kubeconfigFiles(env: NodeJS.ProcessEnv): string[] {
  const listed = (env.KUBECONFIG ?? '').split(delimiter).filter((file) => file !== '' && existsSync(file));
  if (listed.length > 0) return listed;
  const home = join(env.HOME ?? homedir(), '.kube', 'config');
  return existsSync(home) ? [home] : [];
}

function merge(files: readonly string[]): Merged {
  const merged: Merged = { currentContext: '', clusters: [], users: [], contexts: [] };
  for (const file of files) {
    const document = readKubeconfig(file);
    const base = dirname(resolve(file));
    // Each entry is `{ name, cluster: {…} }` (or `user`, `context`).
    const add = <T>(
      into: Named<T>[],
      entries: unknown,
      field: string,
      read: (entry: Record<string, unknown>) => T,
    ): void => {
      for (const entry of list(entries, file)) {
        const name = text(entry.name);
        if (name === undefined || into.some((e) => e.name === name)) continue;
        into.push({ name, value: read(record(entry[field])) });
      }
    };
    add(merged.clusters, document.clusters, 'cluster', (c) => clusterOf(c, base));
    add(merged.users, document.users, 'user', (u) => userOf(u, base));
    add(merged.contexts, document.contexts, 'context', contextOf);
    if (merged.currentContext === '') merged.currentContext = text(document['current-context']) ?? '';
  }
  return merged;
}

function readKubeconfig(file: string): Record<string, unknown> {
  let parsed: unknown;
  try {
    parsed = parse(readFileSync(file, 'utf8'));
  } catch (error) {
    const detail = error instanceof Error ? error.message.split('\n')[0] : String(error);
    throw new AppError('usage', `cannot read the kubeconfig ${file}: ${detail ?? ''}`);
  }
  if (parsed === null || parsed === undefined) return {};
  if (typeof parsed !== 'object' || Array.isArray(parsed))
    throw new AppError(
      'usage',
      `cannot read the kubeconfig ${file}: it is not a kubeconfig (a YAML mapping)`,
    );
  return parsed as Record<string, unknown>;
}

function select(merged: Merged, wanted: string | undefined): LoadedKubeConfig {
  const contexts = merged.contexts.map((c) => c.name);
  const contextName = wanted ?? merged.currentContext;
  const context = merged.contexts.find((c) => c.name === contextName)?.value;
  if (context === undefined) {
    if (wanted !== undefined)
      throw new AppError(
        'usage',
        `context "${wanted}" is not in the kubeconfig (known: ${contexts.length === 0 ? 'none' : contexts.join(', ')})`,
      );
    throw new AppError('usage', 'the kubeconfig has no current context with a cluster; pass --context NAME');
  }
  const cluster = merged.clusters.find((c) => c.name === context.cluster)?.value;
  if (cluster === undefined || cluster.server === '')
    throw new AppError(
      'usage',
      `context "${contextName}" names cluster "${context.cluster}", which the kubeconfig does not have (or has no server); pass --context NAME`,
    );
  const user = merged.users.find((u) => u.name === context.user)?.value ?? {};
  return {
    contextName,
    namespace: context.namespace ?? 'default',
    userName: context.user,
    cluster,
    user,
    contexts,
  };
}

/** The pod's service account, as client-go's rest.InClusterConfig reads it. */
function inCluster(env: NodeJS.ProcessEnv): LoadedKubeConfig {
  const host = env.KUBERNETES_SERVICE_HOST ?? '';
  const port = env.KUBERNETES_SERVICE_PORT ?? '443';
  const namespaceFile = join(SERVICE_ACCOUNT_DIR, 'namespace');
  return {
    contextName: 'inClusterContext',
    namespace: existsSync(namespaceFile) ? readFileSync(namespaceFile, 'utf8').trim() : 'default',
    userName: 'inClusterUser',
    cluster: {
      server: `https://${host.includes(':') ? `[${host}]` : host}:${port}`,
      certificateAuthority: join(SERVICE_ACCOUNT_DIR, 'ca.crt'),
    },
    user: { tokenFile: join(SERVICE_ACCOUNT_DIR, 'token') },
    contexts: ['inClusterContext'],
  };
}

function clusterOf(entry: Record<string, unknown>, base: string): KubeCluster {
  return compact({
    server: text(entry.server) ?? '',
    certificateAuthority: path(entry['certificate-authority'], base),
    certificateAuthorityData: text(entry['certificate-authority-data']),
    insecureSkipTlsVerify: entry['insecure-skip-tls-verify'] === true ? true : undefined,
    tlsServerName: text(entry['tls-server-name']),
  }) as unknown as KubeCluster;
}

function userOf(entry: Record<string, unknown>, base: string): KubeUser {
  const exec = entry.exec === undefined ? undefined : record(entry.exec);
  const command = text(exec?.command);
  const authProvider = entry['auth-provider'] === undefined ? undefined : record(entry['auth-provider']);
  return compact({
    clientCertificate: path(entry['client-certificate'], base),
    clientCertificateData: text(entry['client-certificate-data']),
    clientKey: path(entry['client-key'], base),
    clientKeyData: text(entry['client-key-data']),
    token: text(entry.token),
    tokenFile: path(entry.tokenFile, base),
    username: text(entry.username),
    password: text(entry.password),
    exec:
      exec === undefined || command === undefined
        ? undefined
        : {
            apiVersion: text(exec.apiVersion) ?? 'client.authentication.k8s.io/v1',
            // A command with a slash is a path, relative to the kubeconfig; a bare name is looked up in PATH.
            command: command.includes('/') ? (path(command, base) ?? command) : command,
            args: (Array.isArray(exec.args) ? exec.args : []).map(String),
            env: list(exec.env, 'exec.env').map((e) => ({
              name: text(e.name) ?? '',
              value: text(e.value) ?? '',
            })),
          },
    authProvider: authProvider === undefined ? undefined : (text(authProvider.name) ?? 'unnamed'),
  });
}

function contextOf(entry: Record<string, unknown>): ContextEntry {
  return compact({
    cluster: text(entry.cluster) ?? '',
    user: text(entry.user) ?? '',
    namespace: text(entry.namespace),
  }) as unknown as ContextEntry;
}

function compact(value: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined));
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function path(value: unknown, base: string): string | undefined {
  const file = text(value);
  return file === undefined ? undefined : isAbsolute(file) ? file : join(base, file);
}

function record(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : {};
}

function list(value: unknown, where: string): Record<string, unknown>[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value))
    throw new AppError('usage', `cannot read the kubeconfig ${where}: a list was expected`);
  return value.map(record);
}
