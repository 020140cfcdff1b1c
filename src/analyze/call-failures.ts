import type { Evidence } from '../core/finding.js';
import { formatRef, type ResourceRef } from '../core/resource-ref.js';
import type { DependencyGraph } from '../graph/dependency-graph.js';
import type { CallObservation, GraphEdge } from '../graph/edge.js';

/** What a class of connection failure says about the dependency, in a clause. */
export const FAILURE_WORDS: Readonly<Record<CallObservation['failure'], string>> = {
  refused: 'connections are refused',
  timeout: 'connections time out',
  dns: 'its name does not resolve',
  eof: 'connections are closed or reset',
  tls: 'the TLS handshake fails',
  auth: 'it rejects the credentials',
};

/** One dependency a pod's logs saw fail, with the edges (one per container and class) that say so. */
export interface FailedCall {
  readonly target: ResourceRef;
  readonly edges: readonly (GraphEdge & { readonly detail: { readonly observed: CallObservation } })[];
}

/** The calls out of `key` that its logs saw fail, by dependency, keeping `keep`'s classes. */
export function failedCalls(
  graph: DependencyGraph,
  key: string,
  keep: (failure: CallObservation['failure']) => boolean,
): FailedCall[] {
  const byTarget = new Map<string, FailedCall['edges'][number][]>();
  for (const edge of graph.outgoing(key)) {
    const observed = edge.detail?.observed;
    if (edge.kind !== 'calls' || observed === undefined || !keep(observed.failure)) continue;
    const list = byTarget.get(edge.to) ?? [];
    list.push(edge as FailedCall['edges'][number]);
    byTarget.set(edge.to, list);
  }
  return [...byTarget.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .flatMap(([to, edges]) => {
      const target = graph.nodeByKey(to)?.ref;
      return target === undefined ? [] : [{ target, edges }];
    });
}

/** `container api, previous log: connection refused ×12 (first 10:01:02Z, last 10:04:59Z): <line>`. */
export function observationEvidence(edge: FailedCall['edges'][number]): Evidence {
  const { observed } = edge.detail;
  const when =
    observed.first === undefined
      ? ''
      : observed.first === observed.last || observed.last === undefined
        ? ` at ${observed.first}`
        : ` from ${observed.first} to ${observed.last}`;
  const times = observed.count === 1 ? 'once' : `${String(observed.count)} times`;
  return {
    source: 'log',
    text: `${edge.detail.container === undefined ? '' : `container ${edge.detail.container}, `}${observed.previous ? 'previous' : 'current'} log, ${observed.failure} ${times}${when}: ${observed.line}`,
  };
}

/** How a dependency is named in a finding about its caller: with its namespace when that differs. */
export function dependencyName(target: ResourceRef, caller: ResourceRef): string {
  return formatRef(target, { withNamespace: target.namespace !== caller.namespace });
}
