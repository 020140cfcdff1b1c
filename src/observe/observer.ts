import type { ChangeHistory } from '../core/change-history.js';
import { findKind, type KindInfo } from '../core/kinds.js';
import type { KubeObject } from '../core/kube-object.js';
import type { Pod } from '../core/kube-types.js';
import { pause } from '../core/pause.js';
import { refOf } from '../core/resource-ref.js';
import { Snapshot } from '../core/snapshot.js';
import type { IncidentContext } from '../gen/kubectl_smart/incident/v1/incident_pb.js';
import { buildGraph } from '../graph/build-graph.js';
import { ANALYSIS_READS } from '../analyze/analysis-reads.js';
import type { LoadRequest, LoadResult, WatchKindHandlers, WatchKindOptions } from '../kube/source.js';
import { buildIncident, type IncidentOrigin } from './build-incident.js';
import { Debouncer } from './debounce.js';
import { detectFailures, type FailureReason, type FailureTrigger } from './failure-detection.js';
import { RedactionError, Redactor, type RedactionConfig } from './redact/redactor.js';

/** What the observer reads the cluster through: a live source's watch and load. */
export interface ObservedCluster {
  watchKind(kind: KindInfo, options: WatchKindOptions, handlers: WatchKindHandlers): Promise<void>;
  load(request: LoadRequest): Promise<LoadResult>;
}

/** What the observer reports as it goes: metrics and logs hang off these. */
export interface ObserverHooks {
  /** A pod state judged (from a list page or a watch event), failing or not. */
  onPodSeen?(): void;
  onDetected?(trigger: FailureTrigger): void;
  onDebounced?(trigger: FailureTrigger): void;
  onHarvested?(incident: IncidentContext, harvestMs: number): void;
  /** Redaction failed: the incident was not built and is not sent (fail closed). */
  onRedactionFailed?(trigger: FailureTrigger, error: RedactionError): void;
  /** The evidence could not be read after retries: the next detection of the failure tries again. */
  onHarvestFailed?(trigger: FailureTrigger, error: unknown): void;
}

export interface ObserverOptions {
  readonly cluster: ObservedCluster;
  /** Namespaces watched; undefined watches all. */
  readonly namespaces?: readonly string[];
  readonly detect: ReadonlySet<FailureReason>;
  readonly debounceTtlMs: number;
  readonly tailLines: number;
  readonly origin: IncidentOrigin;
  readonly redaction?: RedactionConfig;
  /** The recorded changes before a moment, when the memory tier is on. */
  readonly history?: (namespace: string, at: Date) => Promise<ChangeHistory | undefined>;
  /** Every incident built: the sinks take it from here. */
  readonly onIncident: (incident: IncidentContext) => void;
  readonly hooks?: ObserverHooks;
  /** Namespaces harvested at once. */
  readonly concurrency?: number;
  readonly now?: () => Date;
}

interface Pending {
  readonly trigger: FailureTrigger;
  readonly pod: Pod;
  readonly detectedAt: Date;
  readonly debounced: number;
  readonly attempt: number;
}

const HARVEST_ATTEMPTS = 3;
/**
 * What a harvest reads: what an analysis reads (the graph's kinds, events, the rules' kinds), but
 * never Secrets. The agent may not read them (its RBAC has no Secrets), and an analysis without
 * them says a Secret's presence is unknown rather than missing.
 */
const HARVESTED_KINDS = ANALYSIS_READS.kinds.filter((kind) => kind.kind !== 'Secret');

function findKindOrThrow(name: string): KindInfo {
  const kind = findKind(name);
  if (kind === undefined) throw new Error(`kind ${name} is not registered`);
  return kind;
}

/**
 * The incident observer: watches pods, detects failures as their status changes, lets one per
 * pod+container+reason through per TTL, and harvests the evidence for it. Harvests of one
 * namespace are made together: one read of the namespace serves every failure queued for it, so
 * a hundred pods failing at once cost one list per kind, not a hundred. It holds no pods: a
 * status update is judged on its own and forgotten.
 */
export class Observer {
  readonly #options: ObserverOptions;
  readonly #debouncer: Debouncer;
  readonly #now: () => Date;
  readonly #queue = new Map<string, Pending[]>();
  readonly #busy = new Set<string>();
  #running = 0;
  #idle: (() => void)[] = [];
  #signal: AbortSignal = new AbortController().signal;

  constructor(options: ObserverOptions) {
    this.#options = options;
    this.#debouncer = new Debouncer({ ttlMs: options.debounceTtlMs });
    this.#now = options.now ?? (() => new Date());
  }

  /** Triggers held back by the debounce so far. */
  get debounced(): number {
    return this.#debouncer.suppressed;
  }

