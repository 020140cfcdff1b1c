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
    } else if (hasFiles(env.KUBECONFIG) || existsSync(join(env.HOME ?? homedir(), '.kube', 'config'))) {
      config.loadFromDefault();
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

function hasFiles(list: string | undefined): boolean {
  return list !== undefined && list.split(delimiter).some((file) => file !== '' && existsSync(file));
}

function inClusterNamespace(config: KubeConfig): string | undefined {
  return config.getCurrentContext() === 'inClusterContext'
    ? (config.getContextObject('inClusterContext')?.namespace ?? undefined)
    : undefined;
}
