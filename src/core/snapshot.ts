import type { Coverage } from './coverage.js';
import { toEventRecord, type EventRecord } from './event-record.js';
import type { KubeObject } from './kube-object.js';
import { refKey, refOf, type ResourceRef } from './resource-ref.js';
import type { ObjectOf } from './kind-objects.js';
import type { KnownKind } from './kinds.js';

/** One container's log text as a source fetched it. */
export interface ContainerLog {
  readonly namespace: string;
  readonly pod: string;
  readonly container: string;
  /** True for the log of the previous (terminated) instance, as `kubectl logs --previous`. */
  readonly previous: boolean;
  readonly text: string;
}

/** What a source hands over: the objects it read, logs it fetched, what it covered, and its clock. */
export interface SnapshotInput {
  readonly objects: readonly KubeObject[];
  readonly logs?: readonly ContainerLog[];
  readonly coverage: Coverage;
  /**
   * The moment the snapshot describes. Live: when it was read. Files: the newest timestamp found
   * in them, so `--since 1h` over a post-mortem dump means the hour before the capture.
   */
  readonly capturedAt: Date;
}

/**
 * An indexed, read-only set of objects, the one thing every analyzer, the graph and the renderers
 * read. Built once per command; lookups are map reads. Later duplicates of the same object
 * (same kind/namespace/name) replace earlier ones, so overlapping files do not double-count.
 */
export class Snapshot {
  readonly capturedAt: Date;
  readonly coverage: Coverage;
  readonly #byKey = new Map<string, KubeObject>();
  readonly #byKind = new Map<string, KubeObject[]>();
  readonly #byUid = new Map<string, KubeObject>();
  readonly #ownedBy = new Map<string, KubeObject[]>();
  readonly #logs = new Map<string, ContainerLog>();
  readonly #labelIndex = new Map<string, Map<string, KubeObject[]>>();
  #events: readonly EventRecord[] | undefined;
  #eventsAbout: Map<string, EventRecord[]> | undefined;

  constructor(input: SnapshotInput) {
    this.capturedAt = input.capturedAt;
    this.coverage = input.coverage;
    for (const object of input.objects) this.#byKey.set(refKey(refOf(object)), object);
    for (const object of this.#byKey.values()) {
      push(this.#byKind, object.kind, object);
      const uid = object.metadata.uid;
      if (uid !== undefined) this.#byUid.set(uid, object);
      for (const owner of object.metadata.ownerReferences ?? []) {
        if (owner.uid !== undefined) push(this.#ownedBy, owner.uid, object);
      }
    }
    for (const log of input.logs ?? []) this.#logs.set(logKey(log), log);
  }

  /** Every object, in no particular order. */
  all(): IterableIterator<KubeObject> {
    return this.#byKey.values();
  }

  /** Number of objects. */
  get size(): number {
    return this.#byKey.size;
  }

  /**
   * Objects of one known kind, typed as that kind (a misspelt kind does not compile), optionally
   * in one namespace.
   */
  ofKind<K extends KnownKind>(kind: K, namespace?: string): readonly ObjectOf<K>[] {
    // The snapshot indexes objects by their kind field, so each one is of the kind asked for.
    return this.objectsOfKind(kind, namespace) as readonly ObjectOf<K>[];
  }

  /** Objects of a kind named at run time (a resource argument, a custom resource). */
  objectsOfKind(kind: string, namespace?: string): readonly KubeObject[] {
    const objects = this.#byKind.get(kind) ?? [];
    return namespace === undefined ? objects : objects.filter((o) => o.metadata.namespace === namespace);
  }

  /** The object a reference points at, if the snapshot has it. */
  get(ref: ResourceRef): KubeObject | undefined {
    return this.#byKey.get(refKey(ref));
  }

  /** The object with this uid, if present. */
  byUid(uid: string): KubeObject | undefined {
    return this.#byUid.get(uid);
  }

  /** Objects whose ownerReferences name this uid. */
  ownedBy(uid: string): readonly KubeObject[] {
    return this.#ownedBy.get(uid) ?? [];
  }

  /**
   * Objects of `kind` in `namespace` carrying the label `key=value`. The index per kind and
   * namespace is built on first use, so selector matching is not quadratic on large clusters.
   */
  withLabel(kind: string, namespace: string | undefined, key: string, value: string): readonly KubeObject[] {
    const scope = `${kind}/${namespace ?? ''}`;
    let index = this.#labelIndex.get(scope);
    if (index === undefined) {
      index = new Map();
      for (const object of this.objectsOfKind(kind, namespace)) {
        for (const [k, v] of Object.entries(object.metadata.labels ?? {})) push(index, `${k}=${v}`, object);
      }
      this.#labelIndex.set(scope, index);
    }
    return index.get(`${key}=${value}`) ?? [];
  }

  /** Events, normalised, computed once. */
  events(): readonly EventRecord[] {
    this.#events ??= this.ofKind('Event').flatMap((object) => toEventRecord(object) ?? []);
    return this.#events;
  }

  /** Events whose involved object is `ref`, oldest first as listed; indexed on first use. */
  eventsAbout(ref: ResourceRef): readonly EventRecord[] {
    if (this.#eventsAbout === undefined) {
      this.#eventsAbout = new Map();
      for (const event of this.events()) push(this.#eventsAbout, refKey(event.involved), event);
    }
    return this.#eventsAbout.get(refKey(ref)) ?? [];
  }

  /** A container's log, current or previous, if it was fetched. */
  log(namespace: string, pod: string, container: string, previous: boolean): ContainerLog | undefined {
    return this.#logs.get(logKey({ namespace, pod, container, previous }));
  }

  /** Every fetched log. */
  logs(): IterableIterator<ContainerLog> {
    return this.#logs.values();
  }
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list === undefined) map.set(key, [value]);
  else list.push(value);
}

function logKey(log: Pick<ContainerLog, 'namespace' | 'pod' | 'container' | 'previous'>): string {
  return `${log.namespace}/${log.pod}/${log.container}/${log.previous ? 'previous' : 'current'}`;
}
