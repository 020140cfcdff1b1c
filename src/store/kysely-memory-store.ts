import type { Kysely } from 'kysely';
import { AppError } from '../core/errors.js';
import type { KubeObject } from '../core/kube-object.js';
import type { ResourceRef } from '../core/resource-ref.js';
import { insertChanges, selectChangesBetween, selectChangesOf } from './kysely/changes-table.js';
import {
  insertCheckpoints,
  selectCheckpointsBefore,
  selectCheckpointsBetween,
} from './kysely/checkpoints-table.js';
import { saveCursors, selectCursor, selectCursorScopes } from './kysely/cursors-table.js';
import { selectEventsAbout, selectEventsBetween, upsertEvents } from './kysely/events-table.js';
import { insertImportedScopes, readOrMakeDigestKey, selectImportedScopes } from './kysely/meta-table.js';
import { insertNote, selectNotesBetween, selectNotesOf } from './kysely/notes-table.js';
import { selectObjectIds } from './kysely/objects-table.js';
import { pruneBefore } from './kysely/prune.js';
import { selectRecordedKinds } from './kysely/recorded-kinds.js';
import { postgresSizeBytes, sqliteSizeBytes } from './kysely/size-bytes.js';
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
import type { StoreSchema } from './schema.js';
import { StoreFullError } from './store-full-error.js';

/**
 * The memory store over Kysely: the same queries on SQLite and PostgreSQL, so one contract suite
 * proves both. `sizeBytes` is the one place the two differ. The queries live with their tables
 * (kysely/); this class is what writes through them: a recorded batch in one transaction, and a
 * failed write as one line naming the store.
 */
export class KyselyMemoryStore implements MemoryStore {
  readonly location: string;
  readonly #db: Kysely<StoreSchema>;
  readonly #dialect: StoreDialect;
  /** Rows of `objects` are never deleted, so an id, once known, stays right for the life of this process. */
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
      const changes = batch.changes ?? [];
      const objectIds = await selectObjectIds(
        trx,
        changes.map((change) => change.object),
        this.#objectIdCache,
      );
      const changesAdded = await insertChanges(trx, changes, objectIds);
      const eventsFolded = await upsertEvents(trx, batch.events ?? []);
      await saveCursors(trx, batch.cursors ?? {});
      return { changesAdded, eventsFolded };
    });
  }

  async changesOf(object: ResourceRef, range: TimeRange): Promise<StoredChange[]> {
    return selectChangesOf(this.#db, object, range);
  }

  async changesBetween(range: TimeRange, namespace?: string): Promise<StoredChange[]> {
    return selectChangesBetween(this.#db, range, namespace);
  }

  async checkpoint(atMs: number, objects: readonly KubeObject[]): Promise<void> {
    await this.#writing(() => insertCheckpoints(this.#db, atMs, objects));
  }

  async checkpointsBefore(atMs: number, namespace?: string): Promise<CheckpointObject[]> {
    return selectCheckpointsBefore(this.#db, atMs, namespace);
  }

  async checkpointsBetween(range: TimeRange, namespace?: string): Promise<CheckpointObject[]> {
    return selectCheckpointsBetween(this.#db, range, namespace);
  }

  async eventsAbout(object: ResourceRef, range: TimeRange): Promise<StoredEvent[]> {
    return selectEventsAbout(this.#db, object, range);
  }

  async eventsBetween(range: TimeRange, namespace?: string): Promise<StoredEvent[]> {
    return selectEventsBetween(this.#db, range, namespace);
  }

  async addNote(note: Note): Promise<void> {
    await this.#writing(() => insertNote(this.#db, note));
  }

  async notesOf(object: ResourceRef): Promise<Note[]> {
    return selectNotesOf(this.#db, object);
  }

  async notesBetween(range: TimeRange, namespace?: string): Promise<Note[]> {
    return selectNotesBetween(this.#db, range, namespace);
  }

  async cursor(scope: string): Promise<string | undefined> {
    return selectCursor(this.#db, scope);
  }

  async recordedKinds(): Promise<RecordedKind[]> {
    return selectRecordedKinds(this.#db);
  }

  async scopes(): Promise<string[]> {
    const recorded = await selectCursorScopes(this.#db);
    const imported = await selectImportedScopes(this.#db);
    return [...new Set([...recorded, ...imported])].sort();
  }

  async addImportedScopes(scopes: readonly string[]): Promise<void> {
    if (scopes.length === 0) return;
    await this.#writing(() => insertImportedScopes(this.#db, scopes));
  }

  async digestKey(): Promise<string> {
    return readOrMakeDigestKey(this.#db);
  }

  async prune(beforeMs: number): Promise<PruneResult> {
    return this.#writing(() => pruneBefore(this.#db, beforeMs));
  }

  sizeBytes(): Promise<number> {
    return this.#dialect === 'sqlite' ? sqliteSizeBytes(this.#db) : postgresSizeBytes(this.#db);
  }

  async close(): Promise<void> {
    await this.#db.destroy();
  }
}
