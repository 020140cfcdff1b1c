import type { AnalysisReads } from '../analyze/analysis-reads.js';
import { Coverage } from '../core/coverage.js';
import type { DataGap } from '../core/data-gap.js';
import type { KubeObject } from '../core/kube-object.js';
import type { Pod } from '../core/kube-types.js';
import { Snapshot, type ContainerLog } from '../core/snapshot.js';
import { buildGraph } from '../graph/build-graph.js';
import type { DependencyGraph } from '../graph/dependency-graph.js';
import type { LoadResult, LogWant } from '../kube/source.js';
import type { ReadScope } from './read-request.js';

/** A read widened along its calls, with its graph (built once, whether or not it widened). */
export interface FollowedRead extends LoadResult {
  readonly graph: DependencyGraph;
}

/** Other namespaces one analysis reads to follow what its pods dial: the first, by name. */
export const MAX_FOLLOWED_NAMESPACES = 5;
/** Running pods whose logs one analysis reads to see what their calls meet: one per workload. */
export const MAX_CALLER_LOGS = 20;

/**
 * Widens a read along the `calls` edges it found. Services named in namespaces the scope did not
 * read (`db.data.svc` from `-n app`) are read there too (a namespace that may not be read is a gap
 * naming it), and the current logs of Running pods that dial something are fetched (one pod per
 * workload), so failures only callers see show up. Both bounded; a source that cannot fetch more
 * logs (files, a recording) keeps what it loaded.
 */
export async function followCalls(
  scope: ReadScope,
  reads: AnalysisReads,
  read: LoadResult,
): Promise<FollowedRead> {
  const graph = buildGraph(read.snapshot);
  const elsewhere = new Set<string>();
  const callers: Pod[] = [];
  for (const edge of graph.edges()) {
    if (edge.kind !== 'calls' || edge.detail?.observed !== undefined) continue;
    const target = graph.nodeByKey(edge.to);
    const namespace = target?.ref.namespace;
    if (
      scope.namespace !== undefined &&
      target?.presence === 'unknown' &&
      namespace !== undefined &&
      namespace !== scope.namespace
    )
      elsewhere.add(namespace);
    const caller = graph.nodeByKey(edge.from)?.object;
    if (caller?.kind === 'Pod') callers.push(caller);
  }
  const namespaces = [...elsewhere].sort().slice(0, MAX_FOLLOWED_NAMESPACES);
  const more = await Promise.all(
    namespaces.map((namespace) => {
      const load = scope.source.load({
        kinds: reads.kinds.filter((kind) => kind.namespaced),
        namespace,
        logs: { tailLines: scope.tailLines },
      });
      return (
        scope.reading?.(
          `reading namespace ${namespace}, which pods of ${scope.namespace ?? ''} call`,
          load,
        ) ?? load
      );
    }),
  );
  const logs =
    scope.source.readLogs === undefined
      ? undefined
      : await scope.source.readLogs(callerLogs(callers, read.snapshot), scope.tailLines);
  if (more.length === 0 && (logs === undefined || logs.logs.length === 0) && (logs?.gaps.length ?? 0) === 0)
    return { ...read, graph };
  const coverage = new Coverage();
  const objects: KubeObject[] = [...read.snapshot.all()];
  const allLogs: ContainerLog[] = [...read.snapshot.logs(), ...(logs?.logs ?? [])];
  const gaps: DataGap[] = [...read.gaps, ...(logs?.gaps ?? [])];
  coverage.merge(read.snapshot.coverage);
  for (const result of more) {
    coverage.merge(result.snapshot.coverage);
    objects.push(...result.snapshot.all());
    allLogs.push(...result.snapshot.logs());
    gaps.push(...result.gaps);
  }
  const snapshot = new Snapshot({ objects, logs: allLogs, coverage, capturedAt: read.snapshot.capturedAt });
  return { snapshot, gaps, graph: buildGraph(snapshot) };
}

/**
 * The current logs of Running containers of pods that dial something, one pod per workload (the
 * first by name: replicas share their configuration), none already fetched; at most
 * {@link MAX_CALLER_LOGS} pods, by name.
 */
function callerLogs(callers: readonly Pod[], snapshot: Snapshot): LogWant[] {
  const byWorkload = new Map<string, Pod>();
  for (const pod of callers) {
    const owner = pod.metadata.ownerReferences?.find((o) => o.controller === true)?.uid ?? podKey(pod);
    const kept = byWorkload.get(owner);
    if (kept === undefined || pod.metadata.name < kept.metadata.name) byWorkload.set(owner, pod);
  }
  const wanted = [...byWorkload.values()]
    .sort((a, b) => podKey(a).localeCompare(podKey(b)))
    .map((pod) => {
      const namespace = pod.metadata.namespace ?? '';
      return (pod.status?.containerStatuses ?? [])
        .filter(
          (status) =>
            status.state?.running !== undefined &&
            snapshot.log(namespace, pod.metadata.name, status.name, false) === undefined,
        )
        .map((status) => ({ namespace, pod: pod.metadata.name, container: status.name, previous: false }));
    })
    .filter((containers) => containers.length > 0);
  return wanted.slice(0, MAX_CALLER_LOGS).flat();
}

function podKey(pod: Pod): string {
  return `${pod.metadata.namespace ?? ''}/${pod.metadata.name}`;
}
