/** startCluster(): a control plane owned by this process, from the binaries to nodes Ready. */
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { runApply } from './apply.ts';
import { clusterBinaries } from './binaries.ts';
import { installExitHandlers, type Child } from './children.ts';
import { clusterHandle } from './cluster-handle.ts';
import { writeClusterInfo, type ClusterInfo } from './cluster-info.ts';
import { componentGroup } from './component-group.ts';
import {
  apiserverArgs,
  controllerManagerArgs,
  etcdArgs,
  schedulerArgs,
  writeSchedulerConfig,
} from './control-plane-args.ts';
import { kwokArgs, writeKwokConfig, writeKwokNodeLaunch, type KwokBase } from './kwok.ts';
import { createNode, KWOK_NODE_ANNOTATION, type NodeSpec } from './nodes.ts';
import { pkiClient, writeCredentials } from './pki.ts';
import { freePorts } from './ports.ts';
import { killOrphans } from './run-records.ts';
import type { RunningCluster } from './running-cluster.ts';
import type { StartClusterOptions } from './start-options.ts';
import { startupManifests } from './startup-manifests.ts';

/** One `/health` probe of etcd: true on 200, false on anything else or no answer within 1 s. */
function etcdHealthy(port: number): Promise<boolean> {
  return new Promise<boolean>((resolve) => {
    const req = http.get({ host: '127.0.0.1', port, path: '/health', timeout: 1000 }, (res) => {
      res.resume();
      resolve(res.statusCode === 200);
    });
    req.on('error', () => {
      resolve(false);
    });
    req.on('timeout', () => req.destroy());
  });
}

