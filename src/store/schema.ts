import type { Generated } from 'kysely';
import type { Change } from '../core/change.js';

/**
 * The tables of the memory store, as Kysely sees them; the same on SQLite and PostgreSQL. Times
 * are epoch milliseconds (bigint columns, read back as numbers); optional names are '' rather than
 * NULL so they take part in equality and in unique indexes; structured parts are packed JSON
 * (packed-json.ts), or JSON text where they are small.
 */
export interface StoreSchema {
  objects: ObjectsTable;
  changes: ChangesTable;
  checkpoints: CheckpointsTable;
  events: EventsTable;
  notes: NotesTable;
  cursors: CursorsTable;
  meta: MetaTable;
}

/** What a change row packs into `body`: all of the change but its identity and time. */
export type ChangeBody = Pick<Change, 'fields' | 'summary' | 'actor' | 'reason'>;

/** Every object a change was recorded of, once: changes point here instead of repeating it. */
export interface ObjectsTable {
  id: Generated<number>;
  kind: string;
  namespace: string;
  name: string;
  uid: string;
}

/** One recorded change of one object: the diff, never the whole object. */
export interface ChangesTable {
  id: Generated<number>;
  at_ms: number;
  object_id: number;
  resource_version: string;
  action: string;
  /** The change's fields, summary, actor and reason as packed JSON (packed-json.ts): a ChangeBody. */
  body: Uint8Array;
}

/** An object's whole (redacted) state at a checkpoint: where replay starts before applying changes. */
export interface CheckpointsTable {
  id: Generated<number>;
  at_ms: number;
  kind: string;
  namespace: string;
  name: string;
  uid: string;
  resource_version: string;
  /** The whole object as packed JSON (packed-json.ts). */
  body: Uint8Array;
}

/** A Kubernetes event kept past its one-hour life; repeats fold into count and last_ms. */
export interface EventsTable {
  key: string;
  involved_kind: string;
  involved_namespace: string;
  involved_name: string;
  type: string;
  reason: string;
  message: string;
  count: number;
  first_ms: number;
  last_ms: number;
}

/** Institutional knowledge kept with an object (`kubectl smart note`). */
export interface NotesTable {
  id: Generated<number>;
  at_ms: number;
  kind: string;
  namespace: string;
  name: string;
  author: string;
  text: string;
}

/** Where a watch of one kind resumes: its last resourceVersion. */
export interface CursorsTable {
  scope: string;
  resource_version: string;
  updated_ms: number;
}

/** Store-wide settings: schema facts, the Secret digest key. */
export interface MetaTable {
  key: string;
  value: string;
}
