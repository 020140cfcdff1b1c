import { formatRef } from '../../core/resource-ref.js';
import type { EdgeDetail } from '../../graph/edge.js';
import type { Direction } from '../../graph/traverse.js';
import type { DepsNodeDocument } from './deps-document.js';
import { paintHealth, type Palette } from './palette.js';

export interface DepsTextOptions {
  readonly direction: Direction;
  readonly palette: Palette;
  /** Show how each dependency is made (volume, env var, container). */
  readonly wide: boolean;
}

/**
 * The tree as a person reads it:
 *
 *     Deployment/api  failing (0/2 ready)
 *     └── owns → ReplicaSet/api-5d8f7  failing (0/2 ready)
 *         └── owns → Pod/api-5d8f7-x2x9q  failing (CreateContainerConfigError)
 *             └── uses-config-map → ConfigMap/api-config  ready  [key CACHE_SIZE missing]
 */
export function renderDepsTree(root: DepsNodeDocument, options: DepsTextOptions): string {
  const lines = [nodeLine(root, root, options)];
  const walk = (node: DepsNodeDocument, prefix: string): void => {
    node.children.forEach((child, index) => {
      const last = index === node.children.length - 1;
      lines.push(`${prefix}${last ? '└── ' : '├── '}${nodeLine(child, root, options)}`);
      walk(child, `${prefix}${last ? '    ' : '│   '}`);
    });
  };
  walk(root, '');
  return `${lines.join('\n')}\n`;
}

function nodeLine(node: DepsNodeDocument, root: DepsNodeDocument, options: DepsTextOptions): string {
  const { palette } = options;
  const namespace =
    node.ref.namespace !== undefined && node.ref.namespace !== root.ref.namespace
      ? ` -n ${node.ref.namespace}`
      : '';
  const name = palette.bold(formatRef(node.ref)) + namespace;
  const kinds = [...new Set(node.edges.map((edge) => edge.kind))].join(', ');
  const edgeLabel =
    kinds === ''
      ? ''
      : options.direction === 'upstream'
        ? `${palette.dim(kinds)} → `
        : `${palette.dim(`← ${kinds}`)} `;
  const health =
    node.health.reason === undefined ? node.health.state : `${node.health.state} (${node.health.reason})`;
  const details = node.edges.flatMap((edge) => describeDetail(edge.detail, options.wide));
  const broken = node.edges.some((edge) => edge.detail?.keyMissing === true);
  const extras = [
    details.length === 0 ? '' : (broken ? palette.red : palette.dim)(`[${[...new Set(details)].join('; ')}]`),
    node.repeated ? palette.dim('(shown above)') : '',
  ].filter((part) => part !== '');
  return [`${edgeLabel}${name}`, paintHealth(palette, node.health.state, health), ...extras].join('  ');
}

/** How one edge is made, in a few words; empty when there is nothing to say at this width. */
function describeDetail(detail: EdgeDetail | undefined, wide: boolean): string[] {
  if (detail === undefined) return [];
  const parts: string[] = [];
  if (detail.key !== undefined)
    parts.push(detail.keyMissing === true ? `key ${detail.key} missing` : `key ${detail.key}`);
  if (detail.port !== undefined) parts.push(`port ${detail.port}`);
  if (detail.optional === true) parts.push('optional');
  // A call the caller's logs saw fail is the evidence of a link: shown at any width.
  if (detail.observed !== undefined)
    parts.push(`seen failing in its log: ${detail.observed.failure} ×${String(detail.observed.count)}`);
  if (wide && detail.address !== undefined) parts.push(`address ${detail.address}`);
  if (wide && detail.via !== undefined) parts.push(`via ${detail.via}`);
  if (wide && detail.container !== undefined) parts.push(`container ${detail.container}`);
  return parts.length === 0 ? [] : [parts.join(', ')];
}
