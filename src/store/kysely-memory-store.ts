import { randomBytes } from 'node:crypto';
import { sql, type Kysely, type Selectable, type Transaction } from 'kysely';
import type { Change, ChangedObject } from '../core/change.js';
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
  RecordedKind,
  RecordResult,
  StoredChange,
  StoredEvent,
  TimeRange,
} from './memory-store.js';
import type { StoreDialect } from './migrations.js';
import { packJson, unpackJson } from './packed-json.js';
import type { ChangeBody, ChangesTable, EventsTable, NotesTable, StoreSchema } from './schema.js';

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
  readonly #objectIdCache = new Map<string, number>();

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
      const changes = batch.changes ?? [];
      const objectIds = await this.#objectIds(
        trx,
        changes.map((change) => change.object),
      );
      const rows = changes.map((change) => changeRow(change, objectIds));
      for (let i = 0; i < rows.length; i += CHUNK) {
        const result = await trx
          .insertInto('changes')
          .values(rows.slice(i, i + CHUNK))
          .onConflict((oc) => oc.columns(['object_id', 'resource_version', 'action']).doNothing())
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

  /**
   * The `objects` row of each object (identity key → id), added when new. Rows are never deleted,
   * so an id, once known, stays right for the life of this process: it is remembered.
   */
  async #objectIds(
    trx: Transaction<StoreSchema>,
    objects: readonly ChangedObject[],
  ): Promise<ReadonlyMap<string, number>> {
    const missing = new Map<string, ObjectIdentity>();
    for (const object of objects) {
      const identity = identityOf(object);
      const key = identityKey(identity);
      if (!this.#objectIdCache.has(key)) missing.set(key, identity);
    }
    const wanted = [...missing.values()];
    for (let i = 0; i < wanted.length; i += CHUNK) {
      const chunk = wanted.slice(i, i + CHUNK);
      await trx
        .insertInto('objects')
        .values(chunk)
        .onConflict((oc) => oc.columns(['kind', 'namespace', 'name', 'uid']).doNothing())
        .execute();
      const rows = await trx
        .selectFrom('objects')
        .select(['id', 'kind', 'namespace', 'name', 'uid'])
        .where((eb) =>
          eb(
            eb.refTuple('kind', 'namespace', 'name', 'uid'),
            'in',
            chunk.map((o) => eb.tuple(o.kind, o.namespace, o.name, o.uid)),
          ),
        )
        .execute();
      for (const row of rows) this.#objectIdCache.set(identityKey(row), row.id);
    }
    return this.#objectIdCache;
  }

  async changesOf(object: ResourceRef, range: TimeRange): Promise<StoredChange[]> {
    const rows = await this.#changesWithObjects()
      .where('o.kind', '=', object.kind)
      .where('o.namespace', '=', object.namespace ?? '')
      .where('o.name', '=', object.name)
      .where('c.at_ms', '>=', range.from)
      .where('c.at_ms', '<=', range.to)
      .orderBy('c.at_ms')
      .orderBy('c.id')
      .execute();
    return rows.map(storedChange);
  }

  async changesBetween(range: TimeRange, namespace?: string): Promise<StoredChange[]> {
    let query = this.#changesWithObjects()
      .where('c.at_ms', '>=', range.from)
      .where('c.at_ms', '<=', range.to);
    if (namespace !== undefined) query = query.where('o.namespace', '=', namespace);
    const rows = await query.orderBy('c.at_ms').orderBy('c.id').execute();
    return rows.map(storedChange);
  }

  #changesWithObjects() {
    return this.#db
      .selectFrom('changes as c')
      .innerJoin('objects as o', 'o.id', 'c.object_id')
      .select([
        'c.id',
        'c.at_ms',
        'o.kind',
        'o.namespace',
        'o.name',
        'o.uid',
        'c.resource_version',
        'c.action',
        'c.body',
      ]);
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
      body: packJson(object),
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
      .select(['c.at_ms', 'c.body'])
      .orderBy('c.kind')
      .orderBy('c.namespace')
      .orderBy('c.name')
      .execute();
    return rows.map((row) => ({ atMs: row.at_ms, object: unpackJson(row.body) as KubeObject }));
  }

  async checkpointsBetween(range: TimeRange, namespace?: string): Promise<CheckpointObject[]> {
    let query = this.#db
      .selectFrom('checkpoints')
      .select(['at_ms', 'body'])
      .where('at_ms', '>=', range.from)
      .where('at_ms', '<=', range.to);
    if (namespace !== undefined) query = query.where('namespace', '=', namespace);
    const rows = await query.orderBy('at_ms').orderBy('id').execute();
    return rows.map((row) => ({ atMs: row.at_ms, object: unpackJson(row.body) as KubeObject }));
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

  async recordedKinds(): Promise<RecordedKind[]> {
    const kindsIn = (table: 'objects' | 'checkpoints') =>
      this.#db
        .selectFrom(table)
        .select([
          'kind',
          sql<number | string>`max(case when namespace = '' then 0 else 1 end)`.as('namespaced'),
        ])
        .groupBy('kind')
        .execute();
    const namespaced = new Map<string, boolean>();
    for (const row of [...(await kindsIn('objects')), ...(await kindsIn('checkpoints'))]) {
      namespaced.set(row.kind, (namespaced.get(row.kind) ?? false) || Number(row.namespaced) === 1);
    }
    return [...namespaced]
      .map(([kind, inNamespaces]) => ({ kind, namespaced: inNamespaces }))
      .sort((a, b) => a.kind.localeCompare(b.kind));
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
      // A changes row names its object through `objects`; a checkpoint row names it itself.
      const named = (table: PrunedTable, column: 'kind' | 'namespace' | 'name') =>
        table === 'checkpoints'
          ? sql.ref(`checkpoints.${column}`)
          : sql`(select ${sql.ref(`o.${column}`)} from objects o where o.id = changes.object_id)`;
      const sameObject = (table: PrunedTable, kind: string, namespace: string, name: string) =>
        sql<boolean>`${sql.ref(kind)} = ${named(table, 'kind')} and ${sql.ref(namespace)} = ${named(table, 'namespace')} and ${sql.ref(name)} = ${named(table, 'name')}`;
      const newestCheckpoint = (table: PrunedTable) =>
        sql<number>`(select max(c.at_ms) from checkpoints c where ${sameObject(table, 'c.kind', 'c.namespace', 'c.name')} and c.at_ms <= ${beforeMs})`;
      // And an object deleted before the cutoff needs nothing from before its deletion.
      const deletedAfter = (table: PrunedTable) =>
        sql<boolean>`exists (select 1 from changes d join objects od on od.id = d.object_id where ${sameObject(table, 'od.kind', 'od.namespace', 'od.name')} and d.action = 'deleted' and d.at_ms < ${beforeMs} and d.at_ms >= ${sql.ref(`${table}.at_ms`)})`;
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

interface ObjectIdentity {
  readonly kind: string;
  readonly namespace: string;
  readonly name: string;
  readonly uid: string;
}

function identityOf(object: ChangedObject): ObjectIdentity {
  return { kind: object.kind, namespace: object.namespace ?? '', name: object.name, uid: object.uid ?? '' };
}

function identityKey(identity: ObjectIdentity): string {
  return JSON.stringify([identity.kind, identity.namespace, identity.name, identity.uid]);
}

function changeRow(change: Change, objectIds: ReadonlyMap<string, number>): Omit<ChangesTable, 'id'> {
  const at = timeMs(change.at);
  if (at === undefined) throw new Error(`change time ${change.at} is not a time`);
  const objectId = objectIds.get(identityKey(identityOf(change.object)));
  if (objectId === undefined)
    throw new Error(`no objects row for ${change.object.kind}/${change.object.name}`);
  return {
    at_ms: at,
    object_id: objectId,
    resource_version: change.resourceVersion ?? '',
    action: change.action,
    body: packJson({
      fields: change.fields,
      summary: change.summary,
      ...(change.actor === undefined ? {} : { actor: change.actor }),
      ...(change.reason === undefined ? {} : { reason: change.reason }),
    } satisfies ChangeBody),
  };
}

/** A change row joined with its object. */
interface ChangeWithObject extends ObjectIdentity {
  readonly id: number;
  readonly at_ms: number;
  readonly resource_version: string;
  readonly action: string;
  readonly body: Uint8Array;
}

function storedChange(row: ChangeWithObject): StoredChange {
  const body = unpackJson(row.body) as ChangeBody;
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
    fields: body.fields,
    summary: body.summary,
    ...(body.actor === undefined ? {} : { actor: body.actor }),
    ...(body.reason === undefined ? {} : { reason: body.reason }),
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
