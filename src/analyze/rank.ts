import type { Finding, Severity } from '../core/finding.js';
import { severityRank } from '../core/finding.js';
import { refKey, type ResourceRef } from '../core/resource-ref.js';
import type { DependencyGraph } from '../graph/dependency-graph.js';
import type { GraphEdge } from '../graph/edge.js';

/** Why a problem ranks where it does: every factor, and how they add up. */
export interface ScoreFactors {
  /** The worst of the root cause and its symptoms: critical 3, warning 2, info 1. */
  readonly severity: number;
  /** Objects it breaks: those of its symptoms and evidence, and the Ingresses routed to them. */
  readonly affected: number;
  /** `ops.kubectl-smart.io/criticality` on the objects involved: high 3, medium 2, low or absent 1. */
  readonly criticality: number;
  /** severity × 10 + affected × 2 + criticality × 5. */
  readonly total: number;
}

/** One problem: a root cause, how it reaches what people see, and what else is going on around it. */
export interface RankedProblem {
  readonly rootCause: Finding;
  /** From the most visible affected object down to the root cause's object, along dependencies. */
  readonly chain: readonly ResourceRef[];
  /** Findings the root cause explains: its symptoms. */
  readonly symptoms: readonly Finding[];
  /** Findings on the same objects or their neighbours that it does not explain. */
  readonly contributing: readonly Finding[];
  /**
   * Sibling pods (same controller) whose root cause is this one, word for word: one problem for a
   * Deployment's three crashing pods, not three. The root cause's evidence is the first pod's.
   */
  readonly alsoOn: readonly ResourceRef[];
  readonly score: ScoreFactors;
}

const CRITICALITY_LABEL = 'ops.kubectl-smart.io/criticality';
const MAX_HOPS = 8;
/** How visible a kind is to the people a failure reaches: the chain starts at the most visible. */
const VISIBILITY: Readonly<Record<string, number>> = {
  Ingress: 6,
  Service: 5,
  Deployment: 4,
  StatefulSet: 4,
  DaemonSet: 4,
  CronJob: 4,
  Job: 3,
  ReplicaSet: 2,
  Pod: 1,
};

/**
 * Ranks findings into problems through the dependency graph. Finding A explains finding B when B's
 * object depends, through any number of hops, on A's object and B's rule reports symptoms (or A is
 * a recorded change, or B's object was seen in its logs failing to reach what leads to A's object);
 * a root cause is a finding nothing explains. Findings on objects with no
 * dependency path between them are never chained together. Pure and deterministic.
 */
