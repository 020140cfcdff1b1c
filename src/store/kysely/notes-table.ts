import type { Kysely, Selectable } from 'kysely';
import type { ResourceRef } from '../../core/resource-ref.js';
import type { Note, TimeRange } from '../memory-store.js';
import type { NotesTable, StoreSchema } from '../schema.js';

/** Adds a note. */
export async function insertNote(db: Kysely<StoreSchema>, note: Note): Promise<void> {
  await db
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

/** One object's notes, oldest first. */
export async function selectNotesOf(db: Kysely<StoreSchema>, object: ResourceRef): Promise<Note[]> {
  const rows = await db
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

/** Every note written in a window (in a namespace), oldest first. */
export async function selectNotesBetween(
  db: Kysely<StoreSchema>,
  range: TimeRange,
  namespace?: string,
): Promise<Note[]> {
  let query = db
    .selectFrom('notes')
    .selectAll()
    .where('at_ms', '>=', range.from)
    .where('at_ms', '<=', range.to);
  if (namespace !== undefined) query = query.where('namespace', '=', namespace);
  const rows = await query.orderBy('at_ms').orderBy('id').execute();
  return rows.map(noteOfRow);
}

function noteOfRow(row: Selectable<NotesTable>): Note {
  return { atMs: row.at_ms, object: refOfRow(row), author: row.author, text: row.text };
}

function refOfRow(row: { kind: string; namespace: string; name: string }): ResourceRef {
  return row.namespace === ''
    ? { kind: row.kind, name: row.name }
    : { kind: row.kind, namespace: row.namespace, name: row.name };
}
