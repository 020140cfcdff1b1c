/** The dependency graph over a snapshot: who depends on whom, and what is missing. */
export { objectsBearingOn } from './bearing.js';
export { buildGraph } from './build-graph.js';
export { DependencyGraph, type GraphNode, type Presence } from './dependency-graph.js';
export { EVENT_KINDS, GRAPH_AND_EVENT_KINDS, GRAPH_KINDS } from './graph-kinds.js';
export { EDGE_KINDS, type EdgeDetail, type EdgeKind, type GraphEdge } from './edge.js';
export { healthOf, HEALTH_STATES, type Health, type HealthState } from './health.js';
export { dependencyTree, treeKeys, type Direction, type TraverseOptions, type TreeNode } from './traverse.js';
