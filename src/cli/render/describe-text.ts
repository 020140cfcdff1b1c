import { formatAge } from '../../core/duration.js';
import type { Finding } from '../../core/finding.js';
import type { Condition, ContainerStatus, Pod } from '../../core/kube-types.js';
import type { KubeObject } from '../../core/kube-object.js';
import { formatRef } from '../../core/resource-ref.js';
import { timeMs } from '../../core/time.js';
import type { Health } from '../../graph/health.js';
import type { DescribeDocument, NeighbourDocument } from './describe-document.js';
import { renderEventsText } from './events-text.js';
import { paintHealth, type Palette } from './palette.js';
import { formatTable } from './table.js';

const SHOWN_ANNOTATION_LENGTH = 120;

/** `kubectl describe`, plus what kubectl-smart knows: findings, neighbours with health, filtered events. */
export function renderDescribeText(document: DescribeDocument, palette: Palette): string {
  const { object, health } = document;
  const now = timeMs(document.capturedAt) ?? Date.now();
  const heading = (title: string): string => palette.bold(title);
  const sections: string[] = [];
  const namespace = object.metadata.namespace === undefined ? '' : ` -n ${object.metadata.namespace}`;
  const created = object.metadata.creationTimestamp;
  const head = [
    `${palette.bold(`${object.kind}/${object.metadata.name}`)}${namespace}  ${healthText(palette, health)}`,
    created === undefined ? '' : `  created ${created} (${formatAge(now - (timeMs(created) ?? now))} ago)`,
    pairs('labels', object.metadata.labels),
    pairs('annotations', trimmedAnnotations(object.metadata.annotations)),
    ...(object.metadata.ownerReferences ?? []).map((owner) => `  owned by ${owner.kind}/${owner.name}`),
  ].filter((line) => line !== '');
  sections.push(head.join('\n'));
  const status = statusLines(object);
  if (status.length > 0) sections.push(`${heading('STATUS')}\n${status.join('\n')}`);
  if (object.kind === 'Pod') sections.push(`${heading('CONTAINERS')}\n${containersTable(object)}`);
  sections.push(
    `${heading('FINDINGS')}\n${
      document.findings.length === 0
        ? '  none'
        : document.findings.map((f) => findingLine(palette, f, document.rootCauses)).join('\n')
    }`,
  );
  sections.push(
    `${heading('NEIGHBOURS')}\n${neighbourLines(palette, 'depends on', document.neighbours.upstream)}\n${neighbourLines(palette, 'used by', document.neighbours.downstream)}`,
  );
  sections.push(
    `${heading('EVENTS')}\n${renderEventsText(document.events, { palette, wide: false }).trimEnd()}`,
  );
  if (document.notes !== undefined && document.notes.length > 0)
    sections.push(
      `${heading('NOTES')}\n${document.notes.map((note) => `  ${note.at}  ${note.author}: ${note.text}`).join('\n')}`,
    );
  return `${sections.join('\n\n')}\n`;
}

function healthText(palette: Palette, health: Health): string {
  return paintHealth(
    palette,
    health.state,
    health.reason === undefined ? health.state : `${health.state} (${health.reason})`,
  );
}

function pairs(label: string, map: Readonly<Record<string, string>> | undefined): string {
  const entries = Object.entries(map ?? {});
  return entries.length === 0 ? '' : `  ${label}: ${entries.map(([k, v]) => `${k}=${v}`).join(', ')}`;
}

/** Annotations without last-applied-configuration (a copy of the spec) and with long values cut. */
function trimmedAnnotations(
  annotations: Readonly<Record<string, string>> | undefined,
): Record<string, string> {
  return Object.fromEntries(
    Object.entries(annotations ?? {})
      .filter(([key]) => key !== 'kubectl.kubernetes.io/last-applied-configuration')
      .map(([key, value]) => [
        key,
        value.length > SHOWN_ANNOTATION_LENGTH ? `${value.slice(0, SHOWN_ANNOTATION_LENGTH - 1)}…` : value,
      ]),
  );
}

function statusLines(object: KubeObject): string[] {
  const status = (object as { status?: Record<string, unknown> }).status;
  if (status === undefined) return [];
  const counts = Object.entries(status)
    .filter(([, value]) => typeof value === 'number' || typeof value === 'string')
    .map(([key, value]) => `${key}=${String(value)}`);
  const conditions = (Array.isArray(status.conditions) ? (status.conditions as Condition[]) : []).map(
    (c) =>
      `  ${c.type}=${c.status}${c.reason === undefined ? '' : ` ${c.reason}`}${c.message === undefined || c.message === '' ? '' : `: ${c.message}`}`,
  );
  return [...(counts.length === 0 ? [] : [`  ${counts.join('  ')}`]), ...conditions];
}

function containersTable(pod: Pod): string {
  const statuses = new Map<string, ContainerStatus>(
    [...(pod.status?.initContainerStatuses ?? []), ...(pod.status?.containerStatuses ?? [])].map((s) => [
      s.name,
      s,
    ]),
  );
  const rows = [
    ...(pod.spec?.initContainers ?? []).map((c) => ({ c, init: true })),
    ...(pod.spec?.containers ?? []).map((c) => ({ c, init: false })),
  ].map(({ c, init }) => {
    const s = statuses.get(c.name);
    const state = s?.state?.waiting
      ? `waiting ${s.state.waiting.reason ?? ''}${s.state.waiting.message === undefined ? '' : `: ${s.state.waiting.message}`}`
      : s?.state?.terminated
        ? `terminated ${s.state.terminated.reason ?? ''} (exit ${String(s.state.terminated.exitCode ?? '?')})`
        : s?.state?.running
          ? 'running'
          : 'unknown';
    return [
      `${c.name}${init ? ' (init)' : ''}`,
      c.image ?? '',
      String(s?.ready ?? false),
      String(s?.restartCount ?? 0),
      state,
    ];
  });
  return formatTable([['NAME', 'IMAGE', 'READY', 'RESTARTS', 'STATE'], ...rows], '  ');
}

function findingLine(palette: Palette, finding: Finding, rootCauses: readonly string[]): string {
  const root = rootCauses.includes(
    `${finding.ruleId}|${formatRef(finding.resource, { withNamespace: true })}`,
  )
    ? palette.bold(' (root cause)')
    : '';
  const severity =
    finding.severity === 'critical'
      ? palette.red(`[${finding.severity}]`)
      : palette.yellow(`[${finding.severity}]`);
  return `  ${severity} ${formatRef(finding.resource)}: ${finding.message}${root}`;
}

function neighbourLines(palette: Palette, label: string, neighbours: readonly NeighbourDocument[]): string {
  if (neighbours.length === 0) return `  ${label}: nothing`;
  return [
    `  ${label}:`,
    ...neighbours.map(
      (n) => `    ${palette.dim(n.edges.join(', '))} ${formatRef(n.ref)}  ${healthText(palette, n.health)}`,
    ),
  ].join('\n');
}
