import type { DataGap } from '../core/data-gap.js';
import type { Finding } from '../core/finding.js';
import type { ChangeHistory } from '../core/change-history.js';
import type { Snapshot } from '../core/snapshot.js';
import type { DependencyGraph } from '../graph/dependency-graph.js';
import { fixPlaceOf } from './fix-object.js';
import type { Problem } from './problem.js';
import { rankFindings } from './rank.js';
import { RULES } from './registry.js';
import { runRules, type Rule } from './rule.js';

export interface Analysis {
  readonly findings: readonly Finding[];
  readonly problems: readonly Problem[];
  /** Objects a rule could not read; the rest of the analysis stands. */
  readonly gaps: readonly DataGap[];
}

export interface AnalyzeOptions {
  /** Analyze only these objects (ref keys), e.g. an object's graph neighbourhood. */
  readonly only?: ReadonlySet<string>;
  readonly rules?: readonly Rule[];
  /** Recorded changes before the snapshot's moment (the memory tier), for the rules that read them. */
  readonly history?: ChangeHistory;
}

/** Runs the analyzers over a snapshot and ranks what they find into problems with root causes. */
export function analyze(snapshot: Snapshot, graph: DependencyGraph, options: AnalyzeOptions = {}): Analysis {
  const rules = options.rules ?? RULES;
  const context = {
    snapshot,
    graph,
    now: snapshot.capturedAt,
    ...(options.history === undefined ? {} : { history: options.history }),
  };
  const { findings, gaps } = runRules(rules, context, options.only);
  const idsWhere = (test: (rule: Rule) => boolean): Set<string> =>
    new Set(rules.filter(test).map((rule) => rule.id));
  const templateRules = idsWhere((rule) => rule.fixInTemplate === true);
  const ranked = rankFindings(
    findings,
    graph,
    idsWhere((rule) => rule.symptom === true),
    idsWhere((rule) => rule.explainsDependents === true),
  );
  return {
    findings,
    problems: ranked.map((problem) => ({
      ...problem,
      ...fixPlaceOf(problem.rootCause, snapshot, templateRules),
    })),
    gaps,
  };
}
