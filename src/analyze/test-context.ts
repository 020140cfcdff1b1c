import { readFileSync } from 'node:fs';
import { Coverage } from '../core/coverage.js';
import { KINDS } from '../core/kinds.js';
import type { KubeObject } from '../core/kube-object.js';
import { Snapshot } from '../core/snapshot.js';
import { buildGraph } from '../graph/build-graph.js';
import type { AnalyzerContext } from './rule.js';

/** A context over objects, as the CLI builds one (every kind counted as read). For tests. */
export function contextOf(
  objects: readonly KubeObject[],
  capturedAt = new Date('2026-11-20T03:12:00Z'),
): AnalyzerContext {
  const coverage = new Coverage();
  for (const kind of KINDS) coverage.add(kind.kind);
  const snapshot = new Snapshot({ objects, coverage, capturedAt });
  return { snapshot, graph: buildGraph(snapshot), now: capturedAt };
}

/** The items of a real capture in ../shared/realdata. For tests. */
export function realdataItems(path: string): KubeObject[] {
  const parsed = JSON.parse(
    readFileSync(new URL(`../../../shared/realdata/${path}`, import.meta.url), 'utf8'),
  ) as { items?: KubeObject[] };
  return parsed.items ?? [];
}
