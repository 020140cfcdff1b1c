import type { Change } from '../core/change.js';
import { pause } from '../core/pause.js';
import { AppError } from '../core/errors.js';
import { toEventRecord, type EventRecord } from '../core/event-record.js';
import type { KindInfo } from '../core/kinds.js';
import type { KubeObject } from '../core/kube-object.js';
import type { WatchChangeType, WatchKindHandlers, WatchKindOptions } from '../kube/source.js';
import type { MemoryStore } from '../store/memory-store.js';
import { packJson, unpackJson } from '../store/packed-json.js';
import { StoreFullError } from '../store/store-full-error.js';
import type { AuditIndex } from './audit-attribution.js';
import { withAuditActor } from './audit-attribution.js';
import { makeChange } from './make-change.js';
import { loadStateAt } from './reconstruct.js';
import { cursorScope } from './recorded-kinds.js';
import { digestObject } from './secret-digest.js';

/** What the recorder follows kinds through: the live source (or a test's fake API server). */
export interface KindFollower {
  watchKind(kind: KindInfo, options: WatchKindOptions, handlers: WatchKindHandlers): Promise<void>;
}

/** An audit log being written as the recorder runs: `refresh` reads what was appended since. */
export interface AuditFeed {
  readonly index: AuditIndex;
  refresh(): void;
}

export interface RecorderOptions {
  readonly follower: KindFollower;
  readonly store: MemoryStore;
  readonly kinds: readonly KindInfo[];
  /** Follow one namespace; undefined follows all. */
  readonly namespace?: string;
  /**
   * The objects as the store last knew them (reconstructed from its checkpoints and changes), so a
   * restarted recorder diffs against what it recorded, not against nothing. Empty on a new store.
   */
  readonly knownObjects?: readonly KubeObject[];
  readonly audit?: AuditFeed;
  readonly clock?: () => Date;
  /** How often what was seen is written, in one transaction. Default 250 ms. */
  readonly flushEveryMs?: number;
  /** With an audit log, how long a change waits for its request's audit line. Default 2 s. */
  readonly auditDelayMs?: number;
  /** How often every followed object's whole state is saved, so replay starts near its moment. Default 6 h. */
  readonly checkpointEveryMs?: number;
  /** What is older than this is pruned (hourly). Default 14 days. */
  readonly retentionMs?: number;
  /** The most the store may hold (`--max-size`); past 90% of it the oldest history is dropped. */
  readonly maxBytes?: number;
}

/** What a run recorded. */
export interface RecorderStats {
  readonly changes: number;
  readonly events: number;
  readonly checkpoints: number;
  /** Objects followed now. */
  readonly objects: number;
}

type QueueItem =
  | {
      readonly type: 'change';
      readonly seenMs: number;
      readonly scope: string;
      readonly version?: string;
      readonly change: Change;
    }
  | {
      readonly type: 'event';
      readonly seenMs: number;
      readonly scope: string;
      readonly version?: string;
      readonly event: EventRecord;
    }
  | { readonly type: 'progress'; readonly seenMs: number; readonly scope: string; readonly version: string }
  | {
      readonly type: 'checkpoint';
      readonly seenMs: number;
      readonly scope: string;
      readonly objects: readonly KubeObject[];
    };

/** A list under way, page by page: whether it is the kind's first sight, and the objects it has named so far. */
interface Listing {
  readonly firstSight: boolean;
  readonly listed: Set<string>;
}

/**
 * An object as last seen, kept to diff the next sight against. Packed as the store packs (deflate
 * with the Kubernetes dictionary): a pod is 3 KB of JSON and 300 bytes packed, and a recorder
 * following 10,000 pods holds one of each.
 */
interface Known {
  readonly uid: string | undefined;
  readonly packed: Uint8Array;
}

const HOUR_MS = 3_600_000;
const DEFAULT_RETENTION_MS = 14 * 24 * HOUR_MS;
/** A full store is pruned down to this much history at the least; past that, recording stops. */
const MIN_KEPT_MS = 10 * 60_000;
/** The share of `maxBytes` past which old history is dropped, leaving room to checkpoint and prune. */
const CAP_HIGH_WATER = 0.9;
/** How often the size is checked against `maxBytes`. */
const CAP_CHECK_MS = 2000;

/**
 * The recorder: follows kinds (list, then watch, resuming from the store's cursors), turns each
 * change into a field-level diff with its summary, actor and reason, keeps events beyond their
 * hour, and writes it all in small transactions, each with the cursors it got to, so a crash
 * loses nothing and a restart records nothing twice. Secret values are digested before anything
 * here sees them (the follower's redaction), so neither memory nor the store holds one.
 */