/** Starts a control plane; resolves once nodes are Ready and pods can be created. */
export async function startCluster(opts: StartClusterOptions = {}): Promise<RunningCluster> {
  const log = opts.log ?? ((): void => {});
  const deadlineMs = opts.startTimeoutMs ?? 120_000;
  installExitHandlers();
  killOrphans(log);

  const t0 = performance.now();
  const { binDir, coldBuild, bin, kwokBin, kwokAssets } = await clusterBinaries(opts.binDir, log);
  const t1 = performance.now();

  const dir = opts.dir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'kubectl-smart-cluster-'));
  fs.mkdirSync(dir, { recursive: true });
  const logsDir = path.join(dir, 'logs');
  const podLogsDir = path.join(dir, 'pod-logs');
  for (const d of [logsDir, podLogsDir]) fs.mkdirSync(d, { recursive: true });
  const group = componentGroup({ dir, logsDir, keepDir: opts.keepDir ?? false, log });
  const { start: startChild, ensureAlive, stop } = group;

  const start = performance.now();
  const checkDeadline = (what: string): void => {
    if (performance.now() - start > deadlineMs)
      throw new Error(`test cluster: timed out waiting for ${what}`);
  };

  try {
    const [etcdPort, etcdPeerPort, apiPort, cmPort, schedPort, kwokPort] = (await freePorts(6)) as [
      number,
      number,
      number,
      number,
      number,
      number,
    ];
    const server = `https://127.0.0.1:${apiPort}`;
    const serverUrl = new URL(server);

    // PKI, kubeconfigs
    const creds = writeCredentials(bin, dir, server);
    const p = creds.file;
    const { kubeconfigAdmin, kubeconfigReadOnly } = creds;
    const cmKubeconfig = creds.kubeconfigControllerManager;
    const schedKubeconfig = creds.kubeconfigScheduler;
    const kwokKubeconfig = creds.kubeconfigKwok;
    const admin = pkiClient(serverUrl, creds.pkiDir, 'admin');

    // etcd
    const etcd = startChild(
      'etcd',
      bin,
      etcdArgs(opts, { dir, clientPort: etcdPort, peerPort: etcdPeerPort }),
    );
    for (;;) {
      ensureAlive(etcd);
      checkDeadline('etcd');
      if (await etcdHealthy(etcdPort)) break;
      await sleep(100);
    }
    log('etcd ready');

    // kube-apiserver
    const auditLogPath = path.join(dir, 'audit.log');
    const apiArgs = apiserverArgs(opts, { port: apiPort, etcdPort, pki: p, auditLogPath });
    const apiserver = startChild('kube-apiserver', bin, apiArgs);
    for (;;) {
      ensureAlive(apiserver);
      checkDeadline('kube-apiserver /readyz');
      const r = await admin.request('GET', '/readyz', undefined, { timeoutMs: 2000 }).catch(() => undefined);
      if (r?.status === 200) break;
      await sleep(200);
    }
    log('kube-apiserver ready');

    // controller-manager, scheduler
    const qps = opts.clientQps ?? 200;
    const cmArgs = controllerManagerArgs(opts, { port: cmPort, kubeconfig: cmKubeconfig, pki: p, qps });
    const schedConfig = writeSchedulerConfig(dir, schedKubeconfig, qps);
    const schedArgs = schedulerArgs(opts, {
      port: schedPort,
      config: schedConfig,
      kubeconfig: schedKubeconfig,
    });
    const cm = startChild('kube-controller-manager', bin, cmArgs);
    const sched = startChild('kube-scheduler', bin, schedArgs);

    // RBAC for the read-only user, KWOK's CRDs and stages, a default ClusterLogs.
    const manifests = startupManifests(dir, podLogsDir, kwokAssets);
    const applyFiles = (files: readonly string[]): Promise<void> => runApply(bin, kubeconfigAdmin, files);
    await applyFiles(manifests);
    log('RBAC, KWOK CRDs and stages applied');

    // KWOK
    const kwokBase: KwokBase = {
      kwokBin,
      config: writeKwokConfig(dir, kwokPort),
      kubeconfig: kwokKubeconfig,
      servingCert: p('kwok-serving.crt'),
      servingKey: p('kwok-serving.key'),
      nodeLeaseDurationSeconds: opts.nodeLeaseDurationSeconds ?? 40,
      extraArgs: opts.extraArgs?.kwok ?? [],
    };
    const kwokArgsFor = (port: number, manage: string): string[] => kwokArgs(kwokBase, port, manage);
    const sharedKwokArgs = kwokArgsFor(
      kwokPort,
      `--manage-nodes-with-annotation-selector=${KWOK_NODE_ANNOTATION}=fake`,
    );
    // Nodes with ownKubelet get a KWOK process of their own, which stopNodeHeartbeat() kills.
    const dedicated = new Map<string, Child>();
    const startDedicatedKwok = async (node: string): Promise<void> => {
      const [port] = (await freePorts(1)) as [number];
      dedicated.set(node, startChild(`kwok-${node}`, bin, kwokArgsFor(port, `--manage-single-node=${node}`)));
    };
    const kwok = startChild('kwok', bin, sharedKwokArgs);
    // So that connectCluster().addNode({ ownKubelet: true }) can start a node's KWOK from a worker.
    writeKwokNodeLaunch(dir, bin, kwokBase);
    // Kubelet-shaped Events (source kubelet/<node>) for the container states KWOK plays.
    const kubeletEvents =
      (opts.kubeletEvents ?? true)
        ? startChild('kubelet-events', bin, ['kubelet-events', `--kubeconfig=${kwokKubeconfig}`])
        : undefined;
    const watched = kubeletEvents ? [cm, sched, kwok, kubeletEvents] : [cm, sched, kwok];

    // nodes
    const nodes = opts.nodes ?? [{ name: 'kwok-node-0' }, { name: 'kwok-node-1' }];
    for (const n of nodes) {
      if (n.ownKubelet === true) await startDedicatedKwok(n.name);
      await createNode(admin, n);
    }

    const waitNodesReady = async (names: readonly string[]): Promise<void> => {
      for (;;) {
        for (const c of watched) ensureAlive(c);
        checkDeadline('nodes Ready');
        const r = await admin.request<{
          // Absent when the server answers with a Status instead of a list.
          items?: {
            metadata: { name: string };
            status?: { conditions?: { type: string; status: string }[] };
          }[];
        }>('GET', '/api/v1/nodes');
        const ready = new Set(
          (r.body.items ?? [])
            .filter((n) => n.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True'))
            .map((n) => n.metadata.name),
        );
        if (names.every((n) => ready.has(n))) return;
        await sleep(200);
      }
    };
    await waitNodesReady(nodes.map((n) => n.name));
    log('nodes Ready');

    for (;;) {
      for (const c of watched) ensureAlive(c);
      checkDeadline('the default ServiceAccount');
      const r = await admin.request('GET', '/api/v1/namespaces/default/serviceaccounts/default');
      if (r.status === 200) break;
      await sleep(200);
    }
    log('default ServiceAccount present');

    const addNode = async (spec: NodeSpec): Promise<void> => {
      if (spec.ownKubelet === true && !dedicated.has(spec.name)) await startDedicatedKwok(spec.name);
      await createNode(admin, spec);
      await waitNodesReady([spec.name]);
    };
    const stopNodeHeartbeat = async (node: string): Promise<void> => {
      const c = dedicated.get(node);
      if (!c) throw new Error(`stopNodeHeartbeat: node ${node} was not added with ownKubelet: true`);
      if (!c.exited) {
        process.kill(c.pid, 'SIGKILL');
        await c.exitPromise;
      }
    };
    const resumeNodeHeartbeat = async (node: string): Promise<void> => {
      const c = dedicated.get(node);
      if (!c) throw new Error(`resumeNodeHeartbeat: node ${node} was not added with ownKubelet: true`);
      if (c.exited) await startDedicatedKwok(node);
    };

    const info: ClusterInfo = { server, dir, binDir, kubeconfigAdmin, kubeconfigReadOnly, auditLogPath };
    writeClusterInfo(info);
    const handle = clusterHandle(info);

    const t2 = performance.now();
    const pids: Record<string, number> = {};
    for (const c of group.children) pids[c.name] = c.pid;
    return {
      ...handle,
      timings: { buildMs: t1 - t0, startMs: t2 - t1, coldBuild },
      pids,
      addNode,
      stopNodeHeartbeat,
      resumeNodeHeartbeat,
      stop,
    };
  } catch (err) {
    // Keep the directory (component logs) for a post-mortem.
    group.keepDir();
    await stop().catch(() => {});
    if (err instanceof Error) err.message += `\n(cluster directory kept: ${dir})`;
    throw err;
  }
}
