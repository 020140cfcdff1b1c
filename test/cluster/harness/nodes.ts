/** Fake nodes: the Node objects KWOK adopts and plays a kubelet for. */
import { setTimeout as sleep } from 'node:timers/promises';
import type { KubeClient } from './kube-client.ts';

/** The annotation KWOK selects its nodes by (`--manage-nodes-with-annotation-selector`). */
export const KWOK_NODE_ANNOTATION = 'kwok.x-k8s.io/node';

/** A taint as the Node API spells it. */
export interface Taint {
  readonly key: string;
  readonly value?: string;
  readonly effect: 'NoSchedule' | 'PreferNoSchedule' | 'NoExecute';
}

/** A fake node managed by KWOK. */
export interface NodeSpec {
  readonly name: string;
  /** Capacity (= allocatable). Defaults: cpu "8", memory "32Gi", pods "110". */
  readonly cpu?: string;
  readonly memory?: string;
  readonly pods?: string;
  readonly labels?: Readonly<Record<string, string>>;
  readonly annotations?: Readonly<Record<string, string>>;
  readonly taints?: readonly Taint[];
  /** Extra capacity entries, e.g. `{ 'nvidia.com/gpu': '4' }`. */
  readonly extraCapacity?: Readonly<Record<string, string>>;
  /** Give the node a KWOK process of its own, so {@link RunningCluster.stopNodeHeartbeat} can kill it. */
  readonly ownKubelet?: boolean;
}

/** The Node object KWOK will adopt. */
export function nodeObject(spec: NodeSpec): Record<string, unknown> {
  const capacity: Record<string, string> = {
    cpu: spec.cpu ?? '8',
    memory: spec.memory ?? '32Gi',
    pods: spec.pods ?? '110',
    'ephemeral-storage': '100Gi',
    ...spec.extraCapacity,
  };
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: {
      name: spec.name,
      annotations: {
        // The shared KWOK manages "fake"; a node with its own KWOK is managed by name instead.
        [KWOK_NODE_ANNOTATION]: spec.ownKubelet === true ? 'own' : 'fake',
        'node.alpha.kubernetes.io/ttl': '0',
        // Where metrics-server (≥ 0.7) scrapes the node: KWOK serves every node's kubelet
        // /metrics/resource on one port, told apart by path (its Metric CR, see metrics-server.ts).
        'metrics.k8s.io/resource-metrics-path': `/metrics/nodes/${spec.name}/metrics/resource`,
        ...spec.annotations,
      },
      labels: {
        'kubernetes.io/arch': 'amd64',
        'kubernetes.io/os': 'linux',
        'kubernetes.io/hostname': spec.name,
        'node.kubernetes.io/instance-type': 'kwok',
        type: 'kwok',
        ...spec.labels,
      },
    },
    spec: spec.taints && spec.taints.length > 0 ? { taints: spec.taints } : {},
    status: {
      capacity,
      allocatable: capacity,
      nodeInfo: {
        architecture: 'amd64',
        operatingSystem: 'linux',
        kubeletVersion: 'v1.37.2',
        containerRuntimeVersion: 'containerd://2.1.0',
        kernelVersion: '6.8.0-kwok',
        osImage: 'KWOK fake node',
        bootID: '',
        machineID: '',
        systemUUID: '',
        kubeProxyVersion: '',
      },
    },
  };
}

/** Creates the Node object of spec; one that exists already (409) is fine. */
export async function createNode(admin: KubeClient, spec: NodeSpec): Promise<void> {
  const r = await admin.request('POST', '/api/v1/nodes', nodeObject(spec));
  if (r.status !== 201 && r.status !== 409)
    throw new Error(`create node ${spec.name}: ${r.status} ${r.text}`);
}

/** Polls until node `name` is Ready, or throws after timeoutMs. */
export async function waitNodeReady(admin: KubeClient, name: string, timeoutMs = 60_000): Promise<void> {
  const t0 = performance.now();
  for (;;) {
    const r = await admin.request<{ status?: { conditions?: { type: string; status: string }[] } }>(
      'GET',
      `/api/v1/nodes/${name}`,
    );
    if (r.body.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') === true) return;
    if (performance.now() - t0 > timeoutMs) throw new Error(`node ${name} not Ready after ${timeoutMs} ms`);
    await sleep(200);
  }
}
