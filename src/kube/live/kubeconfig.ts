import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, join } from 'node:path';
import { KubeConfig } from '@kubernetes/client-node';
import { AppError } from '../../core/errors.js';

export interface KubeConfigOptions {
  /** `--kubeconfig`; otherwise `KUBECONFIG`, then `~/.kube/config`, then the in-cluster service account. */
  readonly kubeconfig?: string;
  /** `--context`; otherwise the kubeconfig's current context. */
  readonly context?: string;
  /** The environment to read KUBECONFIG and the in-cluster variables from. */
  readonly env?: NodeJS.ProcessEnv;
}

export interface LoadedKubeConfig {
  readonly config: KubeConfig;
  readonly contextName: string;
  /** The context's namespace, or `default`. */
  readonly namespace: string;
}

const SERVICE_ACCOUNT_DIR = '/var/run/secrets/kubernetes.io/serviceaccount';

/**
 * Finds credentials the way kubectl does: `--kubeconfig`, else the files in KUBECONFIG, else
 * ~/.kube/config, else the pod's service account when running in a cluster. Says in one line what
 * to do when there are none, instead of silently trying localhost:8080.
 */
export function loadKubeConfig(options: KubeConfigOptions = {}): LoadedKubeConfig {
  const env = options.env ?? process.env;
  const config = new KubeConfig();
  try {
    if (options.kubeconfig !== undefined) {
      if (!existsSync(options.kubeconfig)) {
        throw new AppError('usage', `--kubeconfig ${options.kubeconfig}: no such file`);
      }
      config.loadFromFile(options.kubeconfig);
    } else if (kubeconfigFiles(env).length > 0) {
      loadMerged(config, kubeconfigFiles(env));
    } else if (env.KUBERNETES_SERVICE_HOST !== undefined && existsSync(join(SERVICE_ACCOUNT_DIR, 'token'))) {
      config.loadFromCluster();
    } else {
      throw new AppError(
        'unreachable',
        'no kubeconfig found (KUBECONFIG, ~/.kube/config) and not running in a cluster; pass --kubeconfig FILE, or --from DIR to read files',
      );
    }
  } catch (error) {
    if (error instanceof AppError) throw error;
    const detail = error instanceof Error ? error.message : String(error);
    throw new AppError('usage', `cannot read the kubeconfig: ${detail}`);
  }
  if (options.context !== undefined) {
    if (config.getContextObject(options.context) === null) {
      const known = config
        .getContexts()
        .map((c) => c.name)
        .join(', ');
      throw new AppError(
        'usage',
        `context "${options.context}" is not in the kubeconfig (known: ${known === '' ? 'none' : known})`,
      );
    }
    config.setCurrentContext(options.context);
  }
  if (config.getCurrentCluster() === null) {
    throw new AppError('usage', 'the kubeconfig has no current context with a cluster; pass --context NAME');
  }
  const contextName = config.getCurrentContext();
  const namespace =
    config.getContextObject(contextName)?.namespace ?? inClusterNamespace(config) ?? 'default';
  return { config, contextName, namespace };
}

/** The files of KUBECONFIG that exist, else ~/.kube/config if it does, as kubectl resolves them. */
function kubeconfigFiles(env: NodeJS.ProcessEnv): string[] {
  const listed = (env.KUBECONFIG ?? '').split(delimiter).filter((file) => file !== '' && existsSync(file));
  if (listed.length > 0) return listed;
  const home = join(env.HOME ?? homedir(), '.kube', 'config');
  return existsSync(home) ? [home] : [];
}

/** Merges several kubeconfig files; as in kubectl, the first file to set a value wins. */
function loadMerged(config: KubeConfig, files: readonly string[]): void {
  const [first, ...rest] = files;
  if (first === undefined) return;
  config.loadFromFile(first);
  for (const file of rest) {
    const other = new KubeConfig();
    other.loadFromFile(file);
    // client-node's mergeConfig throws on a repeated name; kubectl keeps the first and ignores the rest.
    for (const cluster of other.getClusters())
      if (config.getCluster(cluster.name) === null) config.addCluster(cluster);
    for (const user of other.getUsers()) if (config.getUser(user.name) === null) config.addUser(user);
    for (const context of other.getContexts())
      if (config.getContextObject(context.name) === null) config.addContext(context);
    if (config.getCurrentContext() === '' && other.getCurrentContext() !== '')
      config.setCurrentContext(other.getCurrentContext());
  }
}

function inClusterNamespace(config: KubeConfig): string | undefined {
  return config.getCurrentContext() === 'inClusterContext'
    ? (config.getContextObject('inClusterContext')?.namespace ?? undefined)
    : undefined;
}
