import type { Change, FieldChange, JsonValue } from '../../core/change.js';
import type { ChangeHistory } from '../../core/change-history.js';
import { formatAge } from '../../core/duration.js';
import type { Evidence, Finding, Fix } from '../../core/finding.js';
import { CONTROLLER_KINDS } from '../../core/kinds.js';
import type { Node, Pod, Taint } from '../../core/kube-types.js';
import { formatRef, refKey, refOf, type ResourceRef } from '../../core/resource-ref.js';
import { timeMs } from '../../core/time.js';
import type { DependencyGraph } from '../../graph/dependency-graph.js';
import { aspectsOf, fitOf, type Aspect, type AspectName } from '../change-fit.js';
import { actorText, endOfSecond, fieldValues, reasonText } from '../change-text.js';
import { failingObjects, type Failing, type FailureClass } from '../failure-onset.js';
import { formatTaint, nodeMatches, tolerates } from '../node-fit.js';
import { nsFlag } from '../pod-refs.js';
import { defineRule, type AnalyzerContext } from '../rule.js';

const ID = 'change-suspect';
/** How long before a failure a change may be and still be weighed. */
const LOOKBACK_MS = 6 * 3_600_000;
/** How far from the failing object, in dependencies, a change may be. */
const MAX_HOPS = 4;
/** Time proximity is 1 for a failure at once, 1/2 for one an hour after the change, 1/7 six hours after. */
const TIME_SCALE_MS = 3_600_000;
/** Below this a change is not a suspect: a well-fitting change one hop away five hours before scores 0.11. */
const THRESHOLD = 0.1;
/** A failing object keeps the suspects that score at least half its best, at most three. */
const KEEP_WITHIN = 0.5;
const KEEP_AT_MOST = 3;
/** At or above this the suspect is critical; below, a warning. */
const CRITICAL = 0.3;
const SHOWN = 3;
const VALUE_CHARS = 80;

const WORKLOADS: ReadonlySet<string> = new Set(CONTROLLER_KINDS);
/** Changes other rules name, or that no one makes by hand: status churn of pods and slices. */
const NEVER_SUSPECTS: ReadonlySet<string> = new Set(['Pod', 'Event', 'EndpointSlice', 'Endpoints', 'Lease']);
/** Edges from an object to what it governs, which fails when it changes: an HPA's target, a binding's subjects. */
const GOVERNS: ReadonlySet<string> = new Set(['scales', 'binds-subject']);
const BINDINGS: ReadonlySet<string> = new Set(['RoleBinding', 'ClusterRoleBinding']);
const CONFIG_EDGES: ReadonlySet<string> = new Set(['uses-config-map', 'uses-secret']);

/**
 * With a recording: any recorded change on an object in a failing object's neighbourhood shortly
 * before it began to fail, weighed as a cause. Failing objects are pods (crash-looping, OOM-killed,
 * unable to pull or start, not ready, not placed), controllers refused their pods and Services
 * with no ready endpoints; their neighbourhood is what they depend on, walked upstream through the
 * dependency graph (every edge but `involves`, a few hops), the controllers that made them, what
 * governs those (an autoscaler, a role binding), and for a pod the scheduler cannot place the
 * nodes it would go to. Each change there (an image, env, command, limit or probe in a pod
 * template, replicas scaled to zero, a node tainted or cordoned, a NetworkPolicy, a Service's
 * selector or ports, a quota, RBAC, storage; a referenced object deleted) scores graph distance ×
 * time proximity × how well what it changed explains how the object fails, and the best suspects
 * above a threshold are named: what changed (old → new; Secret values are digests), who and why,
 * how long before the failure, what fails, and how to undo it. ConfigMap and Secret content edits
 * that crash their readers are `recent-change`'s. Its findings explain the failures they name, so
 * the crash loop ranks under the change that caused it.
 */