export function rankFindings(
  findings: readonly Finding[],
  graph: DependencyGraph,
  symptomRules: ReadonlySet<string>,
  /** Rules whose findings are recorded changes: they explain any finding downstream (recent-change). */
  changeRules: ReadonlySet<string> = new Set(),
): RankedProblem[] {
  const findingKeys = [...new Set(findings.map((finding) => refKey(finding.resource)))];
  const reach = new Map<string, Map<string, string | undefined>>();
  for (const key of findingKeys) reach.set(key, upstream(graph, key));
  for (const finding of findings) {
    const parents = reach.get(refKey(finding.resource));
    for (const ref of finding.waitsOn ?? []) parents?.set(refKey(ref), refKey(finding.resource));
  }
  // What each finding's object was seen failing to reach: everything upstream of the targets of its
  // `calls` edges that its logs saw fail. A failure there explains the caller's own failure, whatever
  // rule found it: the connection errors are the link's evidence.
  const failingCalls = new Map<string, Set<string>>();
  for (const key of findingKeys) {
    for (const edge of graph.outgoing(key)) {
      if (edge.kind !== 'calls' || edge.detail?.observed === undefined) continue;
      const seen = failingCalls.get(key) ?? new Set<string>();
      for (const up of upstream(graph, edge.to).keys()) seen.add(up);
      failingCalls.set(key, seen);
    }
  }
  // What each finding waits on (a quota that refuses its pods, a webhook's Service): a finding on
  // that object explains it, whatever rule found it, as a failing call's target does.
  const waited = new Map<Finding, Set<string>>();
  for (const finding of findings) {
    if (finding.waitsOn !== undefined && finding.waitsOn.length > 0)
      waited.set(finding, new Set(finding.waitsOn.map(refKey)));
  }
  const dependsOn = (from: string, on: string): boolean => from !== on && (reach.get(from)?.has(on) ?? false);
  // A explains B: B depends on A, not the other way round (a cycle explains nothing).
  const explains = (cause: string, effect: string): boolean =>
    dependsOn(effect, cause) && !dependsOn(cause, effect);
  const changeKeys = new Set(
    findings.filter((f) => changeRules.has(f.ruleId)).map((f) => refKey(f.resource)),
  );
  const findingKeySet = new Set(findingKeys);
  // What recorded changes name as their effects where the graph has no path (a Deployment's
  // template change and its pods): by the change's object, and every object so named.
  const named = new Map<string, Set<string>>();
  for (const finding of findings) {
    if (!changeRules.has(finding.ruleId)) continue;
    const key = refKey(finding.resource);
    for (const ref of finding.explains ?? []) {
      const effects = named.get(key) ?? new Set<string>();
      effects.add(refKey(ref));
      named.set(key, effects);
    }
  }
  const namedEffects = new Set([...named.values()].flatMap((effects) => [...effects]));
  // Whether `cause` explains `effect`: any finding downstream of a recorded change (or named by
  // it, unless itself a change), symptoms downstream of anything.
  const explainsFinding = (cause: Finding, effect: Finding): boolean =>
    ((changeRules.has(cause.ruleId) ||
      symptomRules.has(effect.ruleId) ||
      (failingCalls.get(refKey(effect.resource))?.has(refKey(cause.resource)) ?? false) ||
      (waited.get(effect)?.has(refKey(cause.resource)) ?? false)) &&
      explains(refKey(cause.resource), refKey(effect.resource))) ||
    (changeRules.has(cause.ruleId) &&
      !changeRules.has(effect.ruleId) &&
      (named.get(refKey(cause.resource))?.has(refKey(effect.resource)) ?? false));
  // The graph is walked once per object (its upstream, `reach`); everything below looks things up
  // in those walks rather than comparing every finding with every other: a namespace of 10,000
  // crash-looping pods ranks in well under a second.
  const explainedBy = (key: string, among: ReadonlySet<string>): boolean =>
    [...(reach.get(key)?.keys() ?? [])].some((up) => among.has(up) && explains(up, key));
  // Findings by the objects they depend on, in their given order: the candidates each root explains.
  const order = new Map(findings.map((finding, i) => [finding, i]));
  const byKey = new Map<string, Finding[]>();
  for (const finding of findings) {
    const key = refKey(finding.resource);
    const list = byKey.get(key);
    if (list === undefined) byKey.set(key, [finding]);
    else list.push(finding);
  }
  const downstream = new Map<string, Finding[]>();
  for (const [key, parents] of reach) {
    for (const up of parents.keys()) {
      if (up === key) continue;
      const list = downstream.get(up);
      const here = byKey.get(key) ?? [];
      if (list === undefined) downstream.set(up, [...here]);
      else list.push(...here);
    }
  }

  const explainedByCall = (key: string): boolean =>
    [...(failingCalls.get(key) ?? [])].some((up) => findingKeySet.has(up) && explains(up, key));
  const explainedByWait = (finding: Finding): boolean =>
    [...(waited.get(finding) ?? [])].some(
      (up) => findingKeySet.has(up) && explains(up, refKey(finding.resource)),
    );
  const roots = findings.filter((finding) => {
    const key = refKey(finding.resource);
    if (explainedBy(key, changeKeys) || explainedByCall(key) || explainedByWait(finding)) return false;
    if (!changeRules.has(finding.ruleId) && namedEffects.has(key)) return false;
    return !symptomRules.has(finding.ruleId) || !explainedBy(key, findingKeySet);
  });
  const single = roots.map((root): RankedProblem & { contributing: Finding[] } => {
    const rootKey = refKey(root.resource);
    const effects = named.get(rootKey) ?? new Set<string>();
    const symptoms = [
      ...new Set([
        ...(downstream.get(rootKey) ?? []),
        ...[...effects].flatMap((key) => byKey.get(key) ?? []),
      ]),
    ]
      .filter((other) => other !== root && explainsFinding(root, other))
      .sort((a, b) => (order.get(a) ?? 0) - (order.get(b) ?? 0));
    // The workload above the root's object (a pod's Deployment) is broken with it whether or not its
    // status has caught up at the moment read (a Deployment reads 1/1 ready in the seconds its
    // crash-looping pod runs between crashes): counted always, so score and chain do not depend on
    // that moment.
    const workload = topOwner(graph, rootKey);
    const keys = [
      ...new Set([
        rootKey,
        ...(workload === undefined ? [] : [workload]),
        ...symptoms.map((f) => refKey(f.resource)),
      ]),
    ];
    const ingresses = routedIngresses(graph, keys);
    // The chain starts where people meet the failure: the Services in front of the root's object
    // count whether or not their endpoints have caught up at the moment read (a crash-looping pod
    // is Ready for a moment between crashes), so the chain does not depend on that moment.
    const chainKeys = [...new Set([...keys, ...servicesSelecting(graph, rootKey)])];
    const chain = [
      ...routedIngresses(graph, chainKeys).slice(0, 1),
      ...pathBetween(graph, reach, mostVisible(chainKeys, graph), rootKey, effects),
    ];
    return {
      rootCause: root,
      chain: dedupeAdjacent(chain).map((key) => graph.nodeByKey(key)?.ref ?? refFromKey(key)),
      symptoms,
      contributing: [],
      alsoOn: [],
      score: scoreOf(
        worstSeverity([root, ...symptoms]),
        affectedObjects(root, symptoms, workload === undefined ? ingresses : [...ingresses, workload]),
        criticalityOf(graph, keys),
      ),
    };
  });
  const candidates = groupSiblingPods(single, graph);
  // Equal scores: the problem whose callers' logs saw more failures first (how often it bites), then
  // by kind, namespace, name, rule and message: never by the order objects were listed or rules ran.
  const seenFailing = new Map(candidates.map((c) => [c, failuresSeen(graph, [c.rootCause, ...c.symptoms])]));
  candidates.sort(
    (a, b) =>
      b.score.total - a.score.total ||
      (seenFailing.get(b) ?? 0) - (seenFailing.get(a) ?? 0) ||
      byStableKey(a.rootCause, b.rootCause),
  );
  // A root that itself depends on a higher-ranked root's object (an HPA that cannot read metrics,
  // over a Deployment broken by a ConfigMap) is a contributing factor of that problem, not its own.
  const problems: (RankedProblem & { contributing: Finding[] })[] = [];
  // The first problem rooted at each object: a candidate joins the first problem whose root is its
  // own object or one its object depends on.
  const firstProblemAt = new Map<string, number>();
  for (const candidate of candidates) {
    const candidateKey = refKey(candidate.rootCause.resource);
    let host: number | undefined;
    // Through what the candidate's object depends on for certain: a call its configuration names
    // but no log saw fail does not make one crash loop a factor of another's.
    for (const up of upstream(graph, candidateKey, unobservedCall).keys()) {
      const at = firstProblemAt.get(up);
      if (at === undefined || (host !== undefined && at > host)) continue;
      if (up === candidateKey || explains(up, candidateKey)) host = at;
    }
    if (host === undefined) {
      firstProblemAt.set(candidateKey, problems.length);
      problems.push(candidate);
    } else problems[host]?.contributing.push(candidate.rootCause);
  }
  return problems;
}

