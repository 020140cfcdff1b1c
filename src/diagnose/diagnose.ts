import { performance } from 'node:perf_hooks';
import { analyze } from '../analyze/analyze.js';
import { ANALYSIS_READS } from '../analyze/analysis-reads.js';
import type { ChangeHistory } from '../core/change-history.js';
import type { DataGap } from '../core/data-gap.js';
import { AppError } from '../core/errors.js';
import type { KindInfo } from '../core/kinds.js';
import type { KubeObject } from '../core/kube-object.js';
import { formatSelector, selectorMatches, type LabelSelector } from '../core/label-selector.js';
import type { ResourceArg } from '../core/resource-arg.js';
import { refKey, refOf, type ResourceRef } from '../core/resource-ref.js';
import type { Snapshot } from '../core/snapshot.js';
import { objectsBearingOn } from '../graph/bearing.js';
import type { Diagnosis } from './diagnosis.js';
import { followCalls } from './follow-calls.js';
import { withinNamespace } from './namespace-scope.js';
import { readForAnalysis, type ReadScope } from './read-request.js';
import { resolveRoots } from './resolve-roots.js';

/** The recorded changes an analysis may name as causes, for a namespace (or every one). */
export type HistoryFor = (namespace: string | undefined) => Promise<ChangeHistory | undefined>;

/** What a diagnosis needs: where to read, the object asked about (or none: the whole scope). */
export interface DiagnoseInput extends ReadScope {
  readonly target?: ResourceArg;
  /**
   * `-l`: the objects whose labels match (of `selectorKind` when given, else of every kind but
   * Event) and what bears on each, as a target's; never with `target`.
   */
  readonly selector?: LabelSelector;
  readonly selectorKind?: KindInfo;
  /** Recorded changes; absent where there is no recording (files, the memory tier off). */
  readonly history?: HistoryFor;
}

/**
 * The diagnose use case, shared by `analyze`, `replay`, and whatever front end asks next: reads
 * what the rules need, builds the graph, narrows to what bears on the target, runs the analyzers
 * with any recorded history, and ranks; for a namespace, keeps the problems that reach it. A target
 * that is not there is a not-found error.
 */
export async function diagnose(input: DiagnoseInput): Promise<Diagnosis> {
  const { source, namespace, target } = input;
  const started = performance.now();
  const { snapshot, gaps, graph } = await followCalls(
    input,
    ANALYSIS_READS,
    await readForAnalysis(input, ANALYSIS_READS),
  );
  let targetRef: ResourceRef | undefined;
  let only: Set<string> | undefined;
  if (target !== undefined) {
    const [root] = resolveRoots(snapshot, { kind: target.kind, name: target.name, namespace }, gaps);
    if (root === undefined) throw new AppError('not-found', `${target.kind.kind} ${target.name} not found`);
    targetRef = refOf(root);
    only = objectsBearingOn(graph, refKey(targetRef));
  } else if (input.selector !== undefined) {
    only = new Set();
    for (const root of selected(snapshot, input.selector, input.selectorKind, namespace, gaps))
      for (const key of objectsBearingOn(graph, refKey(refOf(root)))) only.add(key);
  }
  const history = await input.history?.(namespace);
  const analyzed = analyze(snapshot, graph, {
    ...(only === undefined ? {} : { only }),
    ...(history === undefined ? {} : { history }),
  });
  const analysis =
    namespace === undefined || target !== undefined || input.selector !== undefined
      ? analyzed
      : { ...analyzed, ...withinNamespace(analyzed.problems, analyzed.findings, namespace) };
  return {
    source: source.description,
    capturedAt: snapshot.capturedAt.toISOString(),
    ...(targetRef === undefined ? {} : { target: targetRef }),
    ...(namespace === undefined ? {} : { namespace }),
    ...(input.selector === undefined ? {} : { selector: formatSelector(input.selector) }),
    problems: analysis.problems,
    findings: analysis.findings,
    gaps: [...gaps, ...analysis.gaps],
    objectsAnalyzed: only?.size ?? countObjects(snapshot),
    tookMs: performance.now() - started,
  };
}

/**
 * The objects `-l` selects: of one kind (`analyze pods -l app=web`), else of every kind but Event
 * (pods, their workloads, Services, ConfigMaps… labelled alike). None is a not-found error.
 */
function selected(
  snapshot: Snapshot,
  selector: LabelSelector,
  kind: KindInfo | undefined,
  namespace: string | undefined,
  gaps: readonly DataGap[],
): readonly KubeObject[] {
  if (kind !== undefined) return resolveRoots(snapshot, { kind, namespace, selector }, gaps);
  const matches = [...snapshot.all()].filter(
    (object) =>
      object.kind !== 'Event' &&
      (namespace === undefined ||
        object.metadata.namespace === undefined ||
        object.metadata.namespace === namespace) &&
      selectorMatches(selector, object.metadata.labels),
  );
  if (matches.length === 0)
    throw new AppError(
      'not-found',
      `no object matches -l ${formatSelector(selector)}${namespace === undefined ? '' : ` in namespace ${namespace}`}; list what carries the labels with kubectl get all${namespace === undefined ? ' -A' : ` -n ${namespace}`} --show-labels`,
    );
  return matches;
}

function countObjects(snapshot: Snapshot): number {
  return snapshot.size - snapshot.ofKind('Event').length;
}
