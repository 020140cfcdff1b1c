import type { DataGap } from '../../core/data-gap.js';
import type { ResourceRef } from '../../core/resource-ref.js';
import type { DependencyGraph } from '../../graph/dependency-graph.js';
import type { EdgeDetail, EdgeKind } from '../../graph/edge.js';
import { healthOf, type Health } from '../../graph/health.js';
import type { Direction, TreeNode } from '../../graph/traverse.js';
import { OUTPUT_API_VERSION } from './document.js';

/** One node of the printed tree: stable JSON, documented in the README. */
export interface DepsNodeDocument {
  readonly ref: ResourceRef;
  readonly presence: string;
  readonly health: Health;
  /** The edges from the parent (upstream) or to the parent (downstream); empty at the root. */
  readonly edges: readonly { readonly kind: EdgeKind; readonly detail?: EdgeDetail }[];
  /** Already shown higher in the tree; not expanded again. */
  readonly repeated: boolean;
  readonly children: readonly DepsNodeDocument[];
}

/** What `deps -o json|yaml` prints. */
export interface DepsDocument {
  readonly apiVersion: typeof OUTPUT_API_VERSION;
  readonly kind: 'DependencyTrees';
  readonly source: string;
  readonly direction: Direction;
  readonly depth: number;
  readonly trees: readonly DepsNodeDocument[];
  readonly gaps: readonly DataGap[];
}

/** The tree with each node's health, ready to print in any format. */
export function depsNodeDocument(tree: TreeNode, graph: DependencyGraph): DepsNodeDocument {
  return {
    ref: tree.node.ref,
    presence: tree.node.presence,
    health: healthOf(tree.node, graph),
    edges: tree.edges.map((edge) =>
      edge.detail === undefined ? { kind: edge.kind } : { kind: edge.kind, detail: edge.detail },
    ),
    repeated: tree.repeated,
    children: tree.children.map((child) => depsNodeDocument(child, graph)),
  };
}
