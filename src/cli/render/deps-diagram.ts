import { formatRef, refKey } from '../../core/resource-ref.js';
import type { HealthState } from '../../graph/health.js';
import type { Direction } from '../../graph/traverse.js';
import type { DepsNodeDocument } from './deps-document.js';

const DOT_COLOURS: Readonly<Record<HealthState, string>> = {
  ready: 'darkgreen',
  progressing: 'orange',
  degraded: 'orange',
  failing: 'red',
  missing: 'red',
  unknown: 'gray',
};

interface FlatEdge {
  readonly from: DepsNodeDocument;
  readonly to: DepsNodeDocument;
  readonly label: string;
}

/** Nodes once each, and edges in dependency direction (dependant → dependency) whatever the walk. */
function flatten(
  roots: readonly DepsNodeDocument[],
  direction: Direction,
): { nodes: DepsNodeDocument[]; edges: FlatEdge[] } {
  const nodes = new Map<string, DepsNodeDocument>();
  const edges: FlatEdge[] = [];
  const visit = (node: DepsNodeDocument): void => {
    const key = refKey(node.ref);
    if (!nodes.has(key)) nodes.set(key, node);
    for (const child of node.children) {
      const label = [...new Set(child.edges.map((edge) => edge.kind))].join(', ');
      edges.push(
        direction === 'upstream' ? { from: node, to: child, label } : { from: child, to: node, label },
      );
      visit(child);
    }
  };
  roots.forEach(visit);
  return { nodes: [...nodes.values()], edges };
}

/** Graphviz DOT: `kubectl smart deps deploy/api -o dot | dot -Tsvg > deps.svg`. */
export function renderDot(roots: readonly DepsNodeDocument[], direction: Direction): string {
  const { nodes, edges } = flatten(roots, direction);
  const id = (node: DepsNodeDocument): string => JSON.stringify(refKey(node.ref));
  const lines = [
    'digraph dependencies {',
    '  rankdir=LR;',
    '  node [shape=box, style=rounded, fontname="Helvetica"];',
  ];
  for (const node of nodes) {
    const label = `${formatRef(node.ref, { withNamespace: true })}\\n${node.health.state}`;
    lines.push(
      `  ${id(node)} [label=${JSON.stringify(label).replaceAll('\\\\n', '\\n')}, color=${DOT_COLOURS[node.health.state]}];`,
    );
  }
  for (const edge of edges)
    lines.push(`  ${id(edge.from)} -> ${id(edge.to)} [label=${JSON.stringify(edge.label)}];`);
  lines.push('}');
  return `${lines.join('\n')}\n`;
}

/** Mermaid flowchart, which renders in GitHub and GitLab markdown. */
export function renderMermaid(roots: readonly DepsNodeDocument[], direction: Direction): string {
  const { nodes, edges } = flatten(roots, direction);
  const ids = new Map(nodes.map((node, index) => [refKey(node.ref), `n${index}`]));
  const id = (node: DepsNodeDocument): string => ids.get(refKey(node.ref)) ?? 'n?';
  const lines = ['flowchart LR'];
  for (const node of nodes) {
    const label = `${formatRef(node.ref, { withNamespace: true })}<br/>${node.health.state}`.replaceAll(
      '"',
      '#quot;',
    );
    lines.push(`  ${id(node)}["${label}"]:::${node.health.state}`);
  }
  for (const edge of edges) lines.push(`  ${id(edge.from)} -->|${edge.label}| ${id(edge.to)}`);
  lines.push(
    '  classDef ready stroke:#2a2;',
    '  classDef progressing stroke:#d90;',
    '  classDef degraded stroke:#d90;',
    '  classDef failing stroke:#d22,stroke-width:2px;',
    '  classDef missing stroke:#d22,stroke-dasharray:4;',
    '  classDef unknown stroke:#999,stroke-dasharray:2;',
  );
  return `${lines.join('\n')}\n`;
}
