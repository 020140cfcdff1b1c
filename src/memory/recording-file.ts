import { z } from 'zod';
import type { Change, FieldChange } from '../core/change.js';
import { AppError } from '../core/errors.js';
import type { EventRecord } from '../core/event-record.js';
import type { KubeObject } from '../core/kube-object.js';
import { KINDS, resourceNameOf } from '../core/kinds.js';
import { refKey } from '../core/resource-ref.js';
import {
  changeOf,
  type MemoryStore,
  type Note,
  type StoredEvent,
  type TimeRange,
} from '../store/memory-store.js';
import { digestDataValue, digestObject, isDigestedMap } from './secret-digest.js';

/**
 * A recording as a portable file (`export` / `import`): JSON lines, a header then one item a line:
 * the checkpoints that give the state at the window's start (and those taken in it), the changes,
 * the events and the notes. What the store holds is already redacted, so the file is too; on
 * import, Secret values are digested again in case a file was made by hand, so none gets in.
 */
export const RECORDING_KIND = 'KubectlSmartRecording';
export const RECORDING_VERSION = 1;

export interface RecordingScope {
  readonly range: TimeRange;
  readonly namespace?: string;
}

export interface RecordingCounts {
  readonly checkpoints: number;
  readonly changes: number;
  readonly events: number;
  readonly notes: number;
}

const headerSchema = z.object({
  kind: z.literal(RECORDING_KIND),
  version: z.number().int().positive(),
  exportedAt: z.string(),
  from: z.string(),
  to: z.string(),
  namespace: z.string().optional(),
  /** The scopes the recording followed (`pods@shop`): what a replay of it may say is absent. */
  scopes: z.array(z.string()).optional(),
});

const objectSchema = z.looseObject({
  kind: z.string(),
  metadata: z.looseObject({ name: z.string(), namespace: z.string().optional() }),
});
const refSchema = z.object({ kind: z.string(), namespace: z.string().optional(), name: z.string() });
const jsonValue: z.ZodType = z.unknown();
const lineSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('checkpoint'), atMs: z.number(), object: objectSchema }),
  z.object({
    type: z.literal('change'),
    change: z.looseObject({
      at: z.iso.datetime({ offset: true }),
      object: refSchema.extend({ uid: z.string().optional() }),
      resourceVersion: z.string().optional(),
      action: z.enum(['added', 'modified', 'deleted']),
      fields: z.array(
        z.object({
          path: z.string(),
          op: z.enum(['added', 'removed', 'changed']),
          old: jsonValue.optional(),
          new: jsonValue.optional(),
        }),
      ),
      summary: z.array(z.string()),
    }),
  }),
  z.object({
    type: z.literal('event'),
    event: z.looseObject({
      name: z.string(),
      namespace: z.string().optional(),
      type: z.string(),
      reason: z.string(),
      message: z.string(),
      involved: refSchema,
      count: z.number(),
    }),
  }),
  z.object({
    type: z.literal('note'),
    note: z.object({ atMs: z.number(), object: refSchema, author: z.string(), text: z.string() }),
  }),
]);

/** Writes the recording of a window, line by line, through `write`. */
export async function exportRecording(
  store: MemoryStore,
  scope: RecordingScope,
  write: (line: string) => void,
): Promise<RecordingCounts> {
  const { range, namespace } = scope;
  const line = (value: unknown): void => {
    write(`${JSON.stringify(value)}\n`);
  };
  line({
    kind: RECORDING_KIND,
    version: RECORDING_VERSION,
    exportedAt: new Date().toISOString(),
    from: isoOf(range.from),
    to: isoOf(range.to),
    ...(namespace === undefined ? {} : { namespace }),
    scopes: scopesFor(await store.scopes(), namespace),
  });
  // The state at the window's start, then what was taken inside it.
  const checkpoints = [
    ...(await store.checkpointsBefore(range.from, namespace)),
    ...(await store.checkpointsBetween({ from: range.from + 1, to: range.to }, namespace)),
  ];
  for (const { atMs, object } of checkpoints) line({ type: 'checkpoint', atMs, object });
  const changes = await store.changesBetween(range, namespace);
  for (const stored of changes) line({ type: 'change', change: changeOf(stored) });
  const events = await store.eventsBetween(range, namespace);
  for (const event of events) line({ type: 'event', event: eventRecordOf(event) });
  const notes = await store.notesBetween(range, namespace);
  for (const note of notes) line({ type: 'note', note });
  return {
    checkpoints: checkpoints.length,
    changes: changes.length,
    events: events.length,
    notes: notes.length,
  };
}

