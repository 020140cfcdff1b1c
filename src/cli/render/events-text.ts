import { formatAge } from '../../core/duration.js';
import type { EventRecord } from '../../core/event-record.js';
import { formatRef } from '../../core/resource-ref.js';
import type { FoldedEvent } from '../../events/event-digest.js';
import type { EventsDocument } from './events-document.js';
import type { Palette } from './palette.js';
import { formatTable } from './table.js';

export interface EventsTextOptions {
  readonly palette: Palette;
  /** Full messages, object names and reporting component. */
  readonly wide: boolean;
}

const MESSAGE_WIDTH = 140;

/**
 * One block per top-level object, Warnings first, each fold on one line:
 *
 *     Deployment/api -n shop
 *       LAST  FIRST  COUNT  TYPE     REASON   OBJECTS  MESSAGE
 *       2m    40m    24     Warning  BackOff  3 pods   Back-off restarting failed container api in pod …
 */
export function renderEventsText(document: EventsDocument, options: EventsTextOptions): string {
  const now = Date.parse(document.capturedAt);
  const { palette } = options;
  const blocks = document.groups.map((group) => {
    const namespace = group.object.namespace === undefined ? '' : ` -n ${group.object.namespace}`;
    const header = [
      'LAST',
      'FIRST',
      'COUNT',
      'TYPE',
      'REASON',
      'OBJECTS',
      ...(options.wide ? ['SOURCE'] : []),
      'MESSAGE',
    ];
    const rows = group.events.map((event) => [
      age(now, event.lastSeen),
      age(now, event.firstSeen),
      String(event.count),
      event.type === 'Warning' ? palette.yellow(event.type) : event.type,
      event.reason,
      objectsCell(event, options.wide),
      ...(options.wide ? [event.source ?? ''] : []),
      options.wide ? event.message : truncate(event.message),
    ]);
    return `${palette.bold(formatRef(group.object))}${namespace}\n${formatTable([header.map((h) => palette.dim(h)), ...rows], '  ')}`;
  });
  const notes: string[] = [];
  if (document.hiddenRoutine > 0)
    notes.push(`${document.hiddenRoutine} routine events hidden (--all shows them)`);
  if (document.hiddenOld > 0) notes.push(`${document.hiddenOld} events older than --since left out`);
  const body = blocks.length === 0 ? 'No events to show.' : blocks.join('\n\n');
  return `${body}\n${notes.length === 0 ? '' : `\n${palette.dim(notes.join('; '))}\n`}`;
}

/** One followed event (`events -w`), as a line. */
export function renderFollowedEvent(event: EventRecord, palette: Palette): string {
  const when = event.lastSeen ?? new Date().toISOString();
  const object = formatRef(event.involved, { withNamespace: true });
  const type = event.type === 'Warning' ? palette.yellow(event.type) : event.type;
  const count = event.count > 1 ? ` (x${event.count})` : '';
  return `${when}  ${type}  ${event.reason}  ${object}${count}  ${event.message}\n`;
}

function objectsCell(event: FoldedEvent, wide: boolean): string {
  if (wide) return event.objects.map((ref) => formatRef(ref)).join(',');
  const [only] = event.objects;
  if (event.objects.length === 1 && only !== undefined) return formatRef(only);
  const kinds = new Set(event.objects.map((ref) => ref.kind));
  const [kind] = kinds;
  return kinds.size === 1 && kind !== undefined
    ? `${event.objects.length} ${kind.toLowerCase()}s`
    : `${event.objects.length} objects`;
}

function age(now: number, time: string | undefined): string {
  if (time === undefined) return '-';
  const then = Date.parse(time);
  return Number.isNaN(then) ? '-' : formatAge(now - then);
}

function truncate(message: string): string {
  const line = message.replaceAll('\n', ' ');
  return line.length > MESSAGE_WIDTH ? `${line.slice(0, MESSAGE_WIDTH - 1)}…` : line;
}