export const changeSuspect = defineRule({
  id: ID,
  summary:
    'with a recording: any change (image, env, command, limits, probes, replicas, node taints and cordons, NetworkPolicies, Service selectors and ports, quotas, RBAC, storage) shortly before what depends on it began to fail, weighed by graph distance, time and fit, with what changed, who and why',
  reads: ['Event', 'Pod', 'Service', 'Node', ...CONTROLLER_KINDS],
  // What fails, which hands each suspect to the analysis, and what may change: so asking about a
  // node or a policy (`analyze node/x`, `describe netpol/y`) names its change too.
  kinds: [
    'Pod',
    'Service',
    ...CONTROLLER_KINDS,
    'Node',
    'NetworkPolicy',
    'ResourceQuota',
    'ConfigMap',
    'Secret',
    'ServiceAccount',
    'PersistentVolumeClaim',
    'PersistentVolume',
    'StorageClass',
    'HorizontalPodAutoscaler',
    'Role',
    'ClusterRole',
    'RoleBinding',
    'ClusterRoleBinding',
    'PriorityClass',
    'RuntimeClass',
  ],
  explainsDependents: true,
  detect(object, context) {
    if (context.history === undefined) return [];
    return suspectsIn(context, context.history).get(refKey(refOf(object))) ?? [];
  },
});

/**
 * The suspects are found once per analysis, for all failing objects together (so a change that
 * breaks a thousand pods is weighed once, not a thousand times), and each finding is handed to the
 * objects it names: whichever of them the analysis asks about.
 */
const found = new WeakMap<AnalyzerContext, Map<string, Finding[]>>();

function suspectsIn(context: AnalyzerContext, history: ChangeHistory): Map<string, Finding[]> {
  let byObject = found.get(context);
  if (byObject === undefined) {
    byObject = findSuspects(context, history);
    found.set(context, byObject);
  }
  return byObject;
}

/** A recorded change that can break something, with what it did. */
interface Candidate {
  readonly change: Change;
  readonly atMs: number;
  readonly aspects: readonly Aspect[];
  /** Its place in the object's history: which of its changes it is. */
  readonly index: number;
}

/** How a failing object was reached from a changed one. */
interface Reach {
  readonly distance: number;
  /** The path from the failing object to the change passes a Service: it fails as a caller. */
  readonly viaService: boolean;
  /** The next object towards the change. */
  readonly toward?: string;
  /** The changed object made it (its own template), or it would run on the changed node. */
  readonly relation: 'made-by' | 'depends' | 'would-run-on';
}

/** One change weighed against one failing object. */
interface Weighed {
  readonly key: string;
  readonly ref: ResourceRef;
  readonly candidate: Candidate;
  readonly anchor: Failing;
  readonly reach: Reach;
  readonly score: number;
  readonly fit: number;
  readonly distanceFactor: number;
  readonly timeFactor: number;
  readonly aspect: AspectName;
  readonly failure: FailureClass;
  /** Milliseconds from the change to the failure (0 when within the same second). */
  readonly leadMs: number;
  /** The path from the failing object to the changed one, for the evidence. */
  readonly path: readonly string[];
}

