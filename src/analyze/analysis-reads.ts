import { KINDS, type KindInfo, type KnownKind } from '../core/kinds.js';
import { GRAPH_KINDS } from '../graph/graph-kinds.js';
import type { AnyRule } from './rule.js';
import { RULES } from './registry.js';

/** What an analysis reads from a source: derived, never a second hand-kept list. */
export interface AnalysisReads {
  /** The graph's kinds, events, and every kind a rule is called with or looks up. */
  readonly kinds: readonly KindInfo[];
  /** A rule reads the Metrics API's pod usage (not a kind of object: a reading). */
  readonly usage: boolean;
  /** A rule judges objects of any kind by their conditions: keep those a source already holds. */
  readonly withConditions: boolean;
}

/** The reads that running `rules` over a graph needs, in the order of {@link KINDS}. */
export function readsOf(rules: readonly AnyRule[]): AnalysisReads {
  const wanted = new Set<string>(['Event', ...GRAPH_KINDS.map((kind) => kind.kind)]);
  for (const rule of rules) for (const kind of [...rule.kinds, ...rule.reads]) wanted.add(kind);
  const usage: KnownKind = 'PodMetrics';
  return {
    kinds: KINDS.filter((kind) => wanted.has(kind.kind)),
    usage: wanted.has(usage),
    withConditions: rules.some((rule) => rule.unjudgedKinds === true),
  };
}

/** What `analyze`, `describe` and the agent's harvest read: everything the registry's rules need. */
export const ANALYSIS_READS: AnalysisReads = readsOf(RULES);
