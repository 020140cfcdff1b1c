import type { Evidence, Finding } from '../core/finding.js';
import { refKey, refOf } from '../core/resource-ref.js';
import type { KubeObject } from '../core/kube-object.js';
import type { Snapshot } from '../core/snapshot.js';
import type { DependencyGraph } from '../graph/dependency-graph.js';

/** What a rule may read. Rules do no I/O and never read the clock: `now` is the snapshot's moment. */
export interface AnalyzerContext {
  readonly snapshot: Snapshot;
  readonly graph: DependencyGraph;
  readonly now: Date;
}

/** One analyzer: a pure rule over objects of some kinds (DESIGN.md §7.1). One rule per file. */
export interface Rule {
  /** Stable id, shown in output and used in JSON: `pod-crashloop`, `configmap-missing-key`. */
  readonly id: string;
  /** Kinds whose objects `detect` is called with. */
  readonly kinds: readonly string[];
  /**
   * Its findings can be the effect of a failure of something the object depends on (a Deployment
   * unavailable because its pods fail), so the ranking may put them under that cause. Findings of
   * other rules are causes in their own right, or unrelated: never chained under another.
   */
  readonly symptom?: boolean;
  detect(object: KubeObject, context: AnalyzerContext): readonly Finding[];
}

/**
 * Runs every rule over the objects of its kinds; with `only`, over those objects (by ref key) alone.
 * Findings that say the same thing about the same object (three pods missing one ConfigMap key)
 * become one, with the evidence of each.
 */
export function runRules(
  rules: readonly Rule[],
  context: AnalyzerContext,
  only?: ReadonlySet<string>,
): Finding[] {
  const merged = new Map<string, Finding>();
  for (const rule of rules) {
    for (const kind of rule.kinds) {
      for (const object of context.snapshot.ofKind(kind)) {
        if (only !== undefined && !only.has(refKey(refOf(object)))) continue;
        for (const finding of rule.detect(object, context)) {
          const key = `${finding.ruleId}|${refKey(finding.resource)}|${finding.message}`;
          const existing = merged.get(key);
          merged.set(
            key,
            existing === undefined
              ? finding
              : { ...existing, evidence: unique([...existing.evidence, ...finding.evidence]) },
          );
        }
      }
    }
  }
  return [...merged.values()];
}

function unique(evidence: readonly Evidence[]): Evidence[] {
  const seen = new Set<string>();
  return evidence.filter((item) => {
    const key = JSON.stringify(item);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