function findSuspects(context: AnalyzerContext, history: ChangeHistory): Map<string, Finding[]> {
  const { snapshot, graph, now } = context;
  const nowMs = now.getTime();
  const failing = failingObjects(snapshot, graph);
  const byObject = new Map<string, Finding[]>();
  if (failing.size === 0) return byObject;
  const pending = [...failing.values()].filter((f) => f.classes.some((c) => c.startsWith('pending')));
  const kept = new Map<string, Weighed[]>();
  for (const changes of history.byObject()) {
    const [first] = changes;
    if (first === undefined || NEVER_SUSPECTS.has(first.object.kind)) continue;
    const ref = changedRef(first.object);
    const key = refKey(ref);
    const node = graph.nodeByKey(key);
    if (node === undefined) continue;
    // A controller's child (a Deployment's ReplicaSet) is written by its controller: its parent is the suspect.
    if (node.object?.metadata.ownerReferences?.some((owner) => owner.controller === true) === true) continue;
    const coveredContent = readersCrash(graph, key, failing);
    const candidates = changes.flatMap((change, index): Candidate[] => {
      const atMs = timeMs(change.at);
      if (atMs === undefined || atMs > nowMs || nowMs - atMs > 2 * LOOKBACK_MS) return [];
      // A ConfigMap or Secret edit that crashes its readers is recent-change's to name.
      const aspects = aspectsOf(change).filter((a) => !(coveredContent && a.name === 'content'));
      return aspects.length === 0 ? [] : [{ change, atMs, aspects, index }];
    });
    if (candidates.length === 0) continue;
    const nodeObject: Node | undefined = ref.kind === 'Node' ? node.object : undefined;
    const wouldRun =
      nodeObject === undefined
        ? []
        : pending.filter((anchor) =>
            candidates.some((c) => keepsOff(c, nodeObject, podOf(snapshot, anchor))),
          );
    const reached = dependentsOf(graph, key, wouldRun);
    for (const [anchorKey, reach] of reached) {
      const anchor = failing.get(anchorKey);
      if (anchor === undefined) continue;
      const pod = podOf(snapshot, anchor);
      let best: Weighed | undefined;
      for (const candidate of candidates) {
        const weighed = weigh({ key, ref, candidate, anchor, reach, nowMs, graph, pod, node: nodeObject });
        if (weighed !== undefined && (best === undefined || better(weighed, best))) best = weighed;
      }
      if (best === undefined || best.score < THRESHOLD) continue;
      const withPath = { ...best, path: pathOf(anchorKey, reached) };
      const list = kept.get(anchorKey);
      if (list === undefined) kept.set(anchorKey, [withPath]);
      else list.push(withPath);
    }
  }
  // Each failing object keeps its best suspects; each suspect gathers the objects that kept it.
  const bySuspect = new Map<string, Weighed[]>();
  for (const list of kept.values()) {
    list.sort((a, b) => (better(a, b) ? -1 : better(b, a) ? 1 : 0));
    const top = list[0]?.score ?? 0;
    for (const weighed of list.filter((w) => w.score >= top * KEEP_WITHIN).slice(0, KEEP_AT_MOST)) {
      const group = bySuspect.get(weighed.key);
      if (group === undefined) bySuspect.set(weighed.key, [weighed]);
      else group.push(weighed);
    }
  }
  for (const key of [...bySuspect.keys()].sort()) {
    const finding = suspectFinding(bySuspect.get(key) ?? [], graph, nowMs);
    if (finding === undefined) continue;
    const emitters = new Set([key, ...(finding.explains ?? []).map(refKey)]);
    for (const emitter of emitters) {
      const list = byObject.get(emitter);
      if (list === undefined) byObject.set(emitter, [finding]);
      else list.push(finding);
    }
  }
  return byObject;
}

/** Higher score first; then the later change; then the object's key. */
function better(a: Weighed, b: Weighed): boolean {
  if (a.score !== b.score) return a.score > b.score;
  if (a.candidate.atMs !== b.candidate.atMs) return a.candidate.atMs > b.candidate.atMs;
  return a.key < b.key;
}

function changedRef(object: Change['object']): ResourceRef {
  return object.namespace === undefined
    ? { kind: object.kind, name: object.name }
    : { kind: object.kind, namespace: object.namespace, name: object.name };
}

function podOf(snapshot: AnalyzerContext['snapshot'], anchor: Failing): Pod | undefined {
  return anchor.ref.kind === 'Pod' ? snapshot.get(anchor.ref) : undefined;
}

/** Whether a pod reading this ConfigMap or Secret crashes or cannot start: recent-change's case. */
function readersCrash(graph: DependencyGraph, key: string, failing: ReadonlyMap<string, Failing>): boolean {
  return graph
    .incoming(key)
    .some(
      (edge) =>
        CONFIG_EDGES.has(edge.kind) &&
        (failing.get(edge.from)?.classes.some((c) => c === 'crash' || c === 'config') ?? false),
    );
}

/**
 * What depends on the changed object, within {@link MAX_HOPS}: what it made (a workload's
 * ReplicaSets and pods, as the object itself), what it governs (an autoscaler's target, a binding's
 * subjects), the pending pods it keeps off (a node), then everything that depends on those, walked
 * down the graph's edges (every kind but `involves`), nearest first.
 */
