import { randomBytes } from 'node:crypto';
import { sql, type Kysely, type Selectable, type Transaction } from 'kysely';
import type { Change } from '../core/change.js';
import { AppError } from '../core/errors.js';
import { StoreFullError } from './store-full-error.js';
import type { EventRecord } from '../core/event-record.js';
import type { KubeObject } from '../core/kube-object.js';
import type { ResourceRef } from '../core/resource-ref.js';
import { timeMs } from '../core/time.js';
import type {
  CheckpointObject,
  MemoryStore,
  Note,
  PruneResult,
  RecordBatch,
  RecordResult,
  StoredChange,
  StoredEvent,
  TimeRange,
} from './memory-store.js';
import type { StoreDialect } from './migrations.js';
import type { ChangesTable, EventsTable, NotesTable, StoreSchema } from './schema.js';

/** Rows per INSERT: well under SQLite's bound-parameter limit with 12 columns a row. */
const CHUNK = 400;

/** The tables pruning removes rows from, object by object. */
type PrunedTable = 'changes' | 'checkpoints';
const DIGEST_KEY = 'secret-digest-key';
/** Meta keys of the scopes an imported recording covers. */
const IMPORTED_SCOPE = 'imported-scope:';

/**
 * The memory store over Kysely: the same queries on SQLite and PostgreSQL, so one contract suite
 * proves both. `sizeBytes` is the one place the two differ.
 */
export class KyselyMemoryStore implements MemoryStore {
  readonly location: string;
  readonly #db: Kysely<StoreSchema>;
  readonly #dialect: StoreDialect;

  constructor(options: {
    readonly db: Kysely<StoreSchema>;
    readonly dialect: StoreDialect;
    readonly location: string;
  }) {
    this.#db = options.db;
    this.#dialect = options.dialect;
    this.location = options.location;
  }

