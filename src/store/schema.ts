import type { Generated } from 'kysely';

/**
 * The tables of the memory store, as Kysely sees them; the same on SQLite and PostgreSQL. Times
 * are epoch milliseconds (bigint columns, read back as numbers); optional names are '' rather than
 * NULL so they take part in equality and in unique indexes; structured parts are JSON text.
 */
export interface StoreSchema {
  changes: ChangesTable;
  checkpoints: CheckpointsTable;
  events: EventsTable;
  notes: NotesTable;
  cursors: CursorsTable;
  meta: MetaTable;
}

/** One recorded change of one object: the diff, never the whole object. */
export interface ChangesTable {
  id: Generated<number>;
  at_ms: number;
  kind: string;
  namespace: string;
  name: string;
  uid: string;
  resource_version: string;
  action: string;
  /** FieldChange[] as JSON. */
  fields: string;
  /** string[] as JSON. */
  summary: string;
  actor: string | null;
  reason: string | null;
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
  object: string;
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