function dependentsOf(graph: DependencyGraph, key: string, wouldRun: readonly Failing[]): Map<string, Reach> {
  const reached = new Map<string, Reach>([[key, { distance: 0, viaService: false, relation: 'depends' }]]);
  const frontiers: string[][] = [[key]];
  const reach = (to: string, at: Reach): void => {
    if (reached.has(to) || at.distance > MAX_HOPS) return;
    reached.set(to, at);
    (frontiers[at.distance] ??= []).push(to);
  };
  const made = (from: string, distance: number): void => {
    for (const edge of graph.outgoing(from)) {
      if (edge.kind !== 'owns' || reached.has(edge.to)) continue;
      reach(edge.to, { distance, viaService: false, toward: from, relation: 'made-by' });
      made(edge.to, distance);
    }
  };
  made(key, 0);
  for (const edge of graph.outgoing(key)) {
    if (!GOVERNS.has(edge.kind) || reached.has(edge.to)) continue;
    reach(edge.to, { distance: 1, viaService: false, toward: key, relation: 'depends' });
    made(edge.to, 1);
  }
  for (const anchor of wouldRun)
    reach(anchor.key, { distance: 1, viaService: false, toward: key, relation: 'would-run-on' });
  for (let distance = 0; distance < MAX_HOPS; distance++) {
    for (const from of frontiers[distance] ?? []) {
      const here = reached.get(from);
      const node = graph.nodeByKey(from);
      // What depends on a Service (and is reached through one) fails as its caller.
      const viaService = (here?.viaService ?? false) || node?.ref.kind === 'Service';
      const next = (to: string): void => {
        reach(to, { distance: distance + 1, viaService, toward: from, relation: 'depends' });
      };
      for (const edge of graph.incoming(from)) if (edge.kind !== 'involves') next(edge.from);
      // A role binding reached from its role: the subjects it binds are what the role's change reaches.
      if (node !== undefined && BINDINGS.has(node.ref.kind))
        for (const edge of graph.outgoing(from)) if (edge.kind === 'binds-subject') next(edge.to);
    }
  }
  return reached;
}

interface WeighInput {
  readonly key: string;
  readonly ref: ResourceRef;
  readonly candidate: Candidate;
  readonly anchor: Failing;
  readonly reach: Reach;
  readonly nowMs: number;
  readonly graph: DependencyGraph;
  readonly pod: Pod | undefined;
  readonly node: Node | undefined;
}

/** Distance × time × fit of one change for one failing object; undefined when it cannot be the cause. */
function weigh(input: WeighInput): Weighed | undefined {
  const { candidate, anchor, reach } = input;
  const failureMs = anchor.since ?? input.nowMs;
  if (candidate.atMs > endOfSecond(failureMs) || failureMs - candidate.atMs > LOOKBACK_MS) return undefined;
  const template = candidate.aspects.some((a) => /^spec\.(template|jobTemplate)\./.test(a.field?.path ?? ''));
  // A template change reaches only the pods made from it, after it.
  if (
    reach.relation === 'made-by' &&
    template &&
    anchor.ref.kind === 'Pod' &&
    anchor.createdMs !== undefined &&
    endOfSecond(anchor.createdMs) < candidate.atMs
  )
    return undefined;
  const classes: readonly FailureClass[] =
    reach.viaService && anchor.ref.kind === 'Pod' ? ['caller'] : anchor.classes;
  let fit = 0;
  let aspect: AspectName | undefined;
  let failure: FailureClass | undefined;
  for (const a of candidate.aspects) {
    if (input.node !== undefined && !nodeChangeApplies(a, input.node, input.pod, reach)) continue;
    for (const c of classes) {
      // A container's field explains the failure of that container better than of another.
      const elsewhere =
        a.container !== undefined && anchor.containers.length > 0 && !anchor.containers.includes(a.container);
      const value = fitOf(a.name, c) * (elsewhere ? 0.5 : 1);
      if (value > fit) {
        fit = value;
        aspect = a.name;
        failure = c;
      }
    }
  }
  if (aspect === undefined || failure === undefined || fit === 0) return undefined;
  const leadMs = Math.max(0, failureMs - candidate.atMs);
  const distanceFactor = 1 / (1 + reach.distance / 2);
  const timeFactor = 1 / (1 + leadMs / TIME_SCALE_MS);
  return {
    key: input.key,
    ref: input.graph.nodeByKey(input.key)?.ref ?? input.ref,
    candidate,
    anchor,
    reach,
    score: fit * distanceFactor * timeFactor,
    fit,
    distanceFactor,
    timeFactor,
    aspect,
    failure,
    leadMs,
    path: [],
  };
}

/**
 * Whether a node's change bears on this pod: a taint it does not tolerate or a cordon, on a node its
 * selector and affinity allow; a label its selector or affinity reads. For pods already running
 * there, the taint's NoExecute or the node's own failure are other rules' to tell.
 */
