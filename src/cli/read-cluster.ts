import type { KindInfo } from '../core/kinds.js';
import type { ClusterSource, LoadResult } from '../kube/source.js';
import type { Reading } from '../diagnose/read-request.js';
import type { Io } from './io.js';
import { withProgress } from './progress.js';

export interface ReadRequest {
  readonly kinds: readonly KindInfo[];
  /** undefined: every namespace. */
  readonly namespace: string | undefined;
  /** Read the logs of failing containers, this many lines each. */
  readonly logTailLines?: number;
  /** Read the Metrics API's usage of pods with an OOM-killed container. */
  readonly usage?: boolean;
}

/** Reads what a command needs from its source, with the progress indicator for slow reads. */
export function readCluster(io: Io, source: ClusterSource, request: ReadRequest): Promise<LoadResult> {
  return withProgress(
    io,
    `reading ${source.description}`,
    source.load({
      kinds: request.kinds,
      ...(request.namespace === undefined ? {} : { namespace: request.namespace }),
      ...(request.logTailLines === undefined ? {} : { logs: { tailLines: request.logTailLines } }),
      ...(request.usage === true ? { usage: true } : {}),
    }),
  );
}

/** The progress indicator as the use cases take it: a spinner on stderr while a slow read runs. */
export function progressReading(io: Io): Reading {
  return (what, load) => withProgress(io, what, load);
}
