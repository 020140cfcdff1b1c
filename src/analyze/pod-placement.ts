import type { Node, Pod, PodAffinityTerm, TopologySpreadConstraint } from '../core/kube-types.js';
import {
  equalityPairs,
  formatSelector,
  selectorMatches,
  type LabelSelector,
} from '../core/label-selector.js';
import type { Snapshot } from '../core/snapshot.js';
import { nodeMatches } from './node-fit.js';

/** Labels every pod of a controller carries with a value per revision: no use for finding peers. */
const REVISION_LABELS = new Set([
  'pod-template-hash',
  'controller-revision-hash',
  'apps.kubernetes.io/pod-index',
  'statefulset.kubernetes.io/pod-name',
]);
/** How many pods sharing a label with the pending one are looked at for their anti-affinity. */
const MAX_PEERS = 2000;

/** A placed pod that keeps another off its topology domain. */
export interface Repeller {
  readonly pod: string;
  readonly node: string;
  /** `kubernetes.io/hostname per node-a`: the topology key and the node's value for it. */
  readonly domain: string;
}

/** A required (anti-)affinity term, and the placed pods it concerns. */
export interface TermMatch {
  /** `app=web per kubernetes.io/hostname`. */
  readonly term: string;
  readonly pods: readonly Repeller[];
}

/**
 * The pod's own required anti-affinity terms with the placed pods that match them: the pods the
 * scheduler keeps it away from. A term whose selector has no `key=value` pair to look pods up by
 * is reported without pods (naming them would mean reading every pod).
 */
export function ownAntiAffinity(pod: Pod, snapshot: Snapshot): TermMatch[] {
  return requiredTerms(pod, 'podAntiAffinity').map((term) => ({
    term: termText(term),
    pods: placedMatching(pod, term, snapshot).map((other) => repeller(other, term, snapshot)),
  }));
}

/** The pod's required pod-affinity terms, with the placed pods that would satisfy them. */
export function ownAffinity(pod: Pod, snapshot: Snapshot): TermMatch[] {
  return requiredTerms(pod, 'podAffinity').map((term) => ({
    term: termText(term),
    pods: placedMatching(pod, term, snapshot).map((other) => repeller(other, term, snapshot)),
  }));
}

/**
 * Placed pods whose own required anti-affinity selects this pod: they repel it from their
 * domains. Looked for among the pods that share a label with it (replicas that repel each other
 * are by far the usual case), not the whole cluster.
 */
export function repellingPods(pod: Pod, snapshot: Snapshot): Repeller[] {
  const namespace = pod.metadata.namespace ?? '';
  const seen = new Set<string>([pod.metadata.name]);
  const found: Repeller[] = [];
  let looked = 0;
  for (const [key, value] of Object.entries(pod.metadata.labels ?? {})) {
    if (REVISION_LABELS.has(key)) continue;
    for (const object of snapshot.withLabel('Pod', namespace, key, value)) {
      if (seen.has(object.metadata.name) || looked >= MAX_PEERS) continue;
      seen.add(object.metadata.name);
      looked++;
      const other = object as Pod;
      if (!placed(other)) continue;
      const term = requiredTerms(other, 'podAntiAffinity').find(
        (t) =>
          t.labelSelector !== undefined &&
          selectorMatches(t.labelSelector, pod.metadata.labels) &&
          termNamespaces(other, t).includes(namespace),
      );
      if (term !== undefined) found.push(repeller(other, term, snapshot));
    }
  }
  return found.sort((a, b) => a.pod.localeCompare(b.pod));
}

/** One DoNotSchedule topology spread constraint, with how its pods are spread now. */
export interface SpreadState {
  /** `maxSkew 1 over topology.kubernetes.io/zone (app=web)`. */
  readonly constraint: string;
  readonly topologyKey: string;
  /** Matching pods per domain, fewest first: `eu-1b 1, eu-1a 3`. */
  readonly domains: readonly { readonly domain: string; readonly pods: number }[];
  /** Nodes the pod may use that lack the topology key's label. */
  readonly unlabelled: readonly string[];
}

/**
 * The pod's hard topology spread constraints (whenUnsatisfiable DoNotSchedule, the default) with
 * the matching pods counted per domain over the nodes its selector and affinity allow.
 */
