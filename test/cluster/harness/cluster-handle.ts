/** A handle on a running cluster: its clients and the test helpers that act on it. */
import fs from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { faultAnnotations, faultStages } from '../faults.ts';
import type { FaultParams, FaultSelector, FaultType } from '../faults.ts';
import { runApply } from './apply.ts';
import type { ClusterInfo } from './cluster-info.ts';
import type { KubeClient } from './kube-client.ts';
import { startNodeKwok } from './kwok.ts';
import { createNode, waitNodeReady, type NodeSpec } from './nodes.ts';
import { isAlive, isOurProcess } from './pid-checks.ts';
import { pkiClient } from './pki.ts';
import { setPodLogs, type PodLogs } from './pod-logs.ts';

/** Everything a test needs from a cluster another process started (see {@link connectCluster}). */
export interface ClusterHandle extends ClusterInfo {
  /** JSON client as the admin user (system:masters). */
  readonly admin: KubeClient;
  /** JSON client as smart-readonly (ClusterRole kubectl-smart-observer). */
  readonly readOnly: KubeClient;
  /** Server-side applies YAML/JSON files (multi-document) as admin. */
  apply(...files: string[]): Promise<void>;
  /** Makes `kubectl logs` (and `--previous`) of a pod return the given text, through KWOK's Logs CR. */
  setPodLogs(namespace: string, pod: string, logs: PodLogs): Promise<void>;
  /**
   * Annotates a live pod so KWOK plays `type` on it (see faults.ts), e.g. a Running pod starts
   * crash-looping. For every pod of a workload, put {@link faultAnnotations} on its template instead.
   */
  injectFault(namespace: string, pod: string, type: FaultType, params?: FaultParams): Promise<void>;
  /** Adds fault stages for pods picked by labels (e.g. `{ matchLabels: { app: 'api' }, type: 'OOMKilled', namePrefix: 'api-oom' }`). */
  addFaultStages(sel: FaultSelector): Promise<void>;
  /**
   * Kills the "kubelet" of a node added with `ownKubelet: true` (its own KWOK process, SIGKILL):
   * its Lease is no longer renewed, so after the grace period the node-lifecycle controller marks
   * it Ready=Unknown ("Kubelet stopped posting node status.") and taints it unreachable; pods are
   * evicted after their toleration and stay Terminating, as on a real dead node.
   */
  stopNodeHeartbeat(node: string): Promise<void>;
  /**
   * Registers a KWOK node and waits until it is Ready. From a process that did not start the
   * cluster (a vitest worker), a node with `ownKubelet: true` gets a KWOK process owned by this
   * process (parent-death signal set, killed on exit, listed in `<dir>/pids`), so
   * {@link stopNodeHeartbeat} works on it too.
   */
  addNode(spec: NodeSpec): Promise<void>;
}

/** The handle of the cluster `info` describes, usable from any process. */
export function clusterHandle(info: ClusterInfo): ClusterHandle {
  const pkiDir = path.join(info.dir, 'pki');
  const url = new URL(info.server);
  const admin = pkiClient(url, pkiDir, 'admin');
  const readOnly = pkiClient(url, pkiDir, 'readonly');
  const bin = path.join(info.binDir, 'testcluster');
  const apply = (...files: string[]): Promise<void> => runApply(bin, info.kubeconfigAdmin, files);
  return {
    ...info,
    admin,
    readOnly,
    apply,
    setPodLogs: (namespace, pod, l) => setPodLogs(admin, info.dir, namespace, pod, l),
    async injectFault(namespace, pod, type, params) {
      const r = await admin.request(
        'PATCH',
        `/api/v1/namespaces/${namespace}/pods/${pod}`,
        { metadata: { annotations: faultAnnotations(type, params) } },
        { contentType: 'application/merge-patch+json' },
      );
      if (r.status >= 300) throw new Error(`inject ${type} into ${namespace}/${pod}: ${r.status} ${r.text}`);
    },
    async addFaultStages(sel) {
      const f = path.join(
        info.dir,
        `kwok-stages-${sel.namePrefix ?? 'fault'}-${process.pid}-${Date.now()}.json`,
      );
      fs.writeFileSync(
        f,
        faultStages(sel)
          .map((o) => JSON.stringify(o))
          .join('\n') + '\n',
      );
      await apply(f);
    },
    async addNode(spec) {
      if (spec.ownKubelet === true) await startNodeKwok(info, spec.name);
      await createNode(admin, spec);
      await waitNodeReady(admin, spec.name);
    },
    async stopNodeHeartbeat(node) {
      // From another process: find the node's KWOK in the pid file.
      const line = fs
        .readFileSync(path.join(info.dir, 'pids'), 'utf8')
        .split('\n')
        .reverse()
        .find((l) => l.endsWith(` kwok-${node}`));
      const pid = Number(line?.split(' ')[0]);
      if (!pid) throw new Error(`stopNodeHeartbeat: node ${node} was not added with ownKubelet: true`);
      if (isAlive(pid) && isOurProcess(pid)) process.kill(pid, 'SIGKILL');
      for (let i = 0; i < 50 && isAlive(pid); i++) await sleep(100);
    },
  };
}