/**
 * Reads a recording into the store. Importing the same file twice changes nothing the second time.
 * A line that is not what a recording holds is one error naming the file and line, before anything
 * is written.
 */
export async function importRecording(
  store: MemoryStore,
  text: string,
  file: string,
): Promise<RecordingCounts> {
  const lines = text.split('\n');
  const items = lines.flatMap((raw, index) => {
    if (raw.trim() === '') return [];
    return [{ number: index + 1, value: parseLine(raw, `${file}:${String(index + 1)}`, index === 0) }];
  });
  const header = items[0];
  if (header === undefined)
    throw new AppError('usage', `${file}: empty; give a file written by kubectl smart export`);
  const key = await store.digestKey();
  const { scopes = [], namespace } = header.value as z.infer<typeof headerSchema>;

  const checkpoints = new Map<number, KubeObject[]>();
  const changes: Change[] = [];
  const events: EventRecord[] = [];
  const notes: Note[] = [];
  for (const { value } of items.slice(1)) {
    const item = value as z.infer<typeof lineSchema>;
    switch (item.type) {
      case 'checkpoint': {
        const list = checkpoints.get(item.atMs) ?? [];
        list.push(digestObject(item.object, key));
        checkpoints.set(item.atMs, list);
        break;
      }
      case 'change':
        changes.push(redactedChange(item.change as unknown as Change, key));
        break;
      case 'event':
        events.push(item.event);
        break;
      case 'note':
        notes.push(item.note);
        break;
      default:
        item satisfies never;
    }
  }

  let checkpointCount = 0;
  for (const [atMs, objects] of checkpoints) {
    const existing = new Set(
      (await store.checkpointsBetween({ from: atMs, to: atMs })).map((c) => refKey(refOfObject(c.object))),
    );
    const fresh = objects.filter((object) => !existing.has(refKey(refOfObject(object))));
    if (fresh.length > 0) await store.checkpoint(atMs, fresh);
    checkpointCount += fresh.length;
  }
  const result = await store.record({ changes, events });
  // A file exported before namespace exports dropped cluster-wide scopes (the bundled demo's
  // header names `nodes` and holds no Node) must not make a replay say its nodes are missing.
  await store.addImportedScopes(scopesFor(scopes, namespace));
  let noteCount = 0;
  for (const note of notes) {
    const same = (await store.notesOf(note.object)).some(
      (n) => n.atMs === note.atMs && n.author === note.author && n.text === note.text,
    );
    if (same) continue;
    await store.addNote(note);
    noteCount++;
  }
  return {
    checkpoints: checkpointCount,
    changes: result.changesAdded,
    events: events.length,
    notes: noteCount,
  };
}

function parseLine(raw: string, where: string, isHeader: boolean): unknown {
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    throw new AppError('usage', `${where}: not JSON; give a file written by kubectl smart export`);
  }
  const parsed = isHeader ? headerSchema.safeParse(json) : lineSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const path = issue === undefined || issue.path.length === 0 ? '' : `${issue.path.join('.')}: `;
    throw new AppError(
      'usage',
      `${where}: ${isHeader ? 'not a kubectl-smart recording' : 'not a recording line'} (${path}${issue?.message ?? 'invalid'}); give a file written by kubectl smart export`,
    );
  }
  if (isHeader && (parsed.data as { version: number }).version > RECORDING_VERSION) {
    throw new AppError(
      'usage',
      `${where}: a recording of format ${String((parsed.data as { version: number }).version)}, newer than this kubectl-smart reads (${String(RECORDING_VERSION)}); upgrade kubectl-smart`,
    );
  }
  return parsed.data;
}

