import type { NetworkPolicy, NetworkPolicyPeer, NetworkPolicyRule } from '../core/kube-types.js';
import { selectorMatches } from '../core/label-selector.js';

/** One end of a connection as NetworkPolicies see it: a pod's namespace and labels. */
export interface PolicyPeer {
  readonly namespace: string | undefined;
  readonly labels: Readonly<Record<string, string>> | undefined;
}

/** The port a connection arrives on at the pod: a number, a container port's name, or unknown. */
export interface ArrivalPort {
  readonly number?: number;
  readonly name?: string;
}

/** Whether a policy admits a connection: `unknown` where it turns on what was not read (IP blocks, namespace labels). */
export type Admission = 'admitted' | 'denied' | 'unknown';

export type PolicyDirection = 'ingress' | 'egress';

/** The directions a policy isolates: `policyTypes`, or (absent) Ingress, and Egress when it has egress rules. */
export function isolates(policy: NetworkPolicy, direction: PolicyDirection): boolean {
  const types = policy.spec?.policyTypes;
  if (types !== undefined && types.length > 0) return types.some((t) => t.toLowerCase() === direction);
  return direction === 'ingress' || (policy.spec?.egress?.length ?? 0) > 0;
}

/**
 * Whether `policy` admits traffic between its pod and `other` (the source for ingress, the
 * destination for egress) on `port`, as https://kubernetes.io/docs/concepts/services-networking/network-policies/
 * defines it: any rule whose peers (all, when none are listed) include `other` and whose ports
 * (all, when none are listed) include `port`. A pod isolated in a direction gets only what some
 * policy admits: `ingress: []` admits nothing.
 */
export function admission(
  policy: NetworkPolicy,
  direction: PolicyDirection,
  other: PolicyPeer,
  port: ArrivalPort | undefined,
  namespaceLabels: (namespace: string) => Readonly<Record<string, string>> | undefined,
): Admission {
  const rules: readonly NetworkPolicyRule[] =
    (direction === 'ingress' ? policy.spec?.ingress : policy.spec?.egress) ?? [];
  let verdict: Admission = 'denied';
  for (const rule of rules) {
    const peers = direction === 'ingress' ? rule.from : rule.to;
    const peer =
      peers === undefined || peers.length === 0
        ? 'admitted'
        : best(peers.map((p) => peerAdmits(p, policy.metadata.namespace, other, namespaceLabels)));
    const ports =
      rule.ports === undefined || rule.ports.length === 0
        ? 'admitted'
        : best(
            rule.ports.map((p): Admission => {
              if (p.port === undefined) return 'admitted';
              if (port === undefined) return 'unknown';
              if (typeof p.port === 'number' && port.number !== undefined)
                return port.number >= p.port && port.number <= (p.endPort ?? p.port) ? 'admitted' : 'denied';
              if (typeof p.port === 'string' && port.name !== undefined)
                return p.port === port.name ? 'admitted' : 'denied';
              return 'unknown';
            }),
          );
    verdict = best([verdict, worst([peer, ports])]);
    if (verdict === 'admitted') return verdict;
  }
  return verdict;
}

function peerAdmits(
  peer: NetworkPolicyPeer,
  policyNamespace: string | undefined,
  other: PolicyPeer,
  namespaceLabels: (namespace: string) => Readonly<Record<string, string>> | undefined,
): Admission {
  // Pod IPs can fall in a CIDR: not something the objects tell.
  if (peer.ipBlock !== undefined) return 'unknown';
  let namespaceOk: Admission;
  if (peer.namespaceSelector === undefined)
    namespaceOk = other.namespace === policyNamespace ? 'admitted' : 'denied';
  else {
    const labels = other.namespace === undefined ? undefined : namespaceLabels(other.namespace);
    namespaceOk =
      labels === undefined
        ? 'unknown'
        : selectorMatches(peer.namespaceSelector, labels)
          ? 'admitted'
          : 'denied';
  }
  const podOk: Admission =
    peer.podSelector === undefined || selectorMatches(peer.podSelector, other.labels) ? 'admitted' : 'denied';
  return worst([namespaceOk, podOk]);
}

const ORDER: readonly Admission[] = ['denied', 'unknown', 'admitted'];

function best(verdicts: readonly Admission[]): Admission {
  return verdicts.reduce<Admission>((a, b) => (ORDER.indexOf(b) > ORDER.indexOf(a) ? b : a), 'denied');
}

function worst(verdicts: readonly Admission[]): Admission {
  return verdicts.reduce<Admission>((a, b) => (ORDER.indexOf(b) < ORDER.indexOf(a) ? b : a), 'admitted');
}
