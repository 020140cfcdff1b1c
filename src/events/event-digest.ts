import type { EventRecord } from '../core/event-record.js';
import { refKey, type ResourceRef } from '../core/resource-ref.js';
import { timeMs } from '../core/time.js';
import type { Snapshot } from '../core/snapshot.js';
import { isRoutine } from './noise.js';
import { topOwner } from './top-owner.js';

/** Several occurrences of one event, folded: the same reason and message on objects of one owner. */
export interface FoldedEvent {
  readonly type: string;
  readonly reason: string;
  /** The message, as the newest occurrence said it. */
  readonly message: string;
  /** Occurrences, summing `count`/`series.count` of every event folded in. */
  readonly count: number;
  readonly firstSeen?: string;
  readonly lastSeen?: string;
  /** The objects it happened to (each pod of a Deployment, say). */
  readonly objects: readonly ResourceRef[];
  readonly source?: string;
}

/** The events of one top-level object (a Deployment rather than each of its pods). */
export interface EventGroup {
  readonly object: ResourceRef;
  readonly events: readonly FoldedEvent[];
}

export interface DigestOptions {
  /** Keep routine Normal events. */
  readonly includeRoutine: boolean;
  /** Drop events last seen before this moment (epoch milliseconds). */
  readonly sinceMs?: number;
  /** Keep only events about these objects (by ref key); all when undefined. */
  readonly onlyObjects?: ReadonlySet<string>;
}

export interface EventDigest {
  readonly groups: readonly EventGroup[];
  /** Events left out as routine (shown with --all). */
  readonly hiddenRoutine: number;
  /** Events left out as older than --since. */
  readonly hiddenOld: number;
}

/**
 * Turns raw events into what a person reads during an incident: Warnings first, repeats folded
 * into one line with count and first/last seen, grouped under the top owning object, routine churn
 * hidden. Pure: the snapshot supplies ownership.
 */
export function digestEvents(
  events: readonly EventRecord[],
  snapshot: Snapshot,
  options: DigestOptions,
): EventDigest {
  let hiddenRoutine = 0;
  let hiddenOld = 0;
  const groups = new Map<string, { object: ResourceRef; folds: Map<string, Fold> }>();
  for (const event of events) {
    if (options.onlyObjects !== undefined && !options.onlyObjects.has(refKey(involvedRef(event)))) continue;
    if (
      options.sinceMs !== undefined &&
      (timeMs(event.lastSeen) ?? Number.NEGATIVE_INFINITY) < options.sinceMs
    ) {
      hiddenOld++;
      continue;
    }
    if (!options.includeRoutine && isRoutine(event)) {
      hiddenRoutine++;
      continue;
    }
    const owner = topOwner(involvedRef(event), snapshot, event.involved.uid);
    const groupKey = refKey(owner);
    let group = groups.get(groupKey);
    if (group === undefined) {
      group = { object: owner, folds: new Map() };
      groups.set(groupKey, group);
    }
    const foldKey = `${event.type}|${event.reason}|${normalise(event.message, event.involved.name)}`;
    const fold = group.folds.get(foldKey);
    if (fold === undefined) group.folds.set(foldKey, newFold(event));
    else addTo(fold, event);
  }
  const digestGroups = [...groups.values()].map(({ object, folds }) => ({
    object,
    events: [...folds.values()].map(finish).sort(byImportance),
  }));
  digestGroups.sort((a, b) => byImportance(a.events[0], b.events[0]));
  return { groups: digestGroups, hiddenRoutine, hiddenOld };
}

interface Fold {
  type: string;
  reason: string;
  message: string;
  count: number;
  firstSeen: string | undefined;
  lastSeen: string | undefined;
  objects: Map<string, ResourceRef>;
  source: string | undefined;
}

function newFold(event: EventRecord): Fold {
  const ref = involvedRef(event);
  return {
    type: event.type,
    reason: event.reason,
    message: event.message,
    count: event.count,
    firstSeen: event.firstSeen,
    lastSeen: event.lastSeen,
    objects: new Map([[refKey(ref), ref]]),
    source: event.source,
  };
}

function addTo(fold: Fold, event: EventRecord): void {
  fold.count += event.count;
  const first = timeMs(event.firstSeen);
  const foldFirst = timeMs(fold.firstSeen);
  if (first !== undefined && (foldFirst === undefined || first < foldFirst)) fold.firstSeen = event.firstSeen;
  const last = timeMs(event.lastSeen);
  const foldLast = timeMs(fold.lastSeen);
  if (last !== undefined && (foldLast === undefined || last >= foldLast)) {
    fold.lastSeen = event.lastSeen;
    fold.message = event.message;
  }
  const ref = involvedRef(event);
  fold.objects.set(refKey(ref), ref);
  fold.source ??= event.source;
}

function finish(fold: Fold): FoldedEvent {
  return {
    type: fold.type,
    reason: fold.reason,
    message: fold.message,
    count: fold.count,
    ...(fold.firstSeen === undefined ? {} : { firstSeen: fold.firstSeen }),
    ...(fold.lastSeen === undefined ? {} : { lastSeen: fold.lastSeen }),
    objects: [...fold.objects.values()],
    ...(fold.source === undefined ? {} : { source: fold.source }),
  };
}

/** Warnings before Normal events; then the most recent first. */
function byImportance(a: FoldedEvent | undefined, b: FoldedEvent | undefined): number {
  const warning = (event: FoldedEvent | undefined): number => (event?.type === 'Warning' ? 0 : 1);
  return warning(a) - warning(b) || (timeMs(b?.lastSeen) ?? 0) - (timeMs(a?.lastSeen) ?? 0);
}

/** The message with what differs between sibling pods (their name, uids) taken out, for folding. */
function normalise(message: string, objectName: string): string {
  return (
    message
      .replaceAll(objectName, '<object>')
      // "Created pod: api-6f7d9c8b5d-2xk9p" on the ReplicaSet: the child's generated suffix differs.
      .replace(/<object>-[a-z0-9]{5}\b/g, '<object>-*')
      .replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g, '<uid>')
  );
}

function involvedRef(event: EventRecord): ResourceRef {
  const { kind, namespace, name } = event.involved;
  return namespace === undefined ? { kind, name } : { kind, namespace, name };
}
