/** The flags etcd, kube-apiserver, kube-controller-manager and kube-scheduler run with. */
import fs from 'node:fs';
import path from 'node:path';
import { DEFAULT_CONTROLLERS, type StartClusterOptions } from './start-options.ts';
import { TEST_CLUSTER_DIR } from './test-cluster-dir.ts';

/** `testcluster etcd …`: data in `<dir>/etcd`, loopback only. */
export function etcdArgs(
  opts: StartClusterOptions,
  o: { readonly dir: string; readonly clientPort: number; readonly peerPort: number },
): string[] {
  return [
    'etcd',
    `--data-dir=${path.join(o.dir, 'etcd')}`,
    `--listen-client-url=http://127.0.0.1:${o.clientPort}`,
    `--listen-peer-url=http://127.0.0.1:${o.peerPort}`,
    ...(opts.etcdAutoCompaction
      ? [
          `--auto-compaction-mode=${opts.etcdAutoCompaction.mode}`,
          `--auto-compaction-retention=${opts.etcdAutoCompaction.retention}`,
        ]
      : []),
    ...(opts.extraArgs?.etcd ?? []),
  ];
}

/** `testcluster kube-apiserver …`; `pki` names a file of the cluster's PKI. */
export function apiserverArgs(
  opts: StartClusterOptions,
  o: {
    readonly port: number;
    readonly etcdPort: number;
    readonly pki: (file: string) => string;
    readonly auditLogPath: string;
  },
): string[] {
  const p = o.pki;
  return [
    'kube-apiserver',
    `--etcd-servers=http://127.0.0.1:${o.etcdPort}`,
    '--bind-address=127.0.0.1',
    // The endpoint reconciler refuses loopback: advertise an RFC 5737 documentation address that
    // nothing dials (clients use the server URL), so the kubernetes Service has real endpoints.
    `--advertise-address=${opts.advertiseAddress ?? '192.0.2.1'}`,
    `--secure-port=${o.port}`,
    `--tls-cert-file=${p('apiserver.crt')}`,
    `--tls-private-key-file=${p('apiserver.key')}`,
    `--client-ca-file=${p('ca.crt')}`,
    '--authorization-mode=Node,RBAC',
    '--service-account-issuer=https://kubernetes.default.svc.cluster.local',
    `--service-account-key-file=${p('sa.pub')}`,
    `--service-account-signing-key-file=${p('sa.key')}`,
    '--service-cluster-ip-range=10.96.0.0/16',
    `--audit-policy-file=${path.join(TEST_CLUSTER_DIR, 'config', 'audit-policy.yaml')}`,
    `--audit-log-path=${o.auditLogPath}`,
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
}

/** `testcluster kube-controller-manager …`: the chosen controllers, no leader election. */
export function controllerManagerArgs(
  opts: StartClusterOptions,
  o: {
    readonly port: number;
    readonly kubeconfig: string;
    readonly pki: (file: string) => string;
    readonly qps: number;
  },
): string[] {
  const { kubeconfig, qps } = o;
  return [
    'kube-controller-manager',
    `--kubeconfig=${kubeconfig}`,
    `--authentication-kubeconfig=${kubeconfig}`,
    `--authorization-kubeconfig=${kubeconfig}`,
    '--bind-address=127.0.0.1',
    `--secure-port=${o.port}`,
    '--leader-elect=false',
    '--use-service-account-credentials=true',
    `--service-account-private-key-file=${o.pki('sa.key')}`,
    `--root-ca-file=${o.pki('ca.crt')}`,
    `--controllers=${(opts.controllers ?? DEFAULT_CONTROLLERS).join(',')}`,
    `--node-monitor-period=${opts.nodeMonitorPeriodSeconds ?? 5}s`,
    `--node-monitor-grace-period=${opts.nodeMonitorGracePeriodSeconds ?? 40}s`,
    `--kube-api-qps=${qps}`,
    `--kube-api-burst=${qps * 2}`,
    '--cluster-name=kubectl-smart-test',
    '--profiling=false',
    ...(opts.extraArgs?.controllerManager ?? []),
  ];
}

/** Writes `<dir>/scheduler-config.yaml` (client QPS, no leader election) and returns its path. */
export function writeSchedulerConfig(dir: string, kubeconfig: string, qps: number): string {
  const schedConfig = path.join(dir, 'scheduler-config.yaml');
  fs.writeFileSync(
    schedConfig,
    [
      'apiVersion: kubescheduler.config.k8s.io/v1',
      'kind: KubeSchedulerConfiguration',
      'clientConnection:',
      `  kubeconfig: ${kubeconfig}`,
      `  qps: ${qps}`,
      `  burst: ${qps * 2}`,
      'leaderElection:',
      '  leaderElect: false',
      '',
    ].join('\n'),
  );
  return schedConfig;
}

/** `testcluster kube-scheduler …` with the config from {@link writeSchedulerConfig}. */
export function schedulerArgs(
  opts: StartClusterOptions,
  o: { readonly port: number; readonly config: string; readonly kubeconfig: string },
): string[] {
  return [
    'kube-scheduler',
    `--config=${o.config}`,
    `--authentication-kubeconfig=${o.kubeconfig}`,
    `--authorization-kubeconfig=${o.kubeconfig}`,
    '--bind-address=127.0.0.1',
    `--secure-port=${o.port}`,
    ...(opts.extraArgs?.scheduler ?? []),
  ];
}