function nodeChangeApplies(aspect: Aspect, node: Node, pod: Pod | undefined, reach: Reach): boolean {
  if (aspect.name !== 'taint' && aspect.name !== 'cordon' && aspect.name !== 'node-labels') return true;
  if (pod === undefined || reach.relation !== 'would-run-on') return false;
  return appliesTo(aspect, node, pod);
}

function appliesTo(aspect: Aspect, node: Node, pod: Pod): boolean {
  if (aspect.name === 'taint') {
    const taint = taintOf(aspect.field?.new);
    return (
      taint !== undefined && nodeMatches(node, pod.spec) && !tolerates(pod.spec?.tolerations ?? [], taint)
    );
  }
  if (aspect.name === 'cordon') return nodeMatches(node, pod.spec);
  if (aspect.name === 'node-labels') {
    const name = mapKey('metadata.labels', aspect.field?.path ?? '');
    return name !== undefined && placementKeys(pod).has(name);
  }
  return false;
}

/** The key a path names in a map: `mapKey('spec.selector', 'spec.selector.app')` is `app`. */
function mapKey(map: string, path: string): string | undefined {
  if (!path.startsWith(map)) return undefined;
  const rest = path.slice(map.length);
  const bare = /^\.([\w-]+)$/.exec(rest)?.[1];
  if (bare !== undefined) return bare;
  const quoted = /^\[(".*")\]$/.exec(rest)?.[1];
  if (quoted === undefined) return undefined;
  try {
    const key: unknown = JSON.parse(quoted);
    return typeof key === 'string' ? key : undefined;
  } catch {
    return undefined;
  }
}

/** Whether a change of a node keeps a pending pod off it. */
function keepsOff(candidate: Candidate, node: Node, pod: Pod | undefined): boolean {
  return pod !== undefined && candidate.aspects.some((aspect) => appliesTo(aspect, node, pod));
}

/** The node labels a pod's placement reads: its nodeSelector's and its required affinity's. */
function placementKeys(pod: Pod): Set<string> {
  const keys = new Set(Object.keys(pod.spec?.nodeSelector ?? {}));
  const terms =
    pod.spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms;
  for (const term of terms ?? []) for (const r of term.matchExpressions ?? []) keys.add(r.key);
  return keys;
}

function taintOf(value: JsonValue | undefined): Taint | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  const record = value as Readonly<Record<string, JsonValue>>;
  const { key, effect } = record;
  if (typeof key !== 'string' || typeof effect !== 'string') return undefined;
  const taintValue = record['value'];
  return typeof taintValue === 'string' ? { key, effect, value: taintValue } : { key, effect };
}

/** The path from a failing object along the walk to the changed one, by key. */
function pathOf(from: string, reached: ReadonlyMap<string, Reach>): string[] {
  const path = [from];
  for (
    let at = reached.get(from)?.toward;
    at !== undefined && path.length <= 2 * MAX_HOPS + 2;
    at = reached.get(at)?.toward
  )
    path.push(at);
  return path;
}

/**
 * One finding for a suspect: the change the failing objects that kept it point at (the most score
 * between them; ties to the later change), on the changed object, with what changed, who and why,
 * how long before the first failure, how it was weighed, what fails, and how to undo it.
 */
