import { ChangeHistory } from '../core/change-history.js';
import { Coverage } from '../core/coverage.js';
import type { DataGap } from '../core/data-gap.js';
import { AppError } from '../core/errors.js';
import { isNamespaced, resourceNameOf } from '../core/kinds.js';
import { hasStatusConditions, type KubeObject } from '../core/kube-object.js';
import { Snapshot } from '../core/snapshot.js';
import type { ClusterSource, LoadRequest, LoadResult } from '../kube/source.js';
import type { ResourceRef } from '../core/resource-ref.js';
import type { MemoryStore, Note, StoredChange, StoredEvent } from '../store/memory-store.js';
import { loadStateAt } from './reconstruct.js';
import { cursorScope } from './recorded-kinds.js';

/** Events as they stood at a moment: those seen in the hour before it (their life on the API server). */
const EVENT_WINDOW_MS = 3_600_000;
/** How far back an analysis looks for the changes that may explain what fails. */
export const HISTORY_WINDOW_MS = 6 * 3_600_000;

/**
 * The cluster as the recorder saw it at a moment (`--at`): every command's questions, asked of the
 * past. Objects are rebuilt from checkpoints and changes; events are those of the hour before,
 * with the counts they reached; container logs were never recorded. A kind the recording did not
 * follow is a data gap, not an empty list.
 */
export class MemorySource implements ClusterSource {
  readonly description: string;
  readonly defaultNamespace = undefined;
  readonly #store: MemoryStore;
  readonly #atMs: number;
  readonly #closeStore: boolean;

  constructor(options: {
    readonly store: MemoryStore;
    readonly atMs: number;
    readonly closeStore?: boolean;
  }) {
    this.#store = options.store;
    this.#atMs = options.atMs;
    this.#closeStore = options.closeStore ?? false;
    this.description = `recording ${options.store.location} at ${new Date(options.atMs).toISOString()}`;
  }

  async load(request: LoadRequest): Promise<LoadResult> {
    const { namespace } = request;
    const coverage = new Coverage();
    const gaps: DataGap[] = [];
    const recorded = new Set<string>();
    const missing: string[] = [];
    const scopes = new Set(await this.#store.scopes());
    const requested = new Set(request.kinds.map((kind) => kind.kind));
    for (const kind of request.kinds) {
      if (scopes.has(cursorScope(kind, undefined))) coverage.add(kind.kind);
      else if (kind.namespaced && namespace !== undefined && scopes.has(cursorScope(kind, namespace)))
        coverage.add(kind.kind, namespace);
      else {
        // A kind a CRD defines was followed only where the recording was told to (`--crds`): not
        // having it says nothing of the cluster, so it is no gap (and stays unknown).
        if (kind.optional !== true) missing.push(resourceNameOf(kind));
        continue;
      }
      recorded.add(kind.kind);
    }
    if (missing.length > 0) {
      // One gap for them all: a recording follows the kinds it was told to, and says so once.
      gaps.push({
        resource: missing.join(', '),
        ...(namespace === undefined ? {} : { namespace }),
        reason: 'not-recorded',
        message: 'the recording did not follow these kinds',
        check: `kubectl smart record --kinds …`,
      });
    }
    const objects = (
      await loadStateAt(this.#store, { atMs: this.#atMs, ...(namespace === undefined ? {} : { namespace }) })
    ).filter(
      (object) =>
        object.kind !== 'Event' &&
        (recorded.has(object.kind) ||
          (request.withConditions === true && !requested.has(object.kind) && hasStatusConditions(object))),
    );
    // A kind followed beyond those asked for (`record --crds`) counts as read where its objects are.
    for (const object of objects)
      if (!requested.has(object.kind))
        coverage.add(object.kind, isNamespaced(object.kind) ? object.metadata.namespace : undefined);
    const events = recorded.has('Event')
      ? (
          await this.#store.eventsBetween({ from: this.#atMs - EVENT_WINDOW_MS, to: this.#atMs }, namespace)
        ).map(eventObject)
      : [];
    if (objects.length === 0 && events.length === 0)
      // Asked about a moment before the recording began (or a namespace it never saw): say so first.
      gaps.unshift({
        resource: 'the recording',
        ...(namespace === undefined ? {} : { namespace }),
        reason: 'not-recorded',
        message: `it holds nothing at or before ${new Date(this.#atMs).toISOString()}: it began later, or saw nothing here`,
        check: `kubectl smart timeline TYPE/NAME${namespace === undefined ? '' : ` -n ${namespace}`} --alpha-memory  # when an object was first recorded`,
      });
    return {
      snapshot: new Snapshot({
        objects: [...objects, ...events],
        coverage,
        capturedAt: new Date(this.#atMs),
      }),
      gaps,
    };
  }

  /** The moment asked about. */
  get atMs(): number {
    return this.#atMs;
  }

  /** The changes recorded in the `windowMs` before this moment, oldest first: the story of how it came to be. */
  async changesBefore(windowMs: number, namespace: string | undefined): Promise<StoredChange[]> {
    return this.#store.changesBetween({ from: this.#atMs - windowMs, to: this.#atMs }, namespace);
  }

  /**
   * The notes kept with an object: all of them, those written after this moment too, since what
   * people learnt about an object (often in the post-mortem) is worth seeing when looking back.
   */
  notesOf(object: ResourceRef): Promise<Note[]> {
    return this.#store.notesOf(object);
  }

  /** The changes recorded in the window before this moment. */
  history(namespace: string | undefined): Promise<ChangeHistory> {
    return historyBefore(this.#store, {
      atMs: this.#atMs,
      ...(namespace === undefined ? {} : { namespace }),
    });
  }

  followEvents(): Promise<void> {
    return Promise.reject(
      new AppError('usage', 'a recording cannot be followed: drop -w, or drop --at to follow the cluster'),
    );
  }

  close(): void {
    if (this.#closeStore) void this.#store.close();
  }
}

/**
 * The recorded changes in the window before `atMs`, for the analyzers that read them: a
 * namespace's own and, with it, those of cluster-scoped objects (a node tainted, a StorageClass
 * deleted), which the namespace's pods depend on too.
 */
export async function historyBefore(
  store: MemoryStore,
  options: { readonly atMs: number; readonly namespace?: string },
): Promise<ChangeHistory> {
  const range = { from: options.atMs - HISTORY_WINDOW_MS, to: options.atMs };
  const { namespace } = options;
  return new ChangeHistory([
    ...(await store.changesBetween(range, namespace)),
    ...(namespace === undefined || namespace === '' ? [] : await store.changesBetween(range, '')),
  ]);
}

/** A stored event as the core/v1 Event it was, so the snapshot reads it like any other. */
function eventObject(event: StoredEvent): KubeObject {
  const slash = event.key.indexOf('/');
  const namespace = event.key.slice(0, slash);
  return {
    apiVersion: 'v1',
    kind: 'Event',
    metadata: { name: event.key.slice(slash + 1), ...(namespace === '' ? {} : { namespace }) },
    involvedObject: event.involved,
    type: event.type,
    reason: event.reason,
    message: event.message,
    count: event.count,
    firstTimestamp: new Date(event.firstMs).toISOString(),
    lastTimestamp: new Date(event.lastMs).toISOString(),
  };
}
