import { sql, type Kysely, type Transaction } from 'kysely';
import type { EventRecord } from '../../core/event-record.js';
import type { ResourceRef } from '../../core/resource-ref.js';
import { timeMs } from '../../core/time.js';
import type { StoredEvent, TimeRange } from '../memory-store.js';
import type { EventsTable, StoreSchema } from '../schema.js';
import { ROWS_PER_INSERT } from './rows-per-insert.js';

/** Adds events, or folds them into the rows they repeat. Returns how many were written. */
export async function upsertEvents(
  trx: Transaction<StoreSchema>,
  records: readonly EventRecord[],
): Promise<number> {
  const events = records.map(eventRow);
  for (let i = 0; i < events.length; i += ROWS_PER_INSERT) {
    await trx
      .insertInto('events')
      .values(events.slice(i, i + ROWS_PER_INSERT))
      .onConflict((oc) =>
        oc.column('key').doUpdateSet((eb) => ({
          // The API server's count only grows; a stale copy arriving late must not lower it.
          count: sql<number>`case when ${eb.ref('excluded.count')} > ${eb.ref('events.count')} then ${eb.ref('excluded.count')} else ${eb.ref('events.count')} end`,
          last_ms: sql<number>`case when ${eb.ref('excluded.last_ms')} > ${eb.ref('events.last_ms')} then ${eb.ref('excluded.last_ms')} else ${eb.ref('events.last_ms')} end`,
          message: eb.ref('excluded.message'),
        })),
      )
      .execute();
  }
  return events.length;
}

/** The events about one object seen in a window, oldest first. */
export async function selectEventsAbout(
  db: Kysely<StoreSchema>,
  object: ResourceRef,
  range: TimeRange,
): Promise<StoredEvent[]> {
  const rows = await db
    .selectFrom('events')
    .selectAll()
    .where('involved_kind', '=', object.kind)
    .where('involved_namespace', '=', object.namespace ?? '')
    .where('involved_name', '=', object.name)
    .where('last_ms', '>=', range.from)
    .where('first_ms', '<=', range.to)
    .orderBy('first_ms')
    .orderBy('key')
    .execute();
  return rows.map(storedEvent);
}

/** Every event seen in a window (about objects in a namespace), oldest first. */
export async function selectEventsBetween(
  db: Kysely<StoreSchema>,
  range: TimeRange,
  namespace?: string,
): Promise<StoredEvent[]> {
  let query = db
    .selectFrom('events')
    .selectAll()
    .where('last_ms', '>=', range.from)
    .where('first_ms', '<=', range.to);
  if (namespace !== undefined) query = query.where('involved_namespace', '=', namespace);
  const rows = await query.orderBy('first_ms').orderBy('key').execute();
  return rows.map(storedEvent);
}

/** An event keeps its own identity (namespace/name of the Event object): the API server folds repeats into it. */
function eventRow(event: EventRecord): EventsTable {
  const first = timeMs(event.firstSeen) ?? timeMs(event.lastSeen) ?? 0;
  const last = timeMs(event.lastSeen) ?? first;
  return {
    key: `${event.namespace ?? ''}/${event.name}`,
    involved_kind: event.involved.kind,
    involved_namespace: event.involved.namespace ?? '',
    involved_name: event.involved.name,
    type: event.type,
    reason: event.reason,
    message: event.message,
    count: event.count,
    first_ms: first,
    last_ms: last,
  };
}

function storedEvent(row: EventsTable): StoredEvent {
  return {
    key: row.key,
    involved: {
      kind: row.involved_kind,
      ...(row.involved_namespace === '' ? {} : { namespace: row.involved_namespace }),
      name: row.involved_name,
    },
    type: row.type,
    reason: row.reason,
    message: row.message,
    count: row.count,
    firstMs: row.first_ms,
    lastMs: row.last_ms,
  };
}