function suspectFinding(
  group: readonly Weighed[],
  graph: DependencyGraph,
  nowMs: number,
): Finding | undefined {
  const byChange = new Map<number, Weighed[]>();
  for (const weighed of group) {
    const list = byChange.get(weighed.candidate.index);
    if (list === undefined) byChange.set(weighed.candidate.index, [weighed]);
    else list.push(weighed);
  }
  const total = (list: readonly Weighed[]): number => list.reduce((sum, w) => sum + w.score, 0);
  const [chosen] = [...byChange.entries()].sort(
    ([a, left], [b, right]) => total(right) - total(left) || b - a,
  );
  if (chosen === undefined) return undefined;
  const members = [...chosen[1]].sort(
    (a, b) =>
      (a.anchor.since ?? Infinity) - (b.anchor.since ?? Infinity) || a.anchor.key.localeCompare(b.anchor.key),
  );
  const [best] = [...members].sort((a, b) => (better(a, b) ? -1 : better(b, a) ? 1 : 0));
  if (best === undefined) return undefined;
  const { change, atMs } = best.candidate;
  const ref = best.ref;
  const kind = ref.kind;
  const known = members.flatMap((m) => (m.anchor.since === undefined ? [] : [m.anchor.since]));
  const firstFailureMs = known.length === 0 ? undefined : Math.min(...known);
  // The fields that explain what fails first, then the others the change made.
  const fitOfField = (aspect: Aspect): number =>
    Math.max(...members.map((m) => Math.max(...effectiveClasses(m).map((c) => fitOf(aspect.name, c)))));
  const explaining = [...best.candidate.aspects]
    .map((aspect, order) => ({ aspect, order, fit: fitOfField(aspect) }))
    .sort((a, b) => b.fit - a.fit || a.order - b.order)
    .flatMap(({ aspect }) => (aspect.field === undefined ? [] : [aspect.field]));
  const fields = [...new Set(explaining)];
  const texts = [...new Set(fields.map((field) => fieldText(kind, field)))];
  const what =
    change.action === 'added'
      ? 'created'
      : change.action === 'deleted'
        ? 'deleted'
        : `changed: ${texts.slice(0, SHOWN).join(', ')}${texts.length > SHOWN ? ` and ${String(texts.length - SHOWN)} more` : ''}`;
  const by = actorText(change);
  const byText = by === undefined ? '' : ` (by ${by})`;
  const states = [...new Set(members.map((m) => m.anchor.state))].slice(0, SHOWN).join('; ');
  const subject = subjectOf(members);
  const when =
    firstFailureMs === undefined
      ? `${formatAge(nowMs - atMs)} ago; ${subject} ${members.length === 1 ? 'fails' : 'fail'} now (${states})`
      : `${formatAge(Math.max(0, firstFailureMs - atMs))} before ${subject} began to fail (${states})`;
  const shownFields =
    change.action === 'added' ? change.fields.filter((f) => !f.path.startsWith('metadata')) : fields;
  const evidence: Evidence[] = [
    {
      source: 'history',
      resource: ref,
      text: `${change.at}: ${change.summary.join('; ')}${byText}${reasonText(change)}`,
    },
    ...shownFields.slice(0, 2 * SHOWN).map((field) => ({
      source: 'history' as const,
      resource: ref,
      text: `${field.path}: ${fieldValues(field, 2 * VALUE_CHARS)}`,
    })),
    { source: 'graph', text: weighingText(best, graph) },
    ...members.slice(0, SHOWN).map((m) => ({
      source: 'status' as const,
      resource: m.anchor.ref,
      text:
        m.anchor.since === undefined
          ? `${formatRef(m.anchor.ref)} ${m.anchor.state}`
          : `${formatRef(m.anchor.ref)} ${m.anchor.state}, failing since ${new Date(m.anchor.since).toISOString()}, ${formatAge(Math.max(0, m.anchor.since - atMs))} after the change`,
    })),
    ...(members.length > SHOWN
      ? [
          {
            source: 'status' as const,
            text: `and ${String(members.length - SHOWN)} more failing: ${members
              .slice(SHOWN, SHOWN + 5)
              .map((m) => formatRef(m.anchor.ref))
              .join(', ')}${members.length > SHOWN + 5 ? ', …' : ''}`,
          },
        ]
      : []),
  ];
  const explains = [
    ...new Map(
      [
        ...members.map((m) => m.anchor.ref),
        ...(WORKLOADS.has(kind) && graph.nodeByKey(best.key)?.presence === 'present' ? [ref] : []),
      ].map((r) => [refKey(r), r]),
    ).values(),
  ].sort((a, b) => refKey(a).localeCompare(refKey(b)));
  return {
    ruleId: ID,
    severity: best.score >= CRITICAL ? 'critical' : 'warning',
    resource: ref,
    message: `${kind} ${ref.name} ${what}${byText}, ${when}`,
    evidence,
    fix: fixFor(change, ref, best, fields),
    explains,
  };
}

function effectiveClasses(weighed: Weighed): readonly FailureClass[] {
  return weighed.reach.viaService && weighed.anchor.ref.kind === 'Pod' ? ['caller'] : weighed.anchor.classes;
}