export function spreadStates(pod: Pod, snapshot: Snapshot): SpreadState[] {
  const constraints = (pod.spec?.topologySpreadConstraints ?? []).filter(
    (c) => (c.whenUnsatisfiable ?? 'DoNotSchedule') === 'DoNotSchedule' && c.topologyKey !== undefined,
  );
  if (constraints.length === 0) return [];
  const nodes = snapshot.ofKind('Node').filter((node) => nodeMatches(node, pod.spec));
  return constraints.map((constraint) => spreadState(pod, constraint, nodes, snapshot));
}

function spreadState(
  pod: Pod,
  constraint: TopologySpreadConstraint,
  nodes: readonly Node[],
  snapshot: Snapshot,
): SpreadState {
  const key = constraint.topologyKey ?? '';
  const counts = new Map<string, number>();
  const unlabelled: string[] = [];
  const domainOf = new Map<string, string>();
  for (const node of nodes) {
    const value = node.metadata.labels?.[key];
    if (value === undefined) unlabelled.push(node.metadata.name);
    else {
      counts.set(value, 0);
      domainOf.set(node.metadata.name, value);
    }
  }
  const selector = constraint.labelSelector;
  const term: PodAffinityTerm = {
    topologyKey: key,
    ...(selector === undefined ? {} : { labelSelector: selector }),
  };
  for (const other of placedMatching(pod, term, snapshot)) {
    const domain = domainOf.get(other.spec?.nodeName ?? '');
    if (domain !== undefined) counts.set(domain, (counts.get(domain) ?? 0) + 1);
  }
  return {
    constraint: `maxSkew ${String(constraint.maxSkew ?? 1)} over ${key}${selector === undefined ? '' : ` (${formatSelector(selector)})`}`,
    topologyKey: key,
    domains: [...counts]
      .map(([domain, pods]) => ({ domain, pods }))
      .sort((a, b) => a.pods - b.pods || a.domain.localeCompare(b.domain)),
    unlabelled: unlabelled.sort(),
  };
}

function requiredTerms(pod: Pod, kind: 'podAffinity' | 'podAntiAffinity'): readonly PodAffinityTerm[] {
  return pod.spec?.affinity?.[kind]?.requiredDuringSchedulingIgnoredDuringExecution ?? [];
}

/** The namespaces a term looks in: those it lists, or its own pod's. */
function termNamespaces(pod: Pod, term: PodAffinityTerm): readonly string[] {
  return term.namespaces !== undefined && term.namespaces.length > 0
    ? term.namespaces
    : [pod.metadata.namespace ?? ''];
}

/** Placed, live pods other than `pod` that the term's selector selects, by name. */
function placedMatching(pod: Pod, term: PodAffinityTerm, snapshot: Snapshot): Pod[] {
  const selector: LabelSelector | undefined = term.labelSelector;
  const [pair] = selector === undefined ? [] : equalityPairs(selector);
  if (selector === undefined || pair === undefined) return [];
  const [key, value] = pair;
  return termNamespaces(pod, term)
    .flatMap((namespace) => snapshot.withLabel('Pod', namespace, key, value))
    .map((object) => object as Pod)
    .filter(
      (other) =>
        other.metadata.name !== pod.metadata.name &&
        placed(other) &&
        selectorMatches(selector, other.metadata.labels),
    )
    .sort((a, b) => a.metadata.name.localeCompare(b.metadata.name));
}

function placed(pod: Pod): boolean {
  const phase = pod.status?.phase;
  return pod.spec?.nodeName !== undefined && phase !== 'Succeeded' && phase !== 'Failed';
}

function repeller(pod: Pod, term: PodAffinityTerm, snapshot: Snapshot): Repeller {
  const node = pod.spec?.nodeName ?? '';
  const key = term.topologyKey ?? '';
  const labels = snapshot.get({ kind: 'Node', name: node })?.metadata.labels;
  return { pod: pod.metadata.name, node, domain: `${key}=${labels?.[key] ?? '?'}` };
}

function termText(term: PodAffinityTerm): string {
  return `${term.labelSelector === undefined ? '(no selector)' : formatSelector(term.labelSelector)} per ${term.topologyKey ?? '?'}`;
}
