/** What a caller of startCluster() can choose, and the defaults. */
import type { NodeSpec } from './nodes.ts';

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