/** `Pod/api-1`, `3 pods`, `2 pods and Service/web`. */
function subjectOf(members: readonly Weighed[]): string {
  if (members.length === 1 && members[0] !== undefined) return formatRef(members[0].anchor.ref);
  const pods = members.filter((m) => m.anchor.ref.kind === 'Pod');
  const others = members.filter((m) => m.anchor.ref.kind !== 'Pod').map((m) => formatRef(m.anchor.ref));
  const parts = [
    ...(pods.length === 1 && pods[0] !== undefined ? [formatRef(pods[0].anchor.ref)] : []),
    ...(pods.length > 1 ? [`${String(pods.length)} pods`] : []),
    ...others.slice(0, 2),
    ...(others.length > 2 ? [`${String(others.length - 2)} more`] : []),
  ];
  return parts.length <= 1 ? parts.join('') : `${parts.slice(0, -1).join(', ')} and ${parts.at(-1) ?? ''}`;
}

/** How the suspect was weighed, factor by factor. */
function weighingText(weighed: Weighed, graph: DependencyGraph): string {
  const anchor = formatRef(weighed.anchor.ref);
  const target = formatRef(weighed.ref);
  const refs = weighed.path.map((key) => {
    const ref = graph.nodeByKey(key)?.ref;
    return ref === undefined ? key : formatRef(ref);
  });
  const how =
    weighed.anchor.key === weighed.key
      ? `${anchor} itself`
      : weighed.reach.relation === 'made-by'
        ? `${anchor} made by ${target}`
        : weighed.reach.relation === 'would-run-on'
          ? `${anchor} would run on ${target}`
          : `${String(weighed.reach.distance)} ${weighed.reach.distance === 1 ? 'hop' : 'hops'}: ${refs.join(' → ')}`;
  return (
    `weighed ${weighed.score.toFixed(2)} = distance ${weighed.distanceFactor.toFixed(2)} (${how})` +
    ` × time ${weighed.timeFactor.toFixed(2)} (${
      weighed.anchor.since === undefined
        ? `${formatAge(weighed.leadMs)} before now; when ${anchor} began to fail is not known`
        : `${formatAge(weighed.leadMs)} before ${anchor} began to fail`
    })` +
    ` × fit ${weighed.fit.toFixed(2)} (${weighed.aspect} explains ${weighed.failure})`
  );
}

/** A field as a person reads it: `containers[api].image "a" → "b"`, `taint dedicated=gpu:NoSchedule added`. */
function fieldText(kind: string, field: FieldChange): string {
  if (kind === 'Node' && field.path.startsWith('spec.taints')) {
    const taint = taintOf(field.new ?? field.old);
    if (taint !== undefined)
      return `taint ${formatTaint(taint)} ${field.op === 'removed' ? 'removed' : 'added'}`;
  }
  if (kind === 'Node' && field.path === 'spec.unschedulable')
    return field.new === true ? 'cordoned' : 'uncordoned';
  return `${shortPath(field.path)} ${fieldValues(field, VALUE_CHARS)}`;
}

/** `spec.template.spec.containers[api].image` → `containers[api].image`; `spec.replicas` → `replicas`. */
function shortPath(path: string): string {
  return path
    .replace(/^spec\.jobTemplate\.spec\.template\.spec\./, '')
    .replace(/^spec\.template\.spec\./, '')
    .replace(/^spec\./, '');
}

