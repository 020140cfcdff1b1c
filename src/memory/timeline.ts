import type { Change } from '../core/change.js';
import { refKey, type ResourceRef } from '../core/resource-ref.js';
import {
  changeOf,
  type MemoryStore,
  type Note,
  type StoredEvent,
  type TimeRange,
} from '../store/memory-store.js';
import { relatedObjects } from './related-objects.js';

/** One line of a timeline: a recorded change, an event (repeats folded), or a note. */
export type TimelineEntry =
  | { readonly type: 'change'; readonly atMs: number; readonly change: Change }
  | { readonly type: 'event'; readonly atMs: number; readonly event: StoredEvent }
  | { readonly type: 'note'; readonly atMs: number; readonly note: Note };

export interface TimelineQuery {
  readonly object: ResourceRef;
  readonly range: TimeRange;
  /** Also the objects related to it through the dependency graph (see related-objects.ts). */
  readonly related?: boolean;
}

/**
 * The deterministic change log of an object (and, with `related`, of its neighbours), with its
 * events and notes, oldest first; ties keep changes before events before notes.
 */
export async function timelineOf(store: MemoryStore, query: TimelineQuery): Promise<TimelineEntry[]> {
  const { object, range } = query;
  const namespace = object.namespace;
  let changes: Change[];
  let events: StoredEvent[];
  let notes: Note[];
  if (query.related === true) {
    const keys = await relatedObjects(store, object, {
      range,
      ...(namespace === undefined ? {} : { namespace }),
    });
    changes = (await store.changesBetween(range, namespace))
      .filter((c) => keys.has(refKey(c.object)))
      .map(changeOf);
    events = (await store.eventsBetween(range, namespace)).filter((e) => keys.has(refKey(e.involved)));
    notes = (await store.notesBetween(range, namespace)).filter((n) => keys.has(refKey(n.object)));
  } else {
    changes = (await store.changesOf(object, range)).map(changeOf);
    events = await store.eventsAbout(object, range);
    notes = (await store.notesOf(object)).filter((n) => n.atMs >= range.from && n.atMs <= range.to);
  }
  const entries: TimelineEntry[] = [
    ...changes.map((change) => ({ type: 'change' as const, atMs: Date.parse(change.at), change })),
    ...events.map((event) => ({ type: 'event' as const, atMs: event.firstMs, event })),
    ...notes.map((note) => ({ type: 'note' as const, atMs: note.atMs, note })),
  ];
  const order = { change: 0, event: 1, note: 2 } as const;
  // A stable sort: within a type, the store's own order stands.
  return entries.sort((a, b) => sortMs(a) - sortMs(b) || order[a.type] - order[b.type]);
}

/**
 * Where an entry sorts. Events carry whole seconds: one at 03:02:10 happened somewhere in that
 * second, so it goes after the changes recorded within it (to the millisecond), which it most
 * likely followed: a crash after the edit that caused it, not before.
 */
function sortMs(entry: TimelineEntry): number {
  return entry.type === 'event' && entry.atMs % 1000 === 0 ? entry.atMs + 999 : entry.atMs;
}