/**
 * Merges problems whose root causes say the same thing (restart counts aside) about pods of the same controller. The
 * first pod by name keeps the root cause; the others are listed, their symptoms joined, and the
 * score counts them as affected.
 */
function groupSiblingPods<T extends RankedProblem & { contributing: Finding[] }>(
  problems: readonly T[],
  graph: DependencyGraph,
): T[] {
  const groups = new Map<string, T[]>();
  const order: string[] = [];
  for (const [index, problem] of problems.entries()) {
    const { rootCause } = problem;
    const key = refKey(rootCause.resource);
    const controller =
      rootCause.resource.kind === 'Pod'
        ? graph.incoming(key).find((edge) => edge.kind === 'owns')?.from
        : undefined;
    // Two roots on one object that is no sibling pod (a change and a policy's reading, both on a
    // NetworkPolicy) stay two: the second joins the first as a contributing factor below.
    const group =
      controller === undefined
        ? `${key}#${String(index)}`
        : `${rootCause.ruleId}|${controller}|${withoutCounts(rootCause.message)}`;
    const members = groups.get(group);
    if (members === undefined) {
      groups.set(group, [problem]);
      order.push(group);
    } else members.push(problem);
  }
  return order.map((group) => {
    const members = [...(groups.get(group) ?? [])].sort((a, b) =>
      a.rootCause.resource.name.localeCompare(b.rootCause.resource.name),
    );
    const [first, ...rest] = members as [T, ...T[]];
    if (rest.length === 0) return first;
    // The same finding twice on one object (read twice, found by two paths) is that object once:
    // its evidence joins the root cause's, and it is never "also on" itself.
    const firstKey = refKey(first.rootCause.resource);
    const same = rest.filter((m) => refKey(m.rootCause.resource) === firstKey);
    const others = [
      ...new Map(
        rest
          .filter((m) => refKey(m.rootCause.resource) !== firstKey)
          .map((m) => [refKey(m.rootCause.resource), m] as const),
      ).values(),
    ];
    const rootCause =
      same.length === 0
        ? first.rootCause
        : {
            ...first.rootCause,
            evidence: [
              ...new Map(
                [first, ...same]
                  .flatMap((m) => m.rootCause.evidence)
                  .map((e) => [JSON.stringify(e), e] as const),
              ).values(),
            ],
          };
    const symptoms = [...new Set(members.flatMap((m) => m.symptoms))];
    const { score } = first;
    return {
      ...first,
      rootCause,
      symptoms,
      alsoOn: others.map((m) => m.rootCause.resource),
      score: scoreOf(
        worstSeverity([first.rootCause, ...symptoms]),
        score.affected + others.length,
        score.criticality,
      ),
    };
  });
}