  /**
   * A write, with the database's failure (disk full, read-only, locked) as one line naming the
   * store. The write was a transaction: it happened whole or not at all, so nothing is corrupt.
   */
  async #writing<T>(write: () => Promise<T>): Promise<T> {
    try {
      return await write();
    } catch (error) {
      if (error instanceof AppError) throw error;
      const message = error instanceof Error ? error.message : String(error);
      if (/disk is full|no space left|SQLITE_FULL|could not extend file/i.test(message)) {
        throw new StoreFullError(
          `the memory store at ${this.location} is full (${message}); free disk space, lower --retention, or raise --max-size (what was written before is intact)`,
          { cause: error },
        );
      }
      throw new AppError(
        'store',
        `cannot write to the memory store at ${this.location}: ${message}; check the store and its permissions (what was written before is intact)`,
        { cause: error },
      );
    }
  }

  async record(batch: RecordBatch): Promise<RecordResult> {
    return this.#writing(() => this.#record(batch));
  }

  async #record(batch: RecordBatch): Promise<RecordResult> {
    return this.#db.transaction().execute(async (trx) => {
      let changesAdded = 0;
      const rows = (batch.changes ?? []).map(changeRow);
      for (let i = 0; i < rows.length; i += CHUNK) {
        const result = await trx
          .insertInto('changes')
          .values(rows.slice(i, i + CHUNK))
          .onConflict((oc) =>
            oc.columns(['kind', 'namespace', 'name', 'uid', 'resource_version', 'action']).doNothing(),
          )
          .executeTakeFirst();
        changesAdded += Number(result.numInsertedOrUpdatedRows ?? 0);
      }
      const events = (batch.events ?? []).map(eventRow);
      for (let i = 0; i < events.length; i += CHUNK) {
        await trx
          .insertInto('events')
          .values(events.slice(i, i + CHUNK))
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
      await saveCursors(trx, batch.cursors ?? {});
      return { changesAdded, eventsFolded: events.length };
    });
  }

  async changesOf(object: ResourceRef, range: TimeRange): Promise<StoredChange[]> {
    const rows = await this.#db
      .selectFrom('changes')
      .selectAll()
      .where('kind', '=', object.kind)
      .where('namespace', '=', object.namespace ?? '')
      .where('name', '=', object.name)
      .where('at_ms', '>=', range.from)
      .where('at_ms', '<=', range.to)
      .orderBy('at_ms')
      .orderBy('id')
      .execute();
    return rows.map(storedChange);
  }

  async changesBetween(range: TimeRange, namespace?: string): Promise<StoredChange[]> {
    let query = this.#db
      .selectFrom('changes')
      .selectAll()
      .where('at_ms', '>=', range.from)
      .where('at_ms', '<=', range.to);
    if (namespace !== undefined) query = query.where('namespace', '=', namespace);
    const rows = await query.orderBy('at_ms').orderBy('id').execute();
    return rows.map(storedChange);
  }

  async checkpoint(atMs: number, objects: readonly KubeObject[]): Promise<void> {
    await this.#writing(() => this.#checkpoint(atMs, objects));
  }

  async #checkpoint(atMs: number, objects: readonly KubeObject[]): Promise<void> {
    const rows = objects.map((object) => ({
      at_ms: atMs,
      kind: object.kind,
      namespace: object.metadata.namespace ?? '',
      name: object.metadata.name,
      uid: object.metadata.uid ?? '',
      resource_version: object.metadata.resourceVersion ?? '',
      object: JSON.stringify(object),
    }));
    await this.#db.transaction().execute(async (trx) => {
      for (let i = 0; i < rows.length; i += CHUNK)
        await trx
          .insertInto('checkpoints')
          .values(rows.slice(i, i + CHUNK))
          .execute();
    });
  }

  async checkpointsBefore(atMs: number, namespace?: string): Promise<CheckpointObject[]> {
    let newest = this.#db
      .selectFrom('checkpoints')
      .select(['kind', 'namespace', 'name'])
      .select((eb) => eb.fn.max('at_ms').as('newest'))
      .where('at_ms', '<=', atMs)
      .groupBy(['kind', 'namespace', 'name']);
    if (namespace !== undefined) newest = newest.where('namespace', '=', namespace);
    const rows = await this.#db
      .selectFrom('checkpoints as c')
      .innerJoin(newest.as('n'), (join) =>
        join
          .onRef('c.kind', '=', 'n.kind')
          .onRef('c.namespace', '=', 'n.namespace')
          .onRef('c.name', '=', 'n.name')
          .onRef('c.at_ms', '=', 'n.newest'),
      )
      .select(['c.at_ms', 'c.object'])
      .orderBy('c.kind')
      .orderBy('c.namespace')
      .orderBy('c.name')
      .execute();
    return rows.map((row) => ({ atMs: row.at_ms, object: JSON.parse(row.object) as KubeObject }));
  }

  async checkpointsBetween(range: TimeRange, namespace?: string): Promise<CheckpointObject[]> {
    let query = this.#db
      .selectFrom('checkpoints')
      .select(['at_ms', 'object'])
      .where('at_ms', '>=', range.from)
      .where('at_ms', '<=', range.to);
    if (namespace !== undefined) query = query.where('namespace', '=', namespace);
    const rows = await query.orderBy('at_ms').orderBy('id').execute();
    return rows.map((row) => ({ atMs: row.at_ms, object: JSON.parse(row.object) as KubeObject }));
  }

  async eventsAbout(object: ResourceRef, range: TimeRange): Promise<StoredEvent[]> {
    const rows = await this.#db
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

  async eventsBetween(range: TimeRange, namespace?: string): Promise<StoredEvent[]> {
    let query = this.#db
      .selectFrom('events')
      .selectAll()
      .where('last_ms', '>=', range.from)
      .where('first_ms', '<=', range.to);
    if (namespace !== undefined) query = query.where('involved_namespace', '=', namespace);
    const rows = await query.orderBy('first_ms').orderBy('key').execute();
    return rows.map(storedEvent);
  }

  async addNote(note: Note): Promise<void> {
    await this.#writing(() => this.#addNote(note));
  }

  async #addNote(note: Note): Promise<void> {
    await this.#db
      .insertInto('notes')
      .values({
        at_ms: note.atMs,
        kind: note.object.kind,
        namespace: note.object.namespace ?? '',
        name: note.object.name,
        author: note.author,
        text: note.text,
      })
      .execute();
  }

  async notesOf(object: ResourceRef): Promise<Note[]> {
    const rows = await this.#db
      .selectFrom('notes')
      .selectAll()
      .where('kind', '=', object.kind)
      .where('namespace', '=', object.namespace ?? '')
      .where('name', '=', object.name)
      .orderBy('at_ms')
      .orderBy('id')
      .execute();
    return rows.map(noteOfRow);
  }

  async notesBetween(range: TimeRange, namespace?: string): Promise<Note[]> {
    let query = this.#db
      .selectFrom('notes')
      .selectAll()
      .where('at_ms', '>=', range.from)
      .where('at_ms', '<=', range.to);
    if (namespace !== undefined) query = query.where('namespace', '=', namespace);
    const rows = await query.orderBy('at_ms').orderBy('id').execute();
    return rows.map(noteOfRow);
  }

  async cursor(scope: string): Promise<string | undefined> {
    const row = await this.#db
      .selectFrom('cursors')
      .select('resource_version')
      .where('scope', '=', scope)
      .executeTakeFirst();
    return row?.resource_version;
  }

  async scopes(): Promise<string[]> {
    const recorded = await this.#db.selectFrom('cursors').select('scope').execute();
    const imported = await this.#db
      .selectFrom('meta')
      .select('key')
      .where('key', 'like', `${IMPORTED_SCOPE}%`)
      .execute();
    const all = [
      ...recorded.map((row) => row.scope),
      ...imported.map((row) => row.key.slice(IMPORTED_SCOPE.length)),
    ];
    return [...new Set(all)].sort();
  }

  async addImportedScopes(scopes: readonly string[]): Promise<void> {
    if (scopes.length === 0) return;
    await this.#writing(() =>
      this.#db
        .insertInto('meta')
        .values(scopes.map((scope) => ({ key: `${IMPORTED_SCOPE}${scope}`, value: 'imported' })))
        .onConflict((oc) => oc.column('key').doNothing())
        .execute(),
    );
  }

  async digestKey(): Promise<string> {
    const read = async (): Promise<string | undefined> =>
      (await this.#db.selectFrom('meta').select('value').where('key', '=', DIGEST_KEY).executeTakeFirst())
        ?.value;
    const existing = await read();
    if (existing !== undefined) return existing;
    // Two processes opening a new store at once: the first insert wins, both read the winner.
    await this.#db
      .insertInto('meta')
      .values({ key: DIGEST_KEY, value: randomBytes(32).toString('hex') })
      .onConflict((oc) => oc.column('key').doNothing())
      .execute();
    const made = await read();
    if (made === undefined) throw new Error('the store lost its digest key');
    return made;
  }

  async prune(beforeMs: number): Promise<PruneResult> {
    return this.#writing(() => this.#prune(beforeMs));
  }

  async #prune(beforeMs: number): Promise<PruneResult> {
    return this.#db.transaction().execute(async (trx) => {
      // Per object: what its own newest checkpoint at or before the cutoff holds is no longer needed
      // to rebuild any moment after it (checkpoints may cover some kinds only: a kind first seen
      // later, one namespace). Without such a checkpoint, its changes are all replay has.
      const sameObject = (table: PrunedTable, other: string) =>
        sql<boolean>`${sql.ref(`${other}.kind`)} = ${sql.ref(`${table}.kind`)} and ${sql.ref(`${other}.namespace`)} = ${sql.ref(`${table}.namespace`)} and ${sql.ref(`${other}.name`)} = ${sql.ref(`${table}.name`)}`;
      const newestCheckpoint = (table: PrunedTable) =>
        sql<number>`(select max(c.at_ms) from checkpoints c where ${sameObject(table, 'c')} and c.at_ms <= ${beforeMs})`;
      // And an object deleted before the cutoff needs nothing from before its deletion.
      const deletedAfter = (table: PrunedTable) =>
        sql<boolean>`exists (select 1 from changes d where ${sameObject(table, 'd')} and d.action = 'deleted' and d.at_ms < ${beforeMs} and d.at_ms >= ${sql.ref(`${table}.at_ms`)})`;
      // Checkpoints first: the deletions that make them unneeded are among the changes pruned next.
      const checkpoints = Number(
        (
          await trx
            .deleteFrom('checkpoints')
            .where('at_ms', '<', beforeMs)
            .where((eb) =>
              eb.or([
                eb('at_ms', '<', newestCheckpoint('checkpoints')),
                eb(deletedAfter('checkpoints'), '=', true),
              ]),
            )
            .executeTakeFirst()
        ).numDeletedRows,
      );
      const changes = Number(
        (
          await trx
            .deleteFrom('changes')
            .where('at_ms', '<', beforeMs)
            .where((eb) =>
              eb.or([eb('at_ms', '<', newestCheckpoint('changes')), eb(deletedAfter('changes'), '=', true)]),
            )
            .executeTakeFirst()
        ).numDeletedRows,
      );
      const events = Number(
        (await trx.deleteFrom('events').where('last_ms', '<', beforeMs).executeTakeFirst()).numDeletedRows,
      );
      return { changes, checkpoints, events };
    });
  }

  sizeBytes(): Promise<number> {
    return this.#dialect === 'sqlite' ? this.#sqliteSize() : this.#postgresSize();
  }

  /** Pages in use, not the file: pruned pages stay in the file for reuse, and count for nothing. */
  async #sqliteSize(): Promise<number> {
    const pragma = async (name: string): Promise<number> => {
      const result = await sql<Record<string, unknown>>`${sql.raw(`pragma ${name}`)}`.execute(this.#db);
      return Number(Object.values(result.rows[0] ?? {})[0] ?? 0);
    };
    const pages = (await pragma('page_count')) - (await pragma('freelist_count'));
    return pages * (await pragma('page_size'));
  }

  async close(): Promise<void> {
    await this.#db.destroy();
  }

  async #postgresSize(): Promise<number> {
    const result = await sql<{ bytes: number }>`
      select coalesce(sum(pg_total_relation_size(c.oid)), 0)::bigint as bytes
      from pg_class c join pg_namespace n on n.oid = c.relnamespace
      where n.nspname = current_schema()
        and c.relkind = 'r'
        and c.relname in ('changes', 'checkpoints', 'events', 'notes', 'cursors', 'meta')
    `.execute(this.#db);
    return result.rows[0]?.bytes ?? 0;
  }
}