export class Recorder {
  readonly #options: RecorderOptions;
  readonly #clock: () => Date;
  readonly #known = new Map<string, Known>();
  /** Kinds whose objects the store already knows, so a list is compared, not checkpointed. */
  readonly #knownKinds = new Set<string>();
  #queue: QueueItem[] = [];
  #changes = 0;
  #events = 0;
  #checkpoints = 0;

  constructor(options: RecorderOptions) {
    this.#options = options;
    this.#clock = options.clock ?? (() => new Date());
    for (const object of options.knownObjects ?? []) {
      this.#known.set(keyOf(object), known(object));
      this.#knownKinds.add(object.kind);
    }
  }

  get stats(): RecorderStats {
    return {
      changes: this.#changes,
      events: this.#events,
      checkpoints: this.#checkpoints,
      objects: this.#known.size,
    };
  }

  /**
   * Records until the signal aborts (then writes what is pending and returns), or until the store
   * refuses a write or a watch fails for good (then throws, having written what it could).
   */
  async run(signal: AbortSignal): Promise<RecorderStats> {
    const { store, kinds, namespace } = this.#options;
    const secretKey = await store.digestKey();
    const redact = (object: KubeObject): KubeObject => digestObject(object, secretKey);
    const stop = new AbortController();
    const stopAll = (): void => {
      stop.abort();
    };
    signal.addEventListener('abort', stopAll, { once: true });
    if (signal.aborted) stop.abort();

    let failure: Error | undefined;
    const fail = (error: unknown): void => {
      failure ??= error instanceof Error ? error : new Error(String(error));
      stop.abort();
    };
    const scopes = kinds.map((kind) => cursorScope(kind, namespace));
    const cursors = await Promise.all(scopes.map((scope) => store.cursor(scope)));
    const watches = Promise.all(
      kinds.map((kind, i) => {
        const scope = scopes[i] ?? cursorScope(kind, namespace);
        const resumeFrom = cursors[i];
        if (resumeFrom !== undefined) this.#knownKinds.add(kind.kind);
        return this.#options.follower
          .watchKind(
            kind,
            {
              ...(kind.namespaced && namespace !== undefined ? { namespace } : {}),
              ...(resumeFrom === undefined ? {} : { resumeFrom }),
              signal: stop.signal,
              redact,
            },
            this.#handlers(kind, scope, secretKey),
          )
          .catch(fail);
      }),
    );

    const flushEveryMs = this.#options.flushEveryMs ?? 250;
    const checkpointEveryMs = this.#options.checkpointEveryMs ?? 6 * HOUR_MS;
    let lastCheckpointMs = this.#clock().getTime();
    let lastPruneMs = 0;
    let lastCapCheckMs = 0;
    try {
      while (!stop.signal.aborted) {
        await pause(flushEveryMs, stop.signal);
        await this.#write(false);
        const nowMs = this.#clock().getTime();
        if (nowMs - lastCheckpointMs >= checkpointEveryMs) {
          await this.#write(true);
          await store.checkpoint(nowMs, this.#knownObjects());
          this.#checkpoints++;
          lastCheckpointMs = nowMs;
        }
        if (nowMs - lastCapCheckMs >= CAP_CHECK_MS) {
          await this.#keepUnderCap();
          lastCapCheckMs = nowMs;
        }
        if (nowMs - lastPruneMs >= HOUR_MS) {
          await store.prune(nowMs - (this.#options.retentionMs ?? DEFAULT_RETENTION_MS));
          lastPruneMs = nowMs;
        }
      }
    } catch (error) {
      fail(error);
    } finally {
      signal.removeEventListener('abort', stopAll);
    }
    await watches;
    if (failure === undefined || !(failure instanceof AppError && failure.code === 'store')) {
      // Whatever was seen is written, even when a watch failed; a store that refused once is not asked again.
      await this.#write(true).catch(fail);
    }
    if (failure !== undefined) throw failure;
    return this.stats;
  }

  #handlers(kind: KindInfo, scope: string, secretKey: string): WatchKindHandlers {
    const isEvent = kind.kind === 'Event';
    let listing: Listing | undefined;
    const startListing = (): Listing =>
      (listing ??= { firstSight: !this.#knownKinds.has(kind.kind), listed: new Set() });
    return {
      onListPage: (objects, restarted) => {
        const seenMs = this.#clock().getTime();
        const { firstSight, listed } = startListing();
        // Started over: the earlier pages were of an older moment; only this list says what exists.
        if (restarted) listed.clear();
        if (isEvent) {
          for (const object of objects) this.#queueEvent(object, scope, seenMs);
          return;
        }
        for (const object of objects) listed.add(keyOf(object));
        if (firstSight) {
          // The first sight of a kind: what exists was not "added" now, it is where the story starts.
          for (const object of objects) this.#known.set(keyOf(object), known(object));
          this.#queue.push({ type: 'checkpoint', seenMs, scope, objects: objects.map(withoutManagedFields) });
        } else {
          // A relist after a gap (410 Gone, or a restart): compare with what was known.
          for (const object of objects) this.#observe('MODIFIED', object, { scope, seenMs, secretKey });
        }
      },
      onListEnd: (version) => {
        const seenMs = this.#clock().getTime();
        const { listed } = startListing();
        listing = undefined;
        if (!isEvent) {
          // What was known and the list did not name was deleted: in the gap of a relist, or, on a
          // first sight, between pages of a list that had to start over.
          for (const [key, was] of [...this.#known]) {
            if (listed.has(key) || !key.startsWith(`${kind.kind}/`)) continue;
            const object = stateOf(was);
            if (!this.#inScope(object)) continue;
            this.#observe('DELETED', object, { scope, seenMs, secretKey, version });
          }
        }
        this.#knownKinds.add(kind.kind);
        this.#queue.push({ type: 'progress', seenMs, scope, version });
      },
      onChange: (type, object) => {
        const seenMs = this.#clock().getTime();
        if (isEvent) {
          if (type !== 'DELETED') this.#queueEvent(object, scope, seenMs);
          return;
        }
        this.#observe(type, object, { scope, seenMs, secretKey });
      },
      onProgress: (version) => {
        this.#queue.push({ type: 'progress', seenMs: this.#clock().getTime(), scope, version });
      },
    };
  }

  /** One object seen changed: diffed against what was known, queued, and known from now on. */
  #observe(
    type: WatchChangeType,
    object: KubeObject,
    at: {
      readonly scope: string;
      readonly seenMs: number;
      readonly secretKey: string;
      readonly version?: string;
    },
  ): void {
    const key = keyOf(object);
    const was = this.#known.get(key);
    const before = was === undefined ? undefined : stateOf(was);
    const iso = new Date(at.seenMs).toISOString();
    const push = (change: Change | undefined): void => {
      if (change === undefined) return;
      this.#queue.push({
        type: 'change',
        seenMs: at.seenMs,
        scope: at.scope,
        ...(change.resourceVersion === undefined ? {} : { version: change.resourceVersion }),
        change,
      });
    };
    if (type === 'DELETED') {
      if (before === undefined) return;
      this.#known.delete(key);
      push(
        makeChange({
          at: iso,
          before,
          resourceVersion: at.version ?? object.metadata.resourceVersion ?? '',
          secretKey: at.secretKey,
        }),
      );
      return;
    }
    if (before !== undefined && was?.uid !== undefined && was.uid !== object.metadata.uid) {
      // Deleted and created again under the same name while no one was looking.
      push(
        makeChange({
          at: iso,
          before,
          resourceVersion: object.metadata.resourceVersion ?? '',
          secretKey: at.secretKey,
        }),
      );
      push(makeChange({ at: iso, after: object, secretKey: at.secretKey }));
    } else {
      push(
        makeChange({
          at: iso,
          ...(before === undefined ? {} : { before }),
          after: object,
          secretKey: at.secretKey,
        }),
      );
    }
    this.#known.set(key, known(object));
  }

  #queueEvent(object: KubeObject, scope: string, seenMs: number): void {
    const event = toEventRecord(object);
    if (event === undefined) return;
    const version = object.metadata.resourceVersion;
    this.#queue.push({ type: 'event', seenMs, scope, ...(version === undefined ? {} : { version }), event });
  }

  #inScope(object: KubeObject): boolean {
    const namespace = this.#options.namespace;
    return (
      namespace === undefined ||
      object.metadata.namespace === undefined ||
      object.metadata.namespace === namespace
    );
  }

  /**
   * Writes what is due; when the store is full (the disk, or its cap), drops the oldest history,
   * keeping half as much each time, and tries again. Down to the last ten minutes it gives up.
   */
  async #write(all: boolean): Promise<void> {
    let keepMs = this.#options.retentionMs ?? DEFAULT_RETENTION_MS;
    for (;;) {
      try {
        await this.#flush(all);
        return;
      } catch (error) {
        if (!(error instanceof StoreFullError) || keepMs <= MIN_KEPT_MS) throw error;
        keepMs = Math.max(MIN_KEPT_MS, keepMs / 2);
        await this.#dropHistoryBefore(this.#clock().getTime() - keepMs);
      }
    }
  }