/**
 * What orders problems that tie on everything else: kind, namespace, name, rule, message, compared
 * by code unit (the same order on every machine, whatever its locale).
 */
function byStableKey(a: Finding, b: Finding): number {
  const key = (f: Finding): string[] => [
    f.resource.kind,
    f.resource.namespace ?? '',
    f.resource.name,
    f.ruleId,
    f.message,
  ];
  const [left, right] = [key(a), key(b)];
  for (const [i, part] of left.entries()) {
    const other = right[i] ?? '';
    if (part !== other) return part < other ? -1 : 1;
  }
  return 0;
}

/** The topmost controller owning the object at `key` (a pod's Deployment, through its ReplicaSet), if any. */
/** The Services whose selectors pick the object (a pod), by key. */
function servicesSelecting(graph: DependencyGraph, key: string): string[] {
  return graph
    .incoming(key)
    .filter((edge) => edge.kind === 'selects' && graph.nodeByKey(edge.from)?.ref.kind === 'Service')
    .map((edge) => edge.from)
    .sort();
}

function topOwner(graph: DependencyGraph, key: string): string | undefined {
  const seen = new Set([key]);
  let top: string | undefined;
  for (let at = key; seen.size <= MAX_HOPS;) {
    const owner = graph.incoming(at).find((edge) => edge.kind === 'owns')?.from;
    if (owner === undefined || seen.has(owner)) break;
    seen.add(owner);
    top = at = owner;
  }
  return top;
}

/**
 * A message with its restart counts taken out: sibling pods crash-looping the same way are one
 * problem whichever restart each was at when read (their counts drift apart with the moment).
 */
function withoutCounts(message: string): string {
  return message.replace(/\b\d+ restarts?\b/g, 'N restarts');
}

/** Log lines that saw a call fail, out of the objects of these findings. */
function failuresSeen(graph: DependencyGraph, findings: readonly Finding[]): number {
  let lines = 0;
  for (const key of new Set(findings.map((f) => refKey(f.resource))))
    for (const edge of graph.outgoing(key)) lines += edge.detail?.observed?.count ?? 0;
  return lines;
}

/** A `calls` edge read from configuration, with no log line that saw it fail. */
function unobservedCall(edge: GraphEdge): boolean {
  return edge.kind === 'calls' && edge.detail?.observed === undefined;
}

