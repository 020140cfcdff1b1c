import type { DataGap } from '../core/data-gap.js';
import type { KindInfo } from '../core/kinds.js';
import type { ContainerLog, Snapshot } from '../core/snapshot.js';
import type { EventRecord } from '../core/event-record.js';
import type { KubeObject } from '../core/kube-object.js';

/** What a command needs read. */
export interface LoadRequest {
  /** Only these kinds are read: a command names what it needs, never "everything". */
  readonly kinds: readonly KindInfo[];
  /** Namespace for namespaced kinds; undefined reads all namespaces (`-A`). */
  readonly namespace?: string;
  /**
   * Also fetch the logs (current and previous) of failing containers, the last `tailLines` of each;
   * with `pods` (`namespace/name` keys), of those pods' containers only.
   */
  readonly logs?: { readonly tailLines: number; readonly pods?: ReadonlySet<string> };
  /**
   * Also read what pods with a container killed for memory (OOMKilled) use now, from the Metrics
   * API (`PodMetrics`, served by metrics-server): one list, and only when there is such a pod.
   */
  readonly usage?: boolean;
  /**
   * Also keep objects of kinds not in `kinds` that carry `status.conditions`, where the source holds
   * them already (files, a recording's custom resources): rules judge them by their standard
   * conditions. The live source lists the kinds named and no others.
   */
  readonly withConditions?: boolean;
}

/** One container's log to fetch. */
export interface LogWant {
  readonly namespace: string;
  readonly pod: string;
  readonly container: string;
  readonly previous: boolean;
}

/** Logs fetched, and the namespaces whose logs could not be read. */
export interface LogsResult {
  readonly logs: readonly ContainerLog[];
  readonly gaps: readonly DataGap[];
}

/** A snapshot and what could not be read for it. */
export interface LoadResult {
  readonly snapshot: Snapshot;
  readonly gaps: readonly DataGap[];
}

/** Options for following new events as they happen (`events -w`). */
export interface FollowEventsOptions {
  readonly namespace?: string;
  readonly signal: AbortSignal;
  readonly onEvent: (event: EventRecord) => void;
}

/** How a kind is followed: from where, until when, and how its objects are made safe to keep. */
export interface WatchKindOptions {
  /** Namespace for a namespaced kind; undefined follows all namespaces. */
  readonly namespace?: string;
  /**
   * The resourceVersion a previous run got to: the watch starts there and no list is made. When
   * the server has compacted it away (410 Gone), the kind is listed again (`onListPage`).
   */
  readonly resumeFrom?: string;
  readonly signal: AbortSignal;
  /**
   * Applied to every object before the handlers see it, in place of the default (Secret values
   * blanked). If it throws, the default applies: a Secret value never gets through by accident.
   */
  readonly redact?: (object: KubeObject) => KubeObject;
}

export type WatchChangeType = 'ADDED' | 'MODIFIED' | 'DELETED';

/** What a followed kind reports, in order. */
export interface WatchKindHandlers {
  /**
   * A page of the kind's objects as they are now. The kind is listed first (unless resuming) and
   * again after every 410 Gone, so whatever happened in the gap (deletions too) can be told by
   * comparing. Pages come as they are read, so nobody holds a whole list of 10,000 pods. A list
   * whose snapshot expires between pages starts over: its new first page says `restarted`, and
   * what the pages before it said is of an older moment.
   */
  onListPage(objects: readonly KubeObject[], restarted: boolean): void;
  /** The list is whole: the watch goes on from `resourceVersion`. */
  onListEnd(resourceVersion: string): void;
  onChange(type: WatchChangeType, object: KubeObject): void;
  /** The server says the watch has got to `resourceVersion` (a bookmark), with no change to report. */
  onProgress(resourceVersion: string): void;
}

/**
 * The one port every command reads a cluster through: the API server, files on disk, or (later)
 * the recorder's memory at a moment. The analyzers above it cannot tell which.
 */
export interface ClusterSource {
  /** A few words for messages: `cluster kind-dev`, `files ./dump`. */
  readonly description: string;
  /**
   * The namespace commands use when neither -n nor -A is given: the kubeconfig context's for a
   * cluster; undefined (every namespace) for files, since a dump is already scoped by its maker.
   */
  readonly defaultNamespace: string | undefined;
  load(request: LoadRequest): Promise<LoadResult>;
  /**
   * Fetches the current logs of these containers, the last `tailLines` of each: the logs of Running
   * pods a command chose to read (callers of a dependency). Sources that hold no more logs than
   * they loaded (files, a recording) do not have it.
   */
  readLogs?(wanted: readonly LogWant[], tailLines: number): Promise<LogsResult>;
  /** Follows new events until the signal aborts. Sources that cannot follow throw a usage error. */
  followEvents(options: FollowEventsOptions): Promise<void>;
  /** Releases connections; the source is not used afterwards. */
  close(): void;
}
