import type { Change } from '../core/change.js';
import type { EventRecord } from '../core/event-record.js';
import type { KubeObject } from '../core/kube-object.js';
import type { ResourceRef } from '../core/resource-ref.js';

/** A time window in epoch milliseconds, `from` inclusive, `to` inclusive. */
export interface TimeRange {
  readonly from: number;
  readonly to: number;
}

/** A change as stored: with its id, which orders changes recorded in the same millisecond. */
export type StoredChange = Change & { readonly id: number };

/** The change as the recorder made it, without the store's id. */
export function changeOf(stored: StoredChange): Change {
  return Object.fromEntries(Object.entries(stored).filter(([field]) => field !== 'id')) as unknown as Change;
}

/** An event as kept: folded repeats, times in epoch milliseconds. */
export interface StoredEvent {
  readonly key: string;
  readonly involved: ResourceRef;
  readonly type: string;
  readonly reason: string;
  readonly message: string;
  readonly count: number;
  readonly firstMs: number;
  readonly lastMs: number;
}

export interface Note {
  readonly atMs: number;
  readonly object: ResourceRef;
  readonly author: string;
  readonly text: string;
}

/** What the recorder writes at once: all of it or none (a crash between batches loses nothing). */
export interface RecordBatch {
  readonly changes?: readonly Change[];
  readonly events?: readonly EventRecord[];
  /** Where each watch resumes once this batch is in: scope (`pods`, `deployments.apps`) → resourceVersion. */
  readonly cursors?: Readonly<Record<string, string>>;
}

export interface RecordResult {
  /** Changes stored now; a change seen before (same object, resourceVersion and action) is not. */
  readonly changesAdded: number;
  readonly eventsFolded: number;
}

/** An object's whole state at a checkpoint, redacted as the recorder wrote it. */
export interface CheckpointObject {
  readonly atMs: number;
  readonly object: KubeObject;
}

export interface PruneResult {
  readonly changes: number;
  readonly checkpoints: number;
  readonly events: number;
}

/** A kind a store holds objects of. */
export interface RecordedKind {
  readonly kind: string;
  readonly namespaced: boolean;
}

/**
 * The memory tier's storage port (DESIGN.md §6): one contract, two adapters (embedded SQLite and
 * PostgreSQL) over the same Kysely code. Everything stored is already redacted: the store never
 * sees a Secret value.
 */
export interface MemoryStore {
  /** Where it lives, for messages: a path, or a URL without its password. */
  readonly location: string;
  record(batch: RecordBatch): Promise<RecordResult>;
  /** One object's changes in a window, oldest first. */
  changesOf(object: ResourceRef, range: TimeRange): Promise<StoredChange[]>;
  /** Every change in a window, optionally in one namespace, oldest first. */
  changesBetween(range: TimeRange, namespace?: string): Promise<StoredChange[]>;
  /** Saves every object's whole state as of `atMs`: replay starts from the newest checkpoint before T. */
  checkpoint(atMs: number, objects: readonly KubeObject[]): Promise<void>;
  /** The newest checkpoint at or before `atMs` of each object (in a namespace), with when it was taken. */
  checkpointsBefore(atMs: number, namespace?: string): Promise<CheckpointObject[]>;
  /** Every checkpoint taken in a window (in a namespace), oldest first: what an export carries. */
  checkpointsBetween(range: TimeRange, namespace?: string): Promise<CheckpointObject[]>;
  eventsAbout(object: ResourceRef, range: TimeRange): Promise<StoredEvent[]>;
  eventsBetween(range: TimeRange, namespace?: string): Promise<StoredEvent[]>;
  addNote(note: Note): Promise<void>;
  notesOf(object: ResourceRef): Promise<Note[]>;
  /** Every note written in a window (in a namespace), oldest first. */
  notesBetween(range: TimeRange, namespace?: string): Promise<Note[]>;
  /** Where a watch resumes, if it ever recorded. */
  cursor(scope: string): Promise<string | undefined>;
  /**
   * Every scope (`pods`, `deployments.apps@shop`) the store holds a recording of: those it recorded
   * itself (with a cursor) and those an imported recording brought (without one: a recorder must
   * never resume from another cluster's resourceVersion).
   */
  scopes(): Promise<string[]>;
  /**
   * Each kind the store holds objects of, and whether they live in namespaces: how a custom kind
   * (`Widget`), which the CLI's registry does not know, is named back in a question.
   */
  recordedKinds(): Promise<RecordedKind[]>;
  /** Marks scopes as recorded by an imported recording. */
  addImportedScopes(scopes: readonly string[]): Promise<void>;
  /** The key Secret values are digested with: made once per store, never leaves it. */
  digestKey(): Promise<string>;
  /** Drops what is older than `beforeMs`, keeping each object's newest checkpoint before it. Notes stay. */
  prune(beforeMs: number): Promise<PruneResult>;
  /** Bytes the store holds (SQLite: pages in use; PostgreSQL: its tables and indexes). */
  sizeBytes(): Promise<number>;
  close(): Promise<void>;
}