/** Every node `key` depends on within MAX_HOPS, each with the node it was reached from (for paths). */
function upstream(
  graph: DependencyGraph,
  key: string,
  skip: (edge: GraphEdge) => boolean = () => false,
): Map<string, string | undefined> {
  const parents = new Map<string, string | undefined>([[key, undefined]]);
  let frontier = [key];
  for (let hop = 0; hop < MAX_HOPS && frontier.length > 0; hop++) {
    const next: string[] = [];
    for (const node of frontier) {
      for (const edge of graph.outgoing(node)) {
        if (edge.kind === 'involves' || parents.has(edge.to) || skip(edge)) continue;
        parents.set(edge.to, node);
        next.push(edge.to);
      }
    }
    frontier = next;
  }
  return parents;
}

/**
 * The path from `top` down to `root`, by the upstream walk from `top`; when the walk does not reach
 * `root`, down to the first object it reaches that `root` names as its effect, then `root`.
 */
function pathBetween(
  graph: DependencyGraph,
  reach: Map<string, Map<string, string | undefined>>,
  top: string,
  root: string,
  effects: ReadonlySet<string> = new Set(),
): string[] {
  const parents = reach.get(top) ?? upstream(graph, top);
  const walk = (end: string): string[] => {
    const path: string[] = [];
    for (let node: string | undefined = end; node !== undefined; node = parents.get(node)) path.unshift(node);
    return path;
  };
  if (parents.has(root)) return walk(root);
  // The deepest effect on the walk: the chain goes from what people see down to what broke.
  const [longest] = [...effects]
    .filter((key) => parents.has(key))
    .map(walk)
    .sort((a, b) => b.length - a.length || (a.at(-1) ?? '').localeCompare(b.at(-1) ?? ''));
  return longest === undefined ? [root] : [...longest, root];
}

function mostVisible(keys: readonly string[], graph: DependencyGraph): string {
  const [best] = [...keys].sort(
    (a, b) =>
      (VISIBILITY[graph.nodeByKey(b)?.ref.kind ?? ''] ?? 0) -
        (VISIBILITY[graph.nodeByKey(a)?.ref.kind ?? ''] ?? 0) || a.localeCompare(b),
  );
  return best ?? keys[0] ?? '';
}

/** Ingresses routing to a Service among `keys`: where the failure meets users. */
function routedIngresses(graph: DependencyGraph, keys: readonly string[]): string[] {
  const ingresses = new Set<string>();
  for (const key of keys) {
    for (const edge of graph.incoming(key)) if (edge.kind === 'routes-to') ingresses.add(edge.from);
  }
  return [...ingresses].sort();
}

/** Objects a problem breaks: `around` (its Ingresses, the workload above its root), its symptoms' and evidence's. */
function affectedObjects(root: Finding, symptoms: readonly Finding[], around: readonly string[]): number {
  const objects = new Set(around);
  for (const finding of [root, ...symptoms]) {
    if (finding !== root) objects.add(refKey(finding.resource));
    for (const item of finding.evidence) if (item.resource !== undefined) objects.add(refKey(item.resource));
  }
  objects.delete(refKey(root.resource));
  return objects.size;
}

function criticalityOf(graph: DependencyGraph, keys: readonly string[]): number {
  let highest = 1;
  for (const key of keys) {
    const label = graph.nodeByKey(key)?.object?.metadata.labels?.[CRITICALITY_LABEL];
    if (label === 'high') highest = Math.max(highest, 3);
    else if (label === 'medium') highest = Math.max(highest, 2);
  }
  return highest;
}

function scoreOf(severity: Severity, affected: number, criticality: number): ScoreFactors {
  const severityPoints = severityRank(severity) + 1;
  return {
    severity: severityPoints,
    affected,
    criticality,
    total: severityPoints * 10 + affected * 2 + criticality * 5,
  };
}

/** A problem is as bad as the worst of what it does: a cordoned node (info) that leaves pods Pending (critical). */
function worstSeverity(findings: readonly Finding[]): Severity {
  return findings.reduce<Severity>(
    (worst, finding) => (severityRank(finding.severity) > severityRank(worst) ? finding.severity : worst),
    'info',
  );
}

function dedupeAdjacent(keys: readonly string[]): string[] {
  return keys.filter((key, index) => index === 0 || keys[index - 1] !== key);
}

function refFromKey(key: string): ResourceRef {
  const [kind = '', namespace = '', ...name] = key.split('/');
  return namespace === '' ? { kind, name: name.join('/') } : { kind, namespace, name: name.join('/') };
}
