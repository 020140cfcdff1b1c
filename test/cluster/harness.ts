/**
 * A real Kubernetes control plane for kubectl-smart's tests: etcd,
 * kube-apiserver, kube-controller-manager and kube-scheduler built from the
 * Kubernetes Go modules (see build.sh), with KWOK standing in for kubelets.
 *
 * Node built-ins only, erasable TypeScript only (Node ≥ 22.18 runs it as is).
 *
 * ```ts
 * const cluster = await startCluster();
 * // cluster.kubeconfigAdmin, cluster.kubeconfigReadOnly, cluster.auditLogPath …
 * await cluster.stop();
 * ```
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { faultStages, readyStage } from './faults.ts';
import { runApply } from './harness/apply.ts';
import { installExitHandlers, liveChildren, type Child } from './harness/children.ts';
import { clusterHandle, type ClusterHandle } from './harness/cluster-handle.ts';
import { writeClusterInfo, type ClusterInfo } from './harness/cluster-info.ts';
import { kwokArgs, writeKwokConfig, writeKwokNodeLaunch, type KwokBase } from './harness/kwok.ts';
import { createNode, KWOK_NODE_ANNOTATION, type NodeSpec } from './harness/nodes.ts';
import { pkiClient, writeCredentials } from './harness/pki.ts';
import { writeDefaultClusterLogs } from './harness/pod-logs.ts';
import { freePorts } from './harness/ports.ts';
import { killOrphans, RUNS_DIR, type RunRecord } from './harness/run-records.ts';

export type { ClusterHandle } from './harness/cluster-handle.ts';
export type { ClusterInfo } from './harness/cluster-info.ts';
export { connectCluster } from './harness/connect-cluster.ts';
export type { KubeClient, KubeResponse } from './harness/kube-client.ts';
export { KWOK_NODE_ANNOTATION, nodeObject, type NodeSpec, type Taint } from './harness/nodes.ts';
export { criLog } from './harness/pod-logs.ts';
export { freePorts } from './harness/ports.ts';
export { killOrphans } from './harness/run-records.ts';
export { spawnOwnedChild } from './harness/spawn-owned-child.ts';

const HERE = path.dirname(fileURLToPath(import.meta.url));

/** Options of {@link startCluster}. Every field is optional. */
export interface StartClusterOptions {
  /** Cluster directory (PKI, kubeconfigs, logs, etcd data). Default: a new temp dir. */
  readonly dir?: string;
  /** Use binaries from here instead of running build.sh. Also `SMART_CLUSTER_BIN`. */
  readonly binDir?: string;
  /** Nodes to register. Default: two nodes, `kwok-node-0` and `kwok-node-1`. */
  readonly nodes?: readonly NodeSpec[];
  /** kube-controller-manager `--node-monitor-grace-period`, seconds. Default 40. */
  readonly nodeMonitorGracePeriodSeconds?: number;
  /** kube-controller-manager `--node-monitor-period`, seconds. Default 5. */
  readonly nodeMonitorPeriodSeconds?: number;
  /** apiserver `--default-{not-ready,unreachable}-toleration-seconds`. Default 300 (as upstream). */
  readonly defaultTolerationSeconds?: number;
  /** kwok `--node-lease-duration-seconds`. Default 40 (as a kubelet). */
  readonly nodeLeaseDurationSeconds?: number;
  /** etcd auto-compaction, e.g. `{ mode: 'revision', retention: '100' }` to provoke 410 Gone. Default off. */
  readonly etcdAutoCompaction?: { readonly mode: 'periodic' | 'revision'; readonly retention: string };
  /** apiserver `--etcd-compaction-interval` (the apiserver's own compactor). Default '5m'; '0' disables. */
  readonly apiserverCompactionInterval?: string;
  /** apiserver `--watch-cache`. Default true. */
  readonly watchCache?: boolean;
  /** Controllers to run. Default {@link DEFAULT_CONTROLLERS}. */
  readonly controllers?: readonly string[];
  /** QPS (burst = 2×) for controller-manager, scheduler and kwok clients. Default 200. */
  readonly clientQps?: number;
  /** Extra flags per component. */
  readonly extraArgs?: {
    readonly etcd?: readonly string[];
    readonly apiserver?: readonly string[];
    readonly controllerManager?: readonly string[];
    readonly scheduler?: readonly string[];
    readonly kwok?: readonly string[];
  };
  /**
   * apiserver `--advertise-address` (the `kubernetes` Service's endpoint). Loopback is refused by
   * the apiserver; default 192.0.2.1 (TEST-NET-1, never routed, never dialled by the harness).
   */
  readonly advertiseAddress?: string;
  /** Run `testcluster kubelet-events` (kubelet-shaped Events for container state changes). Default true. */
  readonly kubeletEvents?: boolean;
  /** Keep the cluster directory after stop() (it is removed by default). */
  readonly keepDir?: boolean;
  /** Progress lines. Default: silent. */
  readonly log?: (line: string) => void;
  /** Give up starting after this long. Default 120 s (plus the build). */
  readonly startTimeoutMs?: number;
}

