import { describe, expect, it } from 'vitest';
import { DependencyGraph, type GraphNode } from './dependency-graph.js';
import { dependencyTree, treeKeys, type TreeNode } from './traverse.js';

/** A hand-made graph: deploy → rs → pod → {node, cm (two ways)}; svc → pod; pod ↔ loop (cycle). */
function sampleGraph(): DependencyGraph {
  const graph = new DependencyGraph();
  for (const key of ['deploy', 'rs', 'pod', 'node', 'cm', 'svc', 'loop']) {
    graph.addNode({ key, ref: { kind: 'Thing', name: key }, presence: 'present' });
  }
  graph.addEdge('deploy', 'rs', 'owns');
  graph.addEdge('rs', 'pod', 'owns');
  graph.addEdge('pod', 'node', 'runs-on');
  graph.addEdge('pod', 'cm', 'uses-config-map', { via: 'env:A', key: 'A' });
  graph.addEdge('pod', 'cm', 'uses-config-map', { via: 'volume:conf' });
  graph.addEdge('svc', 'pod', 'selects');
  graph.addEdge('pod', 'loop', 'selects');
  graph.addEdge('loop', 'pod', 'selects');
  return graph;
}

/** The tree as indented lines `key [edge kinds] (repeated)`, for whole-tree comparison. */
function lines(tree: TreeNode, indent = ''): string[] {
  const label = `${indent}${tree.node.key}${tree.edges.length === 0 ? '' : ` [${tree.edges.map((e) => e.kind).join(',')}]`}${tree.repeated ? ' (repeated)' : ''}`;
  return [label, ...tree.children.flatMap((child) => lines(child, `${indent}  `))];
}

const root = (graph: DependencyGraph, key: string): GraphNode => graph.nodeByKey(key)!;

describe('dependencyTree', () => {
  it('walks upstream to the depth asked, merging parallel edges and stopping cycles', () => {
    const graph = sampleGraph();
    expect(lines(dependencyTree(graph, root(graph, 'deploy'), { direction: 'upstream', depth: 5 }))).toEqual([
      'deploy',
      '  rs [owns]',
      '    pod [owns]',
      '      node [runs-on]',
      '      cm [uses-config-map,uses-config-map]',
      '      loop [selects]',
      '        pod [selects] (repeated)',
    ]);
    expect(lines(dependencyTree(graph, root(graph, 'deploy'), { direction: 'upstream', depth: 2 }))).toEqual([
      'deploy',
      '  rs [owns]',
      '    pod [owns]',
    ]);
    expect(lines(dependencyTree(graph, root(graph, 'deploy'), { direction: 'upstream', depth: 0 }))).toEqual([
      'deploy',
    ]);
  });

  it('walks downstream to what depends on a node', () => {
    const graph = sampleGraph();
    expect(lines(dependencyTree(graph, root(graph, 'cm'), { direction: 'downstream', depth: 3 }))).toEqual([
      'cm',
      '  pod [uses-config-map,uses-config-map]',
      '    rs [owns]',
      '      deploy [owns]',
      '    svc [selects]',
      '    loop [selects]',
      '      pod [selects] (repeated)',
    ]);
  });

  it('skips the edge kinds it is told to', () => {
    const graph = sampleGraph();
    const tree = dependencyTree(graph, root(graph, 'pod'), {
      direction: 'downstream',
      depth: 3,
      skipEdges: new Set(['selects']),
    });
    expect([...treeKeys(tree)].sort()).toEqual(['deploy', 'pod', 'rs']);
  });
});
