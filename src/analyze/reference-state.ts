import type { ResourceRef } from '../core/resource-ref.js';
import type { Snapshot } from '../core/snapshot.js';
import type { DependencyGraph, GraphNode } from '../graph/dependency-graph.js';

/**
 * What is known of an object a rule refers to (DESIGN.md §7.11, unknown is unknown): found,
 * absent where its kind was read (`missing`), or its kind was not read there, so nothing can be
 * said either way. A rule never turns the third into either of the first two: not finding a
 * Secret the read-only user may not list is not its absence, and not seeing it missing is not its
 * presence.
 */
export type ReferenceState = 'present' | 'missing' | 'not-read';

/** The state of the object `ref` names, from the snapshot and what its source read. */
export function referenceState(snapshot: Snapshot, ref: ResourceRef): ReferenceState {
  if (snapshot.get(ref) !== undefined) return 'present';
  return snapshot.coverage.covers(ref.kind, ref.namespace) ? 'missing' : 'not-read';
}

/**
 * The state of the object `ref` names, from the graph (for rules that read it through their
 * edges, not the snapshot): every object read has a node, so no present node is absence where
 * the graph's coverage says its kind was read, and not knowing where it does not.
 */
export function graphReferenceState(graph: DependencyGraph, ref: ResourceRef): ReferenceState {
  const node = graph.node(ref);
  if (node !== undefined && node.presence !== 'unknown') return nodeState(node);
  return graph.coverage.covers(ref.kind, ref.namespace) ? 'missing' : 'not-read';
}

/**
 * The state of a graph node a rule follows an edge to. The graph made the node `missing` or
 * `unknown` from the same coverage; an `external` node (an RBAC user) is not an API object, so it
 * is there as far as anyone can tell. No node at all: nothing was read that names it.
 */
export function nodeState(node: GraphNode | undefined): ReferenceState {
  if (node === undefined) return 'not-read';
  switch (node.presence) {
    case 'present':
    case 'external':
      return 'present';
    case 'missing':
      return 'missing';
    case 'unknown':
      return 'not-read';
    default:
      return node.presence satisfies never;
  }
}

/**
 * The state in words for evidence: `present`, `missing`, or `not read (Secrets were not read in
 * shop)`, so an engineer knows which of the three the answer is, and why the third.
 */
export function referenceStateText(ref: ResourceRef, state: ReferenceState): string {
  switch (state) {
    case 'present':
    case 'missing':
      return state;
    case 'not-read':
      return `not read (${notReadText(ref.kind, ref.namespace)})`;
    default:
      return state satisfies never;
  }
}

/** `Secrets were not read in shop`, `StorageClasses were not read`. */
export function notReadText(kind: string, namespace: string | undefined): string {
  return `${pluralOf(kind)} were not read${namespace === undefined || namespace === '' ? '' : ` in ${namespace}`}`;
}

/** `Secrets`, `NetworkPolicies`, `IngressClasses`: a kind's name as a plural in a sentence. */
function pluralOf(kind: string): string {
  if (/[^aeiou]y$/.test(kind)) return `${kind.slice(0, -1)}ies`;
  if (/(s|x|ch|sh)$/.test(kind)) return `${kind}es`;
  return `${kind}s`;
}