/** Controllers run by default: what the scenarios need, nothing that wants a cloud or real kubelets. */
export const DEFAULT_CONTROLLERS: readonly string[] = [
  'deployment-controller',
  'replicaset-controller',
  'replicationcontroller-controller',
  'statefulset-controller',
  'daemonset-controller',
  'job-controller',
  'cronjob-controller',
  'ttl-after-finished-controller',
  'garbage-collector-controller',
  'endpoints-controller',
  'endpointslice-controller',
  'endpointslice-mirroring-controller',
  'disruption-controller',
  'namespace-controller',
  'serviceaccount-controller',
  'serviceaccount-token-controller',
  'root-ca-certificate-publisher-controller',
  'node-lifecycle-controller',
  'taint-eviction-controller',
  'pod-garbage-collector-controller',
  'resourcequota-controller',
  'persistentvolume-binder-controller',
  'persistentvolumeclaim-protection-controller',
  'persistentvolume-protection-controller',
  'clusterrole-aggregation-controller',
];

/** Startup timings in milliseconds. */
export interface ClusterTimings {
  /** build.sh (a cache hit costs well under a second). */
  readonly buildMs: number;
  /** From the end of the build to nodes Ready and the default ServiceAccount present. */
  readonly startMs: number;
  /** Whether build.sh actually compiled something. */
  readonly coldBuild: boolean;
}

/** A running control plane, owned by this process. */
export interface RunningCluster extends ClusterHandle {
  readonly timings: ClusterTimings;
  /** Child PIDs by component name. */
  readonly pids: Readonly<Record<string, number>>;
  /** Registers a KWOK node and waits until it is Ready. */
  addNode(spec: NodeSpec): Promise<void>;
  /** Starts the KWOK of a node stopped by stopNodeHeartbeat() again. */
  resumeNodeHeartbeat(node: string): Promise<void>;
  /** Stops every component (SIGTERM per tier, SIGKILL after 5 s) and removes the directory unless keepDir. */
  stop(): Promise<void>;
}

// ---------------------------------------------------------------------------
// helpers

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

function tail(file: string, lines = 30): string {
  try {
    return fs.readFileSync(file, 'utf8').split('\n').slice(-lines).join('\n');
  } catch {
    return '';
  }
}