  /** Watches until the signal aborts; a watch that cannot go on (credentials, RBAC) ends it with its error. */
  async run(signal: AbortSignal): Promise<void> {
    this.#signal = signal;
    const pods = findKindOrThrow('pods');
    const scopes = this.#options.namespaces ?? [undefined];
    const handlers: WatchKindHandlers = {
      onListPage: (objects) => {
        for (const object of objects) this.observe(object);
      },
      onListEnd: () => undefined,
      onChange: (type, object) => {
        if (type !== 'DELETED') this.observe(object);
      },
      onProgress: () => undefined,
    };
    await Promise.all(
      scopes.map((namespace) =>
        this.#options.cluster.watchKind(
          pods,
          { ...(namespace === undefined ? {} : { namespace }), signal },
          handlers,
        ),
      ),
    );
    await this.whenIdle();
  }

  /** Judges one pod as it is now; a failure let through is queued for harvest. */
  observe(object: KubeObject): void {
    if (object.kind !== 'Pod') return;
    this.#options.hooks?.onPodSeen?.();
    const pod = object as Pod;
    const now = this.#now();
    const triggers = detectFailures(pod, {
      wanted: this.#options.detect,
      now,
      recentMs: this.#options.debounceTtlMs,
    });
    for (const trigger of triggers) {
      this.#options.hooks?.onDetected?.(trigger);
      if (!this.#debouncer.admit(trigger)) {
        this.#options.hooks?.onDebounced?.(trigger);
        continue;
      }
      this.#enqueue({
        trigger,
        pod,
        detectedAt: now,
        debounced: this.#debouncer.heldBackBefore(trigger),
        attempt: 1,
      });
    }
  }

  /** Resolves when nothing is queued or being harvested. */
  whenIdle(): Promise<void> {
    if (this.#running === 0 && this.#queue.size === 0) return Promise.resolve();
    return new Promise((resolve) => this.#idle.push(resolve));
  }

  #enqueue(pending: Pending): void {
    const list = this.#queue.get(pending.trigger.namespace);
    if (list === undefined) this.#queue.set(pending.trigger.namespace, [pending]);
    else list.push(pending);
    this.#pump();
  }

  #pump(): void {
    const limit = this.#options.concurrency ?? 2;
    for (const namespace of this.#queue.keys()) {
      if (this.#running >= limit) return;
      if (this.#busy.has(namespace)) continue;
      const batch = this.#queue.get(namespace) ?? [];
      this.#queue.delete(namespace);
      this.#busy.add(namespace);
      this.#running++;
      void this.#harvest(namespace, batch).finally(() => {
        this.#busy.delete(namespace);
        this.#running--;
        this.#pump();
        if (this.#running === 0 && this.#queue.size === 0)
          for (const resolve of this.#idle.splice(0)) resolve();
      });
    }
  }

  async #harvest(namespace: string, batch: readonly Pending[]): Promise<void> {
    const started = performance.now();
    const options = this.#options;
    let loaded: LoadResult;
    let history: ChangeHistory | undefined;
    try {
      [loaded, history] = await Promise.all([
        options.cluster.load({
          kinds: HARVESTED_KINDS,
          namespace,
          logs: {
            tailLines: options.tailLines,
            pods: new Set(batch.map((p) => `${namespace}/${p.trigger.pod}`)),
          },
          usage: ANALYSIS_READS.usage,
        }),
        options.history?.(namespace, this.#now()),
      ]);
    } catch (error) {
      const retry = batch.filter((pending) => pending.attempt < HARVEST_ATTEMPTS);
      for (const pending of batch) {
        if (pending.attempt < HARVEST_ATTEMPTS) continue;
        this.#debouncer.forget(pending.trigger);
        options.hooks?.onHarvestFailed?.(pending.trigger, error);
      }
      if (retry.length > 0 && !this.#signal.aborted) {
        await pause(1_000 * 2 ** (retry[0]?.attempt ?? 1), this.#signal);
        for (const pending of retry) this.#enqueue({ ...pending, attempt: pending.attempt + 1 });
      }
      return;
    }
    // One graph for the batch: only a pod deleted since it failed needs a snapshot (and graph) of its own.
    const graph = buildGraph(loaded.snapshot);
    for (const pending of batch) {
      // A pod deleted since it failed (an evicted pod is soon gone) is harvested as it was last seen.
      const snapshot = withPod(loaded.snapshot, pending.pod);
      try {
        const incident = buildIncident({
          snapshot,
          ...(snapshot === loaded.snapshot ? { graph } : {}),
          trigger: pending.trigger,
          origin: options.origin,
          detectedAt: pending.detectedAt,
          debounced: pending.debounced,
          windowMs: options.debounceTtlMs,
          tailLines: options.tailLines,
          gaps: loaded.gaps,
          ...(history === undefined ? {} : { history }),
          redactor: new Redactor(options.redaction),
        });
        options.hooks?.onHarvested?.(incident, performance.now() - started);
        options.onIncident(incident);
      } catch (error) {
        if (error instanceof RedactionError) options.hooks?.onRedactionFailed?.(pending.trigger, error);
        else options.hooks?.onHarvestFailed?.(pending.trigger, error);
      }
    }
  }
}

function withPod(snapshot: Snapshot, pod: Pod): Snapshot {
  if (snapshot.get(refOf(pod)) !== undefined) return snapshot;
  return new Snapshot({
    objects: [...snapshot.all(), pod],
    logs: [...snapshot.logs()],
    coverage: snapshot.coverage,
    capturedAt: snapshot.capturedAt,
  });
}
