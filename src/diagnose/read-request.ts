import type { ClusterSource, LoadResult } from '../kube/source.js';
import type { AnalysisReads } from '../analyze/analysis-reads.js';

/** How a front end watches a slow read: the CLI shows a spinner, the agent nothing. */
export type Reading = (what: string, load: Promise<LoadResult>) => Promise<LoadResult>;

/** What a use case reads, where, and how much of each failing container's log. */
export interface ReadScope {
  readonly source: ClusterSource;
  /** undefined: every namespace. */
  readonly namespace: string | undefined;
  /** Log lines of each failing container (current and previous) to read. */
  readonly tailLines: number;
  readonly reading?: Reading;
}

/** Reads what an analysis needs (the kinds and readings `reads` names) from the scope's source. */
export function readForAnalysis(scope: ReadScope, reads: AnalysisReads): Promise<LoadResult> {
  const load = scope.source.load({
    kinds: reads.kinds,
    ...(scope.namespace === undefined ? {} : { namespace: scope.namespace }),
    logs: { tailLines: scope.tailLines },
    ...(reads.usage ? { usage: true } : {}),
    ...(reads.withConditions ? { withConditions: true } : {}),
  });
  return scope.reading?.(`reading ${scope.source.description}`, load) ?? load;
}
