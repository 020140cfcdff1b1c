import type { DataGap } from '../core/data-gap.js';
import type { KindInfo } from '../core/kinds.js';
import type { Snapshot } from '../core/snapshot.js';
import type { EventRecord } from '../core/event-record.js';

/** What a command needs read. */
export interface LoadRequest {
  /** Only these kinds are read: a command names what it needs, never "everything". */
  readonly kinds: readonly KindInfo[];
  /** Namespace for namespaced kinds; undefined reads all namespaces (`-A`). */
  readonly namespace?: string;
  /** Also fetch the logs (current and previous) of failing containers, the last `tailLines` of each. */
  readonly logs?: { readonly tailLines: number };
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
  /** Follows new events until the signal aborts. Sources that cannot follow throw a usage error. */
  followEvents(options: FollowEventsOptions): Promise<void>;
  /** Releases connections; the source is not used afterwards. */
  close(): void;
}
