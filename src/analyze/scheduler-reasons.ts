import type { EventRecord } from '../core/event-record.js';
import { formatList } from '../core/format-list.js';
import type { Pod } from '../core/kube-types.js';
import type { Snapshot } from '../core/snapshot.js';

/** Pods quoted as holding a port or having been preempted: enough to name them, bounded. */
const MAX_NAMED = 5;

/** A host port a pod asks for: `8080/TCP`, on an address or every one (`0.0.0.0`). */
export interface HostPort {
  readonly port: number;
  readonly protocol: string;
  readonly hostIP: string;
}

/**
 * The host ports a pod binds: each container port with a `hostPort`, and with `hostNetwork` every
 * container port (it is the node's port then).
 */
export function hostPortsOf(pod: Pod): HostPort[] {
  const hostNetwork = pod.spec?.hostNetwork === true;
  return [...(pod.spec?.initContainers ?? []), ...(pod.spec?.containers ?? [])].flatMap((container) =>
    (container.ports ?? []).flatMap((port): HostPort[] => {
      const bound = port.hostPort ?? (hostNetwork ? port.containerPort : undefined);
      return bound === undefined || bound === 0
        ? []
        : [{ port: bound, protocol: port.protocol ?? 'TCP', hostIP: port.hostIP ?? '0.0.0.0' }];
    }),
  );
}

/** `8080/TCP`, or `10.0.0.5:8080/TCP` when bound to one address. */
export function formatHostPort(port: HostPort): string {
  return `${port.hostIP === '0.0.0.0' || port.hostIP === '' ? '' : `${port.hostIP}:`}${String(port.port)}/${port.protocol}`;
}

/** Two bindings clash when port and protocol match and either is on every address or both on one. */
function clash(a: HostPort, b: HostPort): boolean {
  const any = (ip: string): boolean => ip === '0.0.0.0' || ip === '' || ip === '::';
  return (
    a.port === b.port &&
    a.protocol === b.protocol &&
    (any(a.hostIP) || any(b.hostIP) || a.hostIP === b.hostIP)
  );
}

/** The placed, live pods (any namespace read) holding one of these host ports, with their node. */
export function hostPortHolders(
  pod: Pod,
  wanted: readonly HostPort[],
  snapshot: Snapshot,
): { readonly port: HostPort; readonly pod: string; readonly node: string }[] {
  const holders: { port: HostPort; pod: string; node: string }[] = [];
  for (const other of snapshot.ofKind('Pod')) {
    const node = other.spec?.nodeName;
    const phase = other.status?.phase;
    if (other === pod || node === undefined || phase === 'Succeeded' || phase === 'Failed') continue;
    for (const held of hostPortsOf(other)) {
      const port = wanted.find((w) => clash(w, held));
      if (port === undefined) continue;
      const name =
        other.metadata.namespace === pod.metadata.namespace
          ? other.metadata.name
          : `${other.metadata.namespace ?? ''}/${other.metadata.name}`;
      holders.push({ port, pod: name, node });
    }
  }
  return holders.sort((a, b) => a.node.localeCompare(b.node) || a.pod.localeCompare(b.pod));
}

/** What a well-known taint says about its node, and what to do about a pod it keeps off. */
interface TaintMeaning {
  readonly means: string;
  readonly fix: string;
}

const CONTROL_PLANE: TaintMeaning = {
  means: 'a control-plane node, kept for the cluster’s own components',
  fix: 'run it on worker nodes (add one if the cluster has none); tolerate the control-plane taint only on purpose, as on a single-node cluster',
};
const CONDITION_FIX =
  'the node’s condition is the cause: fix the node (kubectl describe node NODE), or wait for it to recover';

/** Taints Kubernetes itself sets, by key: the scheduler names only the key and value. */
const KNOWN_TAINTS: Readonly<Record<string, TaintMeaning>> = {
  'node-role.kubernetes.io/control-plane': CONTROL_PLANE,
  'node-role.kubernetes.io/master': CONTROL_PLANE,
  'node.kubernetes.io/not-ready': { means: 'the node is NotReady', fix: CONDITION_FIX },
  'node.kubernetes.io/unreachable': {
    means: 'the node controller cannot reach the node',
    fix: CONDITION_FIX,
  },
  'node.kubernetes.io/memory-pressure': { means: 'the node is short of memory', fix: CONDITION_FIX },
  'node.kubernetes.io/disk-pressure': { means: 'the node is short of disk', fix: CONDITION_FIX },
  'node.kubernetes.io/pid-pressure': { means: 'the node is short of process ids', fix: CONDITION_FIX },
  'node.kubernetes.io/network-unavailable': { means: 'the node’s network is not set up', fix: CONDITION_FIX },
  'node.kubernetes.io/unschedulable': {
    means: 'the node is cordoned',
    fix: 'uncordon a node (kubectl uncordon NODE) or add one',
  },
  'node.cloudprovider.kubernetes.io/uninitialized': {
    means: 'the cloud provider has not initialised the node yet',
    fix: 'check the cloud controller manager: it removes this taint once it has set the node up',
  },
  'node.kubernetes.io/out-of-service': {
    means: 'the node was marked out of service',
    fix: 'bring the node back and remove the out-of-service taint, or add a node',
  },
};

