import type { Evidence } from '../core/finding.js';
import { formatRef } from '../core/resource-ref.js';
import type { DependencyGraph } from '../graph/dependency-graph.js';
import type { GraphEdge } from '../graph/edge.js';

/** How many callers a finding names one by one; the rest are counted. */
const SHOWN_CALLERS = 3;

/** The `calls` edges into a node: who dials it, and how each knows its address. */
export function callsInto(graph: DependencyGraph, key: string): GraphEdge[] {
  return graph.incoming(key).filter((edge) => edge.kind === 'calls');
}

/**
 * Evidence naming a dependency's callers: `Pod/api-7c9f-x2k4p calls it (env:DB_HOST db:5432)`, the
 * first few, then how many more. A Service nobody is seen calling gets none.
 */
export function callerEvidence(graph: DependencyGraph, key: string): Evidence[] {
  const byCaller = new Map<string, GraphEdge>();
  for (const edge of callsInto(graph, key)) if (!byCaller.has(edge.from)) byCaller.set(edge.from, edge);
  const callers = [...byCaller.values()].sort((a, b) => a.from.localeCompare(b.from));
  const evidence: Evidence[] = callers.slice(0, SHOWN_CALLERS).flatMap((edge) => {
    const caller = graph.nodeByKey(edge.from)?.ref;
    if (caller === undefined) return [];
    return [{ source: 'graph', resource: caller, text: `${formatRef(caller)} calls it (${callText(edge)})` }];
  });
  if (callers.length > SHOWN_CALLERS)
    evidence.push({ source: 'graph', text: `and ${String(callers.length - SHOWN_CALLERS)} more callers` });
  return evidence;
}

/** `env:DB_HOST db:5432`, or for a call seen in logs `log: connection refused ×12`. */
export function callText(edge: GraphEdge): string {
  const observed = edge.detail?.observed;
  if (observed !== undefined) return `log: ${observed.failure} ×${String(observed.count)}`;
  return [edge.detail?.via, edge.detail?.address].filter((part) => part !== undefined).join(' ');
}
