import { Coverage } from '../core/coverage.js';
import type { KubeObject } from '../core/kube-object.js';
import { refKey, type ResourceRef } from '../core/resource-ref.js';
import type { EdgeDetail, EdgeKind, GraphEdge } from './edge.js';

/**
 * Whether the object behind a node was found. `missing` means the kind was read where the object
 * would be and it is not there (often the answer); `unknown` means we did not read that kind there;
 * `external` is for things that are not API objects (RBAC users and groups).
 */
export type Presence = 'present' | 'missing' | 'unknown' | 'external';

export interface GraphNode {
  readonly key: string;
  readonly ref: ResourceRef;
  readonly presence: Presence;
  readonly object?: KubeObject;
}

/** Nodes and edges with adjacency both ways. Built once by `buildGraph`; read-only afterwards. */
export class DependencyGraph {
  /**
   * What the snapshot it was built from read, and where: an object with no edge to a kind that
   * was not read (a Service selecting no pods, with Pods unread) is not known to have none.
   */
  readonly coverage: Coverage;
  readonly #nodes = new Map<string, GraphNode>();
  readonly #out = new Map<string, GraphEdge[]>();
  readonly #in = new Map<string, GraphEdge[]>();
  readonly #edgeIds = new Set<string>();
  #edgeCount = 0;

  constructor(coverage: Coverage = new Coverage()) {
    this.coverage = coverage;
  }

  /** Adds a node unless one with the same key exists; returns the node held. */
  addNode(node: GraphNode): GraphNode {
    const existing = this.#nodes.get(node.key);
    if (existing !== undefined) return existing;
    this.#nodes.set(node.key, node);
    return node;
  }

  /** Adds an edge between two existing nodes; the same edge twice is kept once. */
  addEdge(from: string, to: string, kind: EdgeKind, detail?: EdgeDetail): void {
    // A call seen failing is one edge per container and class of failure (refused, then timeouts).
    const seen =
      detail?.observed === undefined ? '' : `|${detail.container ?? ''}|${detail.observed.failure}`;
    const id = `${from}|${to}|${kind}|${detail?.via ?? ''}|${detail?.key ?? ''}${seen}`;
    if (this.#edgeIds.has(id)) return;
    this.#edgeIds.add(id);
    const edge: GraphEdge = detail === undefined ? { from, to, kind } : { from, to, kind, detail };
    push(this.#out, from, edge);
    push(this.#in, to, edge);
    this.#edgeCount++;
  }

  /** The node for a reference, if the graph has one. */
  node(ref: ResourceRef): GraphNode | undefined {
    return this.#nodes.get(refKey(ref));
  }

  /** The node with this key, if any. */
  nodeByKey(key: string): GraphNode | undefined {
    return this.#nodes.get(key);
  }

  /** What a node depends on. */
  outgoing(key: string): readonly GraphEdge[] {
    return this.#out.get(key) ?? [];
  }

  /** What depends on a node. */
  incoming(key: string): readonly GraphEdge[] {
    return this.#in.get(key) ?? [];
  }

  /** All nodes. */
  nodes(): IterableIterator<GraphNode> {
    return this.#nodes.values();
  }

  /** All edges, each once. */
  *edges(): IterableIterator<GraphEdge> {
    for (const list of this.#out.values()) yield* list;
  }

  get nodeCount(): number {
    return this.#nodes.size;
  }

  get edgeCount(): number {
    return this.#edgeCount;
  }
}

function push<V>(map: Map<string, V[]>, key: string, value: V): void {
  const list = map.get(key);
  if (list === undefined) map.set(key, [value]);
  else list.push(value);
}