  /** Under `maxBytes`, with room to spare: past 90% of it, the oldest history goes, half at a time. */
  async #keepUnderCap(): Promise<void> {
    const { maxBytes, store } = this.#options;
    if (maxBytes === undefined) return;
    let keepMs = this.#options.retentionMs ?? DEFAULT_RETENTION_MS;
    while ((await store.sizeBytes()) > maxBytes * CAP_HIGH_WATER && keepMs > MIN_KEPT_MS) {
      keepMs = Math.max(MIN_KEPT_MS, keepMs / 2);
      await this.#dropHistoryBefore(this.#clock().getTime() - keepMs);
    }
  }

  /**
   * Drops what is older than `horizonMs`, checkpointing the state at the horizon first so every
   * moment after it can still be replayed. A store too full to take the checkpoint keeps its history.
   */
  async #dropHistoryBefore(horizonMs: number): Promise<void> {
    const { store, namespace } = this.#options;
    await store.prune(horizonMs);
    const state = await loadStateAt(store, {
      atMs: horizonMs,
      ...(namespace === undefined ? {} : { namespace }),
    });
    try {
      await store.checkpoint(horizonMs, state);
    } catch (error) {
      if (!(error instanceof StoreFullError)) throw error;
      return;
    }
    await store.prune(horizonMs);
  }

  /**
   * Writes what is due: checkpoints first, then one batch of changes, events and the cursors they
   * got to. With an audit log, a change waits a moment for its request's line unless `all`.
   * Handlers only append to the queue while this awaits, so its first `count` items stay put.
   */
  async #flush(all: boolean): Promise<void> {
    const { store, audit } = this.#options;
    const dueMs =
      all || audit === undefined ? Infinity : this.#clock().getTime() - (this.#options.auditDelayMs ?? 2000);
    let count = this.#queue.findIndex((item) => item.seenMs > dueMs);
    if (count === -1) count = this.#queue.length;
    if (count === 0) return;
    const checkpoints = this.#queue.slice(0, count).filter((item) => item.type === 'checkpoint');
    for (const item of checkpoints) {
      await store.checkpoint(item.seenMs, item.objects);
      this.#checkpoints++;
    }
    if (checkpoints.length > 0) {
      // Written: off the queue, so a batch that fails after them does not write them twice.
      const rest = this.#queue.slice(0, count).filter((item) => item.type !== 'checkpoint');
      this.#queue.splice(0, count, ...rest);
      count = rest.length;
      if (count === 0) return;
    }
    const ready = this.#queue.slice(0, count);
    audit?.refresh();
    const changes: Change[] = [];
    const events: EventRecord[] = [];
    const cursors: Record<string, string> = {};
    for (const item of ready) {
      switch (item.type) {
        case 'change': {
          const attribution = audit?.index.attribute(item.change);
          changes.push(attribution === undefined ? item.change : withAuditActor(item.change, attribution));
          break;
        }
        case 'event':
          events.push(item.event);
          break;
        case 'progress':
        case 'checkpoint':
          break;
        default:
          item satisfies never;
      }
      if (item.type !== 'checkpoint' && item.version !== undefined) cursors[item.scope] = item.version;
    }
    const result = await store.record({ changes, events, cursors });
    this.#changes += result.changesAdded;
    this.#events += events.length;
    this.#queue.splice(0, count);
  }

  #knownObjects(): KubeObject[] {
    return [...this.#known.values()].map((entry) => stateOf(entry));
  }
}

function keyOf(object: KubeObject): string {
  return `${object.kind}/${object.metadata.namespace ?? ''}/${object.metadata.name}`;
}

/** managedFields say who wrote the *next* state; the state kept to diff against needs none. */
function withoutManagedFields(object: KubeObject): KubeObject {
  if (object.metadata.managedFields === undefined) return object;
  const metadata = Object.fromEntries(
    Object.entries(object.metadata).filter(([field]) => field !== 'managedFields'),
  ) as unknown as KubeObject['metadata'];
  return { ...object, metadata };
}

function known(object: KubeObject): Known {
  return { uid: object.metadata.uid, packed: packJson(withoutManagedFields(object)) };
}

function stateOf(entry: Known): KubeObject {
  return unpackJson(entry.packed) as KubeObject;
}