/** What a taint key means, when Kubernetes sets it. */
export function taintMeaning(key: string): TaintMeaning | undefined {
  return KNOWN_TAINTS[key];
}

/**
 * The taints the scheduler's message names: `had untolerated taint {key: value}` (current
 * schedulers), `had taint {key: value}, that the pod didn't tolerate` (older ones), with how many
 * nodes carry each.
 */
export function messageTaints(
  message: string,
): { readonly key: string; readonly value: string; readonly nodes: number }[] {
  const found = new Map<string, { key: string; value: string; nodes: number }>();
  for (const match of message.matchAll(
    /(\d+) node\(s\) had (?:untolerated )?taints? \{([^:{}]+):\s?([^{}]*)\}/g,
  )) {
    const key = (match[2] ?? '').trim();
    const value = (match[3] ?? '').trim();
    const entry = found.get(`${key}=${value}`) ?? { key, value, nodes: 0 };
    entry.nodes += Number(match[1] ?? 0);
    found.set(`${key}=${value}`, entry);
  }
  return [...found.values()];
}

/** The scheduler's `preemption: …` clause, in words: why evicting lower-priority pods would not help. */
export function preemptionClause(message: string): string | undefined {
  const clause = /preemption: (.*)$/s.exec(message)?.[1]?.trim();
  if (clause === undefined) return undefined;
  if (/No preemption victims found|Preemption is not helpful/i.test(clause))
    return 'preemption would not help: no node has lower-priority pods whose eviction would make it fit';
  if (/preemptionPolicy=Never/.test(clause))
    return 'its preemptionPolicy is Never: it does not evict lower-priority pods to make room';
  return `preemption: ${clause}`;
}

/** A pod of the same workload the scheduler preempted, and who for. */
export interface Preemption {
  readonly victim: string;
  readonly node: string;
  /** The higher-priority pod, by name when it was read, else by uid. */
  readonly preemptor: string;
  readonly preemptorPriority?: number;
  readonly at?: string;
}

const PREEMPTED = /^Preempted by (?:pod )?(\S+) on node (\S+)/;

/**
 * Pods of the pod's own workload (its name prefix: `generateName`) or the pod itself that the
 * scheduler preempted, from its `Preempted` events ("Preempted by pod UID on node N"), naming the
 * preemptor through its uid when it was read.
 */
export function preemptionsOf(pod: Pod, snapshot: Snapshot): Preemption[] {
  const namespace = pod.metadata.namespace;
  const prefix = pod.metadata.generateName;
  const mine = (event: EventRecord): boolean =>
    event.reason === 'Preempted' &&
    event.involved.kind === 'Pod' &&
    event.involved.namespace === namespace &&
    (event.involved.name === pod.metadata.name ||
      (prefix !== undefined && prefix !== '' && event.involved.name.startsWith(prefix)));
  const found: Preemption[] = [];
  for (const event of snapshot.events().filter(mine)) {
    const match = PREEMPTED.exec(event.message);
    if (match === null) continue;
    const [, who = '', node = ''] = match;
    const byUid: Pod | undefined = snapshot.byUid(who);
    const preemptor = byUid?.kind === 'Pod' ? byUid : undefined;
    const priority = preemptor?.spec?.priority;
    found.push({
      victim: event.involved.name,
      node,
      preemptor:
        preemptor === undefined
          ? `a higher-priority pod (uid ${who})`
          : `${preemptor.metadata.namespace === namespace ? '' : `${preemptor.metadata.namespace ?? ''}/`}${preemptor.metadata.name}`,
      ...(priority === undefined ? {} : { preemptorPriority: priority }),
      ...(event.lastSeen === undefined ? {} : { at: event.lastSeen }),
    });
  }
  return found.slice(-MAX_NAMED);
}

/** `a, b and 3 more`. */
export function namedFew(names: readonly string[]): string {
  return formatList(names, MAX_NAMED);
}
