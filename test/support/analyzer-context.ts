import { Coverage } from '../../src/core/coverage.js';
import { KINDS } from '../../src/core/kinds.js';
import type { KubeObject } from '../../src/core/kube-object.js';
import { Snapshot, type ContainerLog } from '../../src/core/snapshot.js';
import { buildGraph } from '../../src/graph/build-graph.js';
import type { AnalyzerContext } from '../../src/analyze/rule.js';

/** A context over objects, as the CLI builds one (every kind counted as read). For tests. */
export function contextOf(
  objects: readonly KubeObject[],
  capturedAt = new Date('2026-11-20T03:12:00Z'),
  logs: readonly ContainerLog[] = [],
): AnalyzerContext {
  const coverage = new Coverage();
  for (const kind of KINDS) coverage.add(kind.kind);
  const snapshot = new Snapshot({ objects, logs, coverage, capturedAt });
  return { snapshot, graph: buildGraph(snapshot), now: capturedAt };
}