/** How to undo the change, as fits the kind and what it changed. */
function fixFor(change: Change, ref: ResourceRef, best: Weighed, fields: readonly FieldChange[]): Fix {
  const ns = nsFlag(ref);
  const kind = ref.kind.toLowerCase();
  const why = `kubectl smart why ${kind}/${ref.name} ${ns}--alpha-memory`;
  const aspect = best.candidate.aspects.find((a) => a.name === best.aspect) ?? best.candidate.aspects[0];
  const name = aspect?.name;
  const field = aspect?.field;
  /** The old values of a map's keys (null for a key that was added), for a merge patch. */
  const previous = (map: string): Record<string, JsonValue | null> => {
    const values: Record<string, JsonValue | null> = {};
    for (const f of fields) {
      const key = mapKey(map, f.path);
      if (key !== undefined) values[key] = f.op === 'added' ? null : (f.old ?? null);
    }
    return values;
  };
  if (change.action === 'deleted')
    return {
      summary: `re-create ${ref.kind} ${ref.name} as it was before it was deleted (the recording shows its last fields)`,
      commands: [why],
    };
  if (name === 'scaled-to-zero' || name === 'scaled-down' || name === 'scaled-up') {
    const replicas = typeof field?.old === 'number' ? field.old : 1;
    return {
      summary: `scale ${ref.kind} ${ref.name} back to ${String(replicas)} replicas`,
      commands: [`kubectl ${ns}scale ${kind}/${ref.name} --replicas=${String(replicas)}`],
    };
  }
  if (name === 'taint') {
    const taints = fields.flatMap((f) => {
      const taint = f.path.startsWith('spec.taints') ? taintOf(f.new) : undefined;
      return taint === undefined ? [] : [taint];
    });
    return {
      summary: `remove the taint from node ${ref.name}, or let the pods tolerate it`,
      commands: taints.map((t) => `kubectl taint nodes ${ref.name} ${t.key}:${t.effect}-`),
    };
  }
  if (name === 'cordon')
    return { summary: `uncordon node ${ref.name}`, commands: [`kubectl uncordon ${ref.name}`] };
  if (name === 'node-labels') {
    const labels = Object.entries(previous('metadata.labels')).map(([key, old]) =>
      typeof old === 'string' ? `${key}=${old}` : `${key}-`,
    );
    return {
      summary: `put node ${ref.name}'s labels back`,
      commands: [`kubectl label nodes ${ref.name} ${labels.join(' ')} --overwrite`],
    };
  }
  if (name === 'network-policy')
    return change.action === 'added'
      ? {
          summary: `delete NetworkPolicy ${ref.name}, or let the failing pods' traffic through it`,
          commands: [`kubectl ${ns}delete networkpolicy ${ref.name}`],
        }
      : {
          summary: `re-apply NetworkPolicy ${ref.name} as it was before the change (the recording shows its previous spec)`,
          commands: [why, `kubectl ${ns}edit networkpolicy ${ref.name}`],
        };
  if (name === 'service-selector')
    return {
      summary: `put Service ${ref.name}'s selector back`,
      commands: [
        `kubectl ${ns}patch service ${ref.name} --type=merge -p '${JSON.stringify({ spec: { selector: previous('spec.selector') } })}'`,
      ],
    };
  if (name === 'quota')
    return change.action === 'added'
      ? {
          summary: `delete ResourceQuota ${ref.name}, or raise it to what the namespace needs`,
          commands: [`kubectl ${ns}delete resourcequota ${ref.name}`],
        }
      : {
          summary: `put ResourceQuota ${ref.name}'s limits back`,
          commands: [
            `kubectl ${ns}patch resourcequota ${ref.name} --type=merge -p '${JSON.stringify({ spec: { hard: previous('spec.hard') } })}'`,
          ],
        };
  if (name === 'content')
    return {
      summary: `put the previous values back in ${ref.kind} ${ref.name}, then restart what reads it`,
      commands: [why, `kubectl ${ns}edit ${kind} ${ref.name}`],
    };
  if (WORKLOADS.has(ref.kind) && fields.some((f) => /^spec\.(template|jobTemplate)\./.test(f.path))) {
    const undo = ['Deployment', 'StatefulSet', 'DaemonSet'].includes(ref.kind)
      ? [`kubectl ${ns}rollout undo ${kind}/${ref.name}`]
      : [`kubectl ${ns}edit ${kind} ${ref.name}`];
    const container = aspect?.container;
    const old = typeof field?.old === 'string' ? field.old : undefined;
    const specific =
      container === undefined || old === undefined
        ? []
        : name === 'image'
          ? [`kubectl ${ns}set image ${kind}/${ref.name} ${container}=${old}`]
          : name === 'memory-limit'
            ? [`kubectl ${ns}set resources ${kind}/${ref.name} -c ${container} --limits=memory=${old}`]
            : [];
    return {
      summary: `roll ${ref.kind} ${ref.name} back to before the change (or fix what it changed)`,
      commands: [...undo, ...specific],
    };
  }
  return change.action === 'added'
    ? {
        summary: `delete ${ref.kind} ${ref.name}, or fix it so what fails works again`,
        commands: [`kubectl ${ns}delete ${kind} ${ref.name}`],
      }
    : {
        summary: `put ${ref.kind} ${ref.name} back as it was before the change (the recording shows its previous values)`,
        commands: [why, `kubectl ${ns}edit ${kind} ${ref.name}`],
      };
}
