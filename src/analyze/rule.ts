import type { Evidence, Finding } from '../core/finding.js';
import type { DataGap } from '../core/data-gap.js';
import { AppError } from '../core/errors.js';
import { formatRef, refKey, refOf } from '../core/resource-ref.js';
import type { KubeObject } from '../core/kube-object.js';
import type { Snapshot } from '../core/snapshot.js';
import type { ChangeHistory } from '../core/change-history.js';
import type { DependencyGraph } from '../graph/dependency-graph.js';
import type { ObjectOf } from '../core/kind-objects.js';
import type { KnownKind } from '../core/kinds.js';

/** What a rule may read. Rules do no I/O and never read the clock: `now` is the snapshot's moment. */
export interface AnalyzerContext {
  readonly snapshot: Snapshot;
  readonly graph: DependencyGraph;
  readonly now: Date;
  /** Recorded changes before `now`, when the memory tier is on and has a recording. */
  readonly history?: ChangeHistory;
}

/**
 * One analyzer: a pure rule over objects of some kinds (DESIGN.md §7.1). One rule per file,
 * declared with {@link defineRule} so `detect` receives the kind's typed view.
 */
export interface Rule<K extends KnownKind = KnownKind> {
  /** Stable id, shown in output and used in JSON: `pod-crashloop`, `configmap-missing-key`. */
  readonly id: string;
  /** What it finds, in a line: the README's table of analyzers is made from these. */
  readonly summary: string;
  /** Kinds whose objects `detect` is called with. */
  readonly kinds: readonly K[];
  /**
   * Other kinds `detect` looks up in the snapshot (a quota's pods, a pod's events, the nodes a
   * pod could go to). What a command reads is derived from these and {@link Rule.kinds}: a kind
   * left out here would silently be absent, so a test watches the lookups rules make.
   */
  readonly reads: readonly KnownKind[];
  /**
   * Its findings can be the effect of a failure of something the object depends on (a Deployment
   * unavailable because its pods fail), so the ranking may put them under that cause. Findings of
   * other rules are causes in their own right, or unrelated: never chained under another.
   */
  readonly symptom?: boolean;
  /**
   * Its findings are changes that explain any failure of what depends on the object, symptom or
   * not (a ConfigMap edited just before the pods reading it began to crash).
   */
  readonly explainsDependents?: boolean;
  /**
   * Its findings on a pod (or a ReplicaSet, or a Job) are faults of the pod template (image,
   * command, probes, resources, env): the object to change is the top owner whose template it is,
   * the Deployment rather than the pod (`src/analyze/fix-object.ts`). A finding's own
   * {@link Finding.fixObject} wins over it.
   */
  readonly fixInTemplate?: boolean;
  detect(object: ObjectOf<K>, context: AnalyzerContext): readonly Finding[];
}

/**
 * Declares a rule, typing `detect`'s object by the kinds it names: `kinds: ['Pod']` gives a Pod,
 * and a misspelt kind does not compile.
 */
export function defineRule<const K extends KnownKind>(rule: Rule<K>): Rule<K> {
  return rule;
}

/** Any rule, whatever its kinds: what registries and runners hold. */
// Method parameters are bivariant, so a Rule<'Pod'> is a Rule<KnownKind>; runRules calls each
// rule only with objects of its own kinds.
export type AnyRule = Rule;

/** What the rules found, and the objects a rule could not read (a malformed quantity, say). */
export interface RuleResults {
  readonly findings: Finding[];
  readonly gaps: DataGap[];
}

/**
 * Runs every rule over the objects of its kinds; with `only`, over those objects (by ref key) alone.
 * Findings that say the same thing about the same object (three pods missing one ConfigMap key)
 * become one, with the evidence of each. An object a rule cannot read costs that rule that object,
 * reported as a data gap, never the whole analysis.
 */
export function runRules(
  rules: readonly AnyRule[],
  context: AnalyzerContext,
  only?: ReadonlySet<string>,
): RuleResults {
  const merged = new Map<string, Finding>();
  const gaps: DataGap[] = [];
  for (const rule of rules) {
    for (const kind of rule.kinds) {
      for (const object of context.snapshot.ofKind(kind)) {
        if (only !== undefined && !only.has(refKey(refOf(object)))) continue;
        let found: readonly Finding[];
        try {
          found = rule.detect(object, context);
        } catch (error) {
          if (!(error instanceof AppError)) throw error;
          gaps.push(unreadable(rule, object, error));
          continue;
        }
        for (const finding of found) {
          const key = `${finding.ruleId}|${refKey(finding.resource)}|${finding.message}`;
          const existing = merged.get(key);
          merged.set(key, existing === undefined ? finding : mergeFindings(existing, finding));
        }
      }
    }
  }
  return { findings: [...merged.values()], gaps };
}

/**
 * One finding for two that say the same thing: the evidence of both. Where they name different
 * objects to change (two claims of different StatefulSets asking for one missing StorageClass),
 * neither is the one, and the finding's own object stands.
 */
function mergeFindings(existing: Finding, finding: Finding): Finding {
  const evidence = unique([...existing.evidence, ...finding.evidence]);
  const { fixObject, ...rest } = existing;
  const agreed =
    fixObject !== undefined &&
    finding.fixObject !== undefined &&
    refKey(fixObject) === refKey(finding.fixObject);
  return agreed ? { ...rest, fixObject, evidence } : { ...rest, evidence };
}

/** A rule's failure on one object as a gap: which object, what was wrong, how to look at it. */
function unreadable(rule: AnyRule, object: KubeObject, error: AppError): DataGap {
  const ref = refOf(object);
  const { namespace } = object.metadata;
  return {
    resource: formatRef(ref, { withNamespace: true }),
    ...(namespace === undefined ? {} : { namespace }),
    reason: 'error',
    message: `rule ${rule.id} could not read it: ${error.message}`,
    check: `kubectl ${namespace === undefined ? '' : `-n ${namespace} `}get ${ref.kind.toLowerCase()} ${ref.name} -o yaml`,
  };
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