/** A Secret's (or ConfigMap binaryData's) values in a change only as digests, whatever the file said. */
function redactedChange(change: Change, key: string): Change {
  const map = (field: FieldChange): string | undefined => field.path.split(/[.[]/)[0];
  if (!change.fields.some((field) => isDigestedMap(change.object.kind, map(field) ?? ''))) return change;
  const fields = change.fields.map((field): FieldChange => {
    const name = map(field) ?? '';
    if (!isDigestedMap(change.object.kind, name)) return field;
    if (typeof field.old === 'object' || typeof field.new === 'object') {
      // A whole map added or removed: its values, each digested.
      const digestMap = (value: unknown): Record<string, string | null> | undefined =>
        value === undefined || value === null || typeof value !== 'object'
          ? undefined
          : Object.fromEntries(
              Object.entries(value).map(([k, v]) => [
                k,
                digestDataValue(change.object.kind, name, v, key) ?? null,
              ]),
            );
      const old = digestMap(field.old);
      const now = digestMap(field.new);
      return {
        path: field.path,
        op: field.op,
        ...(old === undefined ? {} : { old }),
        ...(now === undefined ? {} : { new: now }),
      };
    }
    const old =
      field.old === undefined ? undefined : digestDataValue(change.object.kind, name, field.old, key);
    const now =
      field.new === undefined ? undefined : digestDataValue(change.object.kind, name, field.new, key);
    return {
      path: field.path,
      op: field.op,
      ...(old === undefined ? {} : { old }),
      ...(now === undefined ? {} : { new: now }),
    };
  });
  return { ...change, fields };
}

function refOfObject(object: KubeObject): { kind: string; namespace?: string; name: string } {
  return object.metadata.namespace === undefined
    ? { kind: object.kind, name: object.metadata.name }
    : { kind: object.kind, namespace: object.metadata.namespace, name: object.metadata.name };
}

/** Resource names (`pods`, `nodes`, `storageclasses.storage.k8s.io`) of the cluster-scoped kinds. */
const CLUSTER_SCOPED = new Set(KINDS.filter((kind) => !kind.namespaced).map(resourceNameOf));

/**
 * The scopes a recording of `namespace` may claim, from the store's (or a file's): that
 * namespace's own (`pods@shop`), and a namespaced kind followed everywhere (`pods`) as followed in
 * it. A namespace's recording holds no cluster-scoped object (no Node, no StorageClass), so it
 * claims none of their scopes: a replay of it would say every node its pods run on is missing,
 * where it only does not know (issue #16). Without a namespace, every scope.
 */
function scopesFor(scopes: readonly string[], namespace: string | undefined): string[] {
  if (namespace === undefined) return [...scopes];
  const kept = new Set<string>();
  for (const scope of scopes) {
    const at = scope.indexOf('@');
    if (at !== -1) {
      if (scope.slice(at + 1) === namespace) kept.add(scope);
    } else if (!CLUSTER_SCOPED.has(scope)) kept.add(`${scope}@${namespace}`);
  }
  return [...kept].sort();
}

/** A window's bound as a time; an open bound is the latest (or earliest) time a Date holds. */
function isoOf(ms: number): string {
  const LIMIT = 8.64e15;
  return new Date(Math.max(-LIMIT, Math.min(LIMIT, ms))).toISOString();
}

/** The stored event in the shape the recorder writes (its key is `namespace/name`). */
function eventRecordOf(event: StoredEvent): EventRecord {
  const slash = event.key.indexOf('/');
  const namespace = event.key.slice(0, slash);
  return {
    name: event.key.slice(slash + 1),
    ...(namespace === '' ? {} : { namespace }),
    type: event.type,
    reason: event.reason,
    message: event.message,
    involved: event.involved,
    count: event.count,
    firstSeen: new Date(event.firstMs).toISOString(),
    lastSeen: new Date(event.lastMs).toISOString(),
  };
}
