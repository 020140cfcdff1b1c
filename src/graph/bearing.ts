import type { DependencyGraph } from './dependency-graph.js';
import type { EdgeKind } from './edge.js';
import { dependencyTree, treeKeys } from './traverse.js';

/** Edges along which a failure reaches what an object serves: who consumes what. */
const CONSUMER_EDGES: ReadonlySet<EdgeKind> = new Set<EdgeKind>([
  'selects',
  'selects-workload',
  'scales',
  'routes-to',
  'owns',
  'calls',
]);
const NOT_DEPENDENCIES: ReadonlySet<EdgeKind> = new Set<EdgeKind>(['involves']);

/**
 * The objects that bear on the node `key`: everything it depends on (up to `depth` hops), and what
 * consumes those (the Services selecting its pods, the HPA scaling it, the Ingress routing to those
 * Services), two consumer hops out.
 */
export function objectsBearingOn(graph: DependencyGraph, key: string, depth = 8): Set<string> {
  const root = graph.nodeByKey(key);
  if (root === undefined) return new Set([key]);
  const keys = treeKeys(
    dependencyTree(graph, root, { direction: 'upstream', depth, skipEdges: NOT_DEPENDENCIES }),
  );
  for (let round = 0; round < 2; round++) {
    for (const member of [...keys]) {
      for (const edge of graph.incoming(member)) if (CONSUMER_EDGES.has(edge.kind)) keys.add(edge.from);
    }
  }
  return keys;
}