async function saveCursors(
  trx: Transaction<StoreSchema>,
  cursors: Readonly<Record<string, string>>,
): Promise<void> {
  const now = Date.now();
  for (const [scope, resourceVersion] of Object.entries(cursors))
    await trx
      .insertInto('cursors')
      .values({ scope, resource_version: resourceVersion, updated_ms: now })
      .onConflict((oc) =>
        oc.column('scope').doUpdateSet({ resource_version: resourceVersion, updated_ms: now }),
      )
      .execute();
}

function changeRow(change: Change): Omit<ChangesTable, 'id'> {
  const at = timeMs(change.at);
  if (at === undefined) throw new Error(`change time ${change.at} is not a time`);
  return {
    at_ms: at,
    kind: change.object.kind,
    namespace: change.object.namespace ?? '',
    name: change.object.name,
    uid: change.object.uid ?? '',
    resource_version: change.resourceVersion ?? '',
    action: change.action,
    fields: JSON.stringify(change.fields),
    summary: JSON.stringify(change.summary),
    actor: change.actor === undefined ? null : JSON.stringify(change.actor),
    reason: change.reason === undefined ? null : JSON.stringify(change.reason),
  };
}

function storedChange(row: Selectable<ChangesTable>): StoredChange {
  return {
    id: row.id,
    at: new Date(row.at_ms).toISOString(),
    object: {
      kind: row.kind,
      ...(row.namespace === '' ? {} : { namespace: row.namespace }),
      name: row.name,
      ...(row.uid === '' ? {} : { uid: row.uid }),
    },
    ...(row.resource_version === '' ? {} : { resourceVersion: row.resource_version }),
    action: row.action as Change['action'],
    fields: JSON.parse(row.fields) as Change['fields'],
    summary: JSON.parse(row.summary) as Change['summary'],
    ...(row.actor === null ? {} : { actor: JSON.parse(row.actor) as NonNullable<Change['actor']> }),
    ...(row.reason === null ? {} : { reason: JSON.parse(row.reason) as NonNullable<Change['reason']> }),
  };
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

function noteOfRow(row: Selectable<NotesTable>): Note {
  return { atMs: row.at_ms, object: refOfRow(row), author: row.author, text: row.text };
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

function refOfRow(row: { kind: string; namespace: string; name: string }): ResourceRef {
  return row.namespace === ''
    ? { kind: row.kind, name: row.name }
    : { kind: row.kind, namespace: row.namespace, name: row.name };
}
