import type { DependencyGraph, GraphNode } from './dependency-graph.js';
import type { EdgeKind, GraphEdge } from './edge.js';

export type Direction = 'upstream' | 'downstream';

/** One node of a dependency tree, reached through `edge` from its parent. */
export interface TreeNode {
  readonly node: GraphNode;
  /** The edges between the parent and this node (several when it is referenced several ways); empty at the root. */
  readonly edges: readonly GraphEdge[];
  readonly depth: number;
  readonly children: readonly TreeNode[];
  /** The node already appears higher in the tree: shown, not expanded again. */
  readonly repeated: boolean;
}

export interface TraverseOptions {
  readonly direction: Direction;
  /** How many hops from the root; 0 gives the root alone. */
  readonly depth: number;
  /** Edge kinds not to follow. */
  readonly skipEdges?: ReadonlySet<EdgeKind>;
}

/**
 * The tree of what a node depends on (upstream) or what depends on it (downstream), breadth-first
 * so each node sits at its shortest distance from the root; a node reached again is listed where
 * it is reached but expanded only once, which also stops cycles.
 */
export function dependencyTree(graph: DependencyGraph, root: GraphNode, options: TraverseOptions): TreeNode {
  interface Building {
    node: GraphNode;
    edges: GraphEdge[];
    depth: number;
    children: Building[];
    repeated: boolean;
  }
  const rootBuilding: Building = { node: root, edges: [], depth: 0, children: [], repeated: false };
  const expanded = new Set<string>([root.key]);
  const queue: Building[] = [rootBuilding];
  for (let next = queue.shift(); next !== undefined; next = queue.shift()) {
    if (next.repeated || next.depth >= options.depth) continue;
    const edges =
      options.direction === 'upstream' ? graph.outgoing(next.node.key) : graph.incoming(next.node.key);
    const childrenByKey = new Map<string, Building>();
    for (const edge of edges) {
      if (options.skipEdges?.has(edge.kind) === true) continue;
      const otherKey = options.direction === 'upstream' ? edge.to : edge.from;
      const sameNeighbour = childrenByKey.get(otherKey);
      if (sameNeighbour !== undefined) {
        sameNeighbour.edges.push(edge);
        continue;
      }
      const other = graph.nodeByKey(otherKey);
      if (other === undefined) continue;
      const repeated = expanded.has(otherKey);
      expanded.add(otherKey);
      const child: Building = { node: other, edges: [edge], depth: next.depth + 1, children: [], repeated };
      childrenByKey.set(otherKey, child);
      next.children.push(child);
      queue.push(child);
    }
  }
  return rootBuilding;
}

/** Every node key in the tree, root included. */
export function treeKeys(tree: TreeNode): Set<string> {
  const keys = new Set<string>();
  const visit = (node: TreeNode): void => {
    keys.add(node.node.key);
    node.children.forEach(visit);
  };
  visit(tree);
  return keys;
}