/** Runs build.sh (streaming its progress to `log`); returns the bin dir and whether it compiled. */
async function ensureBinaries(log: (l: string) => void): Promise<{ binDir: string; cold: boolean }> {
  return new Promise((resolve, reject) => {
    const cp = spawn('bash', [path.join(HERE, 'build.sh')], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    let partial = '';
    cp.stdout.on('data', (d: Buffer) => (out += d.toString()));
    cp.stderr.on('data', (d: Buffer) => {
      const text = partial + d.toString();
      err += d.toString();
      const lines = text.split('\n');
      partial = lines.pop() ?? '';
      for (const l of lines) if (l) log(`build: ${l}`);
    });
    cp.on('error', reject);
    cp.on('exit', (code) => {
      if (partial) log(`build: ${partial}`);
      if (code !== 0) {
        reject(new Error(`test/cluster/build.sh failed (exit ${String(code)}):\n${err.slice(-4000)}`));
        return;
      }
      const lines = out.trim().split('\n');
      resolve({ binDir: lines[lines.length - 1] ?? '', cold: !/cached/.test(err) });
    });
  });
}

// ---------------------------------------------------------------------------
// startCluster

/** Starts a control plane; resolves once nodes are Ready and pods can be created. */
export async function startCluster(opts: StartClusterOptions = {}): Promise<RunningCluster> {
  const log = opts.log ?? ((): void => {});
  const deadlineMs = opts.startTimeoutMs ?? 120_000;
  installExitHandlers();
  killOrphans(log);

  const t0 = performance.now();
  let binDir = opts.binDir ?? process.env['SMART_CLUSTER_BIN'] ?? '';
  let coldBuild = false;
  if (binDir === '') {
    const b = await ensureBinaries(log);
    binDir = b.binDir;
    coldBuild = b.cold;
  }
  const bin = path.join(binDir, 'testcluster');
  const kwokBin = path.join(binDir, 'kwok');
  const kwokAssets = path.join(path.dirname(binDir), 'kwok');
  for (const f of [bin, kwokBin])
    if (!fs.existsSync(f)) throw new Error(`missing ${f}: run test/cluster/build.sh`);
  const t1 = performance.now();

  const dir = opts.dir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'kubectl-smart-cluster-'));
  fs.mkdirSync(dir, { recursive: true });
  const logsDir = path.join(dir, 'logs');
  const podLogsDir = path.join(dir, 'pod-logs');
  for (const d of [logsDir, podLogsDir]) fs.mkdirSync(d, { recursive: true });
  const pidFile = path.join(dir, 'pids');
  fs.mkdirSync(RUNS_DIR, { recursive: true });
  const runFile = path.join(RUNS_DIR, `${process.pid}-${path.basename(dir)}.json`);
  const children: Child[] = [];

  const record = (): void => {
    const pids = children.map((c) => ({ name: c.name, pid: c.pid }));
    fs.writeFileSync(pidFile, pids.map((p) => `${p.pid} ${p.name}`).join('\n') + '\n');
    const rec: RunRecord = { ownerPid: process.pid, dir, keepDir: opts.keepDir ?? false, pids };
    fs.writeFileSync(runFile, JSON.stringify(rec));
  };

  const startChild = (name: string, file: string, args: readonly string[]): Child => {
    const out = fs.openSync(path.join(logsDir, `${name}.log`), 'a');
    const cp = spawn(file, args, {
      stdio: ['ignore', out, out],
      env: { ...process.env, SMART_CLUSTER_PDEATHSIG: '1' },
    });
    fs.closeSync(out);
    if (cp.pid === undefined) throw new Error(`could not start ${name}`);
    let resolveExit: () => void = () => {};
    const exitPromise = new Promise<void>((r) => {
      resolveExit = r;
    });
    const child: Child = { name, pid: cp.pid, exited: false, exitCode: null, exitPromise };
    cp.on('exit', (code, signal) => {
      child.exited = true;
      child.exitCode = code ?? (signal ? 128 : null);
      liveChildren.delete(child);
      resolveExit();
    });
    cp.on('error', () => {
      child.exited = true;
      liveChildren.delete(child);
      resolveExit();
    });
    liveChildren.add(child);
    children.push(child);
    record();
    log(`started ${name} (pid ${cp.pid})`);
    return child;
  };

  let stopped = false;
  let keepDirOnStop = opts.keepDir ?? false;
  const stop = async (): Promise<void> => {
    if (stopped) return;
    stopped = true;
    // Clients first, then the apiserver, then etcd: an apiserver whose etcd is gone takes long to stop.
    const tiers = [
      children.filter((c) => c.name !== 'kube-apiserver' && c.name !== 'etcd'),
      children.filter((c) => c.name === 'kube-apiserver'),
      children.filter((c) => c.name === 'etcd'),
    ];
    for (const tier of tiers) {
      for (const c of tier) {
        if (!c.exited) {
          try {
            process.kill(c.pid, 'SIGTERM');
          } catch {
            // gone
          }
        }
      }
      const all = Promise.all(tier.map((c) => c.exitPromise));
      const timedOut = await Promise.race([all.then(() => false), sleep(5_000).then(() => true)]);
      if (timedOut) {
        for (const c of tier) {
          if (!c.exited) {
            try {
              process.kill(c.pid, 'SIGKILL');
            } catch {
              // gone
            }
          }
        }
        await Promise.race([all, sleep(5_000)]);
      }
    }
    fs.rmSync(runFile, { force: true });
    if (!keepDirOnStop) fs.rmSync(dir, { recursive: true, force: true });
    log('cluster stopped');
  };

  const start = performance.now();
  const checkDeadline = (what: string): void => {
    if (performance.now() - start > deadlineMs)
      throw new Error(`test cluster: timed out waiting for ${what}`);
  };
  const ensureAlive = (c: Child): void => {
    if (c.exited) {
      throw new Error(
        `test cluster: ${c.name} exited (code ${String(c.exitCode)}); last log lines:\n${tail(path.join(logsDir, `${c.name}.log`))}`,
      );
    }
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
    const etcdArgs = [
      'etcd',
      `--data-dir=${path.join(dir, 'etcd')}`,
      `--listen-client-url=http://127.0.0.1:${etcdPort}`,
      `--listen-peer-url=http://127.0.0.1:${etcdPeerPort}`,
      ...(opts.etcdAutoCompaction
        ? [
            `--auto-compaction-mode=${opts.etcdAutoCompaction.mode}`,
            `--auto-compaction-retention=${opts.etcdAutoCompaction.retention}`,
          ]
        : []),
      ...(opts.extraArgs?.etcd ?? []),
    ];
    const etcd = startChild('etcd', bin, etcdArgs);
    for (;;) {
      ensureAlive(etcd);
      checkDeadline('etcd');
      const ok = await new Promise<boolean>((resolve) => {
        const req = http.get({ host: '127.0.0.1', port: etcdPort, path: '/health', timeout: 1000 }, (res) => {
          res.resume();
          resolve(res.statusCode === 200);
        });
        req.on('error', () => {
          resolve(false);
        });
        req.on('timeout', () => req.destroy());
      });
      if (ok) break;
      await sleep(100);
    }
    log('etcd ready');

    // kube-apiserver
    const auditLogPath = path.join(dir, 'audit.log');
    const apiArgs = [
      'kube-apiserver',
      `--etcd-servers=http://127.0.0.1:${etcdPort}`,
      '--bind-address=127.0.0.1',
      // The endpoint reconciler refuses loopback: advertise an RFC 5737 documentation address that
      // nothing dials (clients use the server URL), so the kubernetes Service has real endpoints.
      `--advertise-address=${opts.advertiseAddress ?? '192.0.2.1'}`,
      `--secure-port=${apiPort}`,
      `--tls-cert-file=${p('apiserver.crt')}`,
      `--tls-private-key-file=${p('apiserver.key')}`,
      `--client-ca-file=${p('ca.crt')}`,
      '--authorization-mode=Node,RBAC',
      '--service-account-issuer=https://kubernetes.default.svc.cluster.local',
      `--service-account-key-file=${p('sa.pub')}`,
      `--service-account-signing-key-file=${p('sa.key')}`,
      '--service-cluster-ip-range=10.96.0.0/16',
      `--audit-policy-file=${path.join(HERE, 'config', 'audit-policy.yaml')}`,
      `--audit-log-path=${auditLogPath}`,
      '--audit-log-format=json',
      '--audit-log-mode=blocking',
      // Rotated at 20 MB (the default is 100) so that a whole run rotates it a few times, as a busy
      // cluster does: the tests that read it and `record --audit-log` meet rotation on every run.
      '--audit-log-maxsize=20',
      `--kubelet-client-certificate=${p('apiserver-kubelet-client.crt')}`,
      `--kubelet-client-key=${p('apiserver-kubelet-client.key')}`,
      '--kubelet-preferred-address-types=InternalIP,Hostname',
      `--requestheader-client-ca-file=${p('front-proxy-ca.crt')}`,
      '--requestheader-allowed-names=front-proxy-client',
      '--requestheader-extra-headers-prefix=X-Remote-Extra-',
      '--requestheader-group-headers=X-Remote-Group',
      '--requestheader-username-headers=X-Remote-User',
      `--proxy-client-cert-file=${p('front-proxy-client.crt')}`,
      `--proxy-client-key-file=${p('front-proxy-client.key')}`,
      '--allow-privileged=true',
      `--watch-cache=${String(opts.watchCache ?? true)}`,
      `--etcd-compaction-interval=${opts.apiserverCompactionInterval ?? '5m'}`,
      `--default-not-ready-toleration-seconds=${opts.defaultTolerationSeconds ?? 300}`,
      `--default-unreachable-toleration-seconds=${opts.defaultTolerationSeconds ?? 300}`,
      '--max-requests-inflight=800',
      '--max-mutating-requests-inflight=400',
      '--profiling=false',
      ...(opts.extraArgs?.apiserver ?? []),
    ];
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
    const cmArgs = [
      'kube-controller-manager',
      `--kubeconfig=${cmKubeconfig}`,
      `--authentication-kubeconfig=${cmKubeconfig}`,
      `--authorization-kubeconfig=${cmKubeconfig}`,
      '--bind-address=127.0.0.1',
      `--secure-port=${cmPort}`,
      '--leader-elect=false',
      '--use-service-account-credentials=true',
      `--service-account-private-key-file=${p('sa.key')}`,
      `--root-ca-file=${p('ca.crt')}`,
      `--controllers=${(opts.controllers ?? DEFAULT_CONTROLLERS).join(',')}`,
      `--node-monitor-period=${opts.nodeMonitorPeriodSeconds ?? 5}s`,
      `--node-monitor-grace-period=${opts.nodeMonitorGracePeriodSeconds ?? 40}s`,
      `--kube-api-qps=${qps}`,
      `--kube-api-burst=${qps * 2}`,
      '--cluster-name=kubectl-smart-test',
      '--profiling=false',
      ...(opts.extraArgs?.controllerManager ?? []),
    ];
    const schedConfig = path.join(dir, 'scheduler-config.yaml');
    fs.writeFileSync(
      schedConfig,
      [
        'apiVersion: kubescheduler.config.k8s.io/v1',
        'kind: KubeSchedulerConfiguration',
        'clientConnection:',
        `  kubeconfig: ${schedKubeconfig}`,
        `  qps: ${qps}`,
        `  burst: ${qps * 2}`,
        'leaderElection:',
        '  leaderElect: false',
        '',
      ].join('\n'),
    );
    const schedArgs = [
      'kube-scheduler',
      `--config=${schedConfig}`,
      `--authentication-kubeconfig=${schedKubeconfig}`,
      `--authorization-kubeconfig=${schedKubeconfig}`,
      '--bind-address=127.0.0.1',
      `--secure-port=${schedPort}`,
      ...(opts.extraArgs?.scheduler ?? []),
    ];
    const cm = startChild('kube-controller-manager', bin, cmArgs);
    const sched = startChild('kube-scheduler', bin, schedArgs);

    // RBAC for the read-only user, KWOK's CRDs and stages, a default ClusterLogs.
    const clusterLogs = writeDefaultClusterLogs(dir, podLogsDir);
    const faultStagesFile = path.join(dir, 'kwok-fault-stages.json');
    fs.writeFileSync(
      faultStagesFile,
      [readyStage(), ...faultStages()].map((o) => JSON.stringify(o)).join('\n') + '\n',
    );
    const listYaml = (d: string): string[] =>
      fs.existsSync(d)
        ? fs
            .readdirSync(d)
            .filter((f) => f.endsWith('.yaml'))
            .sort()
            .map((f) => path.join(d, f))
        : [];
    const manifests = [
      path.join(HERE, '..', '..', 'deploy', 'kubernetes', 'observer-clusterrole.yaml'),
      path.join(HERE, 'rbac', 'observer-binding.yaml'),
      ...listYaml(path.join(kwokAssets, 'crds')),
      // Upstream pod-ready is replaced by readyStage() (same shape as the fault stages).
      ...listYaml(path.join(kwokAssets, 'stages')).filter((f) => path.basename(f) !== 'pod-ready.yaml'),
      ...listYaml(path.join(HERE, 'kwok')),
      faultStagesFile,
      clusterLogs,
    ];
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
    for (const c of children) pids[c.name] = c.pid;
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
    keepDirOnStop = true;
    await stop().catch(() => {});
    if (err instanceof Error) err.message += `\n(cluster directory kept: ${dir})`;
    throw err;
  }
}
