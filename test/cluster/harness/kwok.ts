/**
 * The KWOK processes that play the kubelets: the shared one manages every node annotated
 * `fake`, and a node with `ownKubelet` gets one of its own, which can be killed to stop its
 * heartbeat.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { ClusterInfo } from './cluster-info.ts';
import { freePorts } from './ports.ts';
import { spawnOwnedChild } from './spawn-owned-child.ts';

/** What every KWOK of a cluster is started with, whatever its port and the nodes it manages. */
export interface KwokBase {
  readonly kwokBin: string;
  /** From {@link writeKwokConfig}. */
  readonly config: string;
  readonly kubeconfig: string;
  readonly servingCert: string;
  readonly servingKey: string;
  readonly nodeLeaseDurationSeconds: number;
  readonly extraArgs: readonly string[];
}

/** What startCluster writes to `<dir>/kwok-node.json` so any process can start a node's own KWOK. */
interface KwokNodeLaunch {
  readonly bin: string;
  /** Arguments without `--manage-single-node`, `--node-port`, `--server-address`. */
  readonly args: readonly string[];
}

/** Writes `<dir>/kwok.yaml` (the KwokConfiguration) and returns its path. */
export function writeKwokConfig(dir: string, nodePort: number): string {
  const kwokConfig = path.join(dir, 'kwok.yaml');
  fs.writeFileSync(
    kwokConfig,
    [
      'apiVersion: config.kwok.x-k8s.io/v1alpha1',
      'kind: KwokConfiguration',
      'options:',
      '  cidr: 10.244.0.0/16',
      '  nodeIP: 127.0.0.1',
      `  nodePort: ${nodePort}`,
      // Set explicitly: a config file's options are not all defaulted.
      '  podPlayStageParallelism: 16',
      '  nodePlayStageParallelism: 4',
      '  nodeLeaseParallelism: 4',
      '  podsOnNodeSyncParallelism: 4',
      '  enablePodsOnNodeSyncListPager: true',
      '  enablePodsOnNodeSyncStreamWatch: false',
      '  enableDebuggingHandlers: true',
      '  enableProfilingHandler: false',
      '  enableContentionProfiling: false',
      '',
    ].join('\n'),
  );
  return kwokConfig;
}

/**
 * Arguments of `testcluster` that start a KWOK on `port` managing the nodes `manage` selects
 * (e.g. `--manage-single-node=NAME`); `exec` gives it the parent-death signal.
 */
export function kwokArgs(base: KwokBase, port: number, manage: string): string[] {
  return [
    'exec',
    '--',
    base.kwokBin,
    `--config=${base.config}`,
    `--kubeconfig=${base.kubeconfig}`,
    manage,
    `--tls-cert-file=${base.servingCert}`,
    `--tls-private-key-file=${base.servingKey}`,
    '--node-ip=127.0.0.1',
    `--node-port=${port}`,
    `--server-address=127.0.0.1:${port}`,
    `--node-lease-duration-seconds=${base.nodeLeaseDurationSeconds}`,
    '--enable-crds=Stage,Logs,ClusterLogs,Exec,ClusterExec,Attach,ClusterAttach,PortForward,ClusterPortForward,ResourceUsage,ClusterResourceUsage,Metric',
    ...base.extraArgs,
  ];
}

/** Writes `<dir>/kwok-node.json`, which {@link startNodeKwok} reads. */
export function writeKwokNodeLaunch(dir: string, bin: string, base: KwokBase): void {
  const nodeLaunch: KwokNodeLaunch = {
    bin,
    args: kwokArgs(base, 0, '').filter(
      (a) => a !== '' && !a.startsWith('--node-port=') && !a.startsWith('--server-address='),
    ),
  };
  fs.writeFileSync(path.join(dir, 'kwok-node.json'), JSON.stringify(nodeLaunch, null, 2) + '\n');
}

/**
 * Starts the own KWOK of `node` from a process that did not start the cluster (a vitest worker),
 * owned by this process (see {@link spawnOwnedChild}).
 */
export async function startNodeKwok(info: ClusterInfo, node: string): Promise<void> {
  const launch = JSON.parse(fs.readFileSync(path.join(info.dir, 'kwok-node.json'), 'utf8')) as KwokNodeLaunch;
  const [port] = (await freePorts(1)) as [number];
  spawnOwnedChild(info, `kwok-${node}`, launch.bin, [
    ...launch.args,
    `--manage-single-node=${node}`,
    `--node-port=${port}`,
    `--server-address=127.0.0.1:${port}`,
  ]);
}
