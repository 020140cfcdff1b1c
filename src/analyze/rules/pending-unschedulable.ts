import { formatAge } from '../../core/duration.js';
import type { Evidence, Finding } from '../../core/finding.js';
import { formatList } from '../../core/format-list.js';
import type { Condition, Node, Pod } from '../../core/kube-types.js';
import { refKey, refOf, type ResourceRef } from '../../core/resource-ref.js';
import { formatBytes, formatCpu, parseBytes, parseCpuMillicores } from '../../core/resource-quantity.js';
import type { Snapshot } from '../../core/snapshot.js';
import { timeMs } from '../../core/time.js';
import type { DependencyGraph } from '../../graph/dependency-graph.js';
import { formatTaint, nodeMatches, tolerates } from '../node-fit.js';
import { ownAffinity, ownAntiAffinity, repellingPods, spreadStates } from '../pod-placement.js';
import { nsFlag } from '../pod-refs.js';
import {
  formatHostPort,
  hostPortHolders,
  hostPortsOf,
  messageTaints,
  namedFew,
  preemptionClause,
  preemptionsOf,
  taintMeaning,
} from '../scheduler-reasons.js';
import { referenceState, referenceStateText } from '../reference-state.js';
import { defineRule } from '../rule.js';

/** `Insufficient cpu`, `Insufficient nvidia.com/gpu.`: one match per resource the nodes lack. */
const INSUFFICIENT = /Insufficient ([^\s,]+?)(?=[.,]?(?:\s|$))/g;

/** What a decoder works from: the pod, the scheduler's message, the nodes and those the pod's selector allows. */
interface UnplacedPod {
  readonly pod: Pod;
  readonly ref: ResourceRef;
  readonly message: string;
  readonly snapshot: Snapshot;
  readonly graph: DependencyGraph;
  readonly nodes: readonly Node[];
  /** The nodes its nodeSelector and required node affinity allow. */
  readonly eligible: readonly Node[];
  /**
   * Of those, the nodes big enough to hold it (allocatable at least what it requests): only their
   * taints and cordons keep it off. The scheduler counts a node under the first filter it fails,
   * so a too-small node that is also tainted, cordoned or NotReady is reported for that; uncordoning
   * it or bringing it back would not place the pod.
   */
  readonly fitting: readonly Node[];
}

/** One reason in the scheduler's message, decoded: its share of the finding. */
interface Part {
  readonly causes: readonly string[];
  readonly evidence: readonly Evidence[];
  readonly fixes: readonly string[];
  /** Nodes that keep it off (their taints, their cordon): a failing node there explains the pod. */
  readonly waitsOn?: readonly string[];
}

/**
 * A pod the scheduler cannot place (PodScheduled=False, Unschedulable), decoded per cause from the
 * scheduler's message and the cluster: insufficient CPU, memory, ephemeral storage or an extended
 * resource (requested against the best node's free allocatable), untolerated taints (which, on
 * which nodes: the current scheduler no longer names them), node selector or affinity, its own
 * pod anti-affinity (the placed pods that match it, and where), other pods' anti-affinity (the
 * pods that repel it), pod affinity, topology spread (the constraint and the pods per domain),
 * unbound claims (explained by a missing StorageClass when there is one), too many pods, cordoned
 * nodes (said outright when every node is). Also a pod held by scheduling gates
 * (PodScheduled=False, SchedulingGated: the scheduler does not look at it until they are removed),
 * as a warning: a gate is set on purpose, but only whoever set it can lift it.
 */
export const pendingUnschedulable = defineRule({
  id: 'pending-unschedulable',
  summary:
    "a pod the scheduler cannot place, decoded: insufficient CPU/memory/extended resources (request vs the best node's free allocatable), untolerated taints and the nodes carrying them (control-plane, not-ready, pressure taints said for what they are), host ports and the pods holding them, selector/affinity, anti-affinity, topology spread, scheduling gates, unbound claims, pod limits, cordons, preemption (the higher-priority pod that preempted its workload's pod, named)",
  reads: ['Event', 'Node', 'PersistentVolumeClaim', 'StorageClass'],
  symptom: true,
  kinds: ['Pod'],
  fixInTemplate: true,
  detect(pod, { snapshot, graph, now }) {
    if (pod.status?.phase !== 'Pending') return [];
    const gated = pod.status.conditions?.find(
      (c) => c.type === 'PodScheduled' && c.status === 'False' && c.reason === 'SchedulingGated',
    );
    if (gated !== undefined) return gatedFinding(this.id, pod, gated, now);
    const condition = pod.status.conditions?.find(
      (c) => c.type === 'PodScheduled' && c.status === 'False' && c.reason === 'Unschedulable',
    );
    if (condition === undefined) return [];
    const message = condition.message ?? '';
    const ref = refOf(pod);
    const nodes = snapshot.ofKind('Node');
    const eligible = nodes.filter((n) => nodeMatches(n, pod.spec));
    const fitting = eligible.filter((n) => tooSmall(pod, n).length === 0);
    const input: UnplacedPod = { pod, ref, message, snapshot, graph, nodes, eligible, fitting };
    const parts = DECODERS.flatMap((decode) => decode(input) ?? []);
    const causes = parts.flatMap((part) => part.causes);
    const fixes = parts.flatMap((part) => part.fixes);
    const waitsOn = [...new Set(parts.flatMap((part) => part.waitsOn ?? []))].sort();
    const finding: Finding = {
      ruleId: this.id,
      severity: 'critical',
      resource: ref,
      message: `pod cannot be scheduled: ${causes.length === 0 ? message : causes.join('; ')}`,
      evidence: [
        { source: 'status', text: `PodScheduled=False Unschedulable: ${message}` },
        ...parts.flatMap((part) => part.evidence),
        ...snapshot
          .eventsAbout(ref)
          .filter((e) => e.reason === 'FailedScheduling')
          .map((event) => ({
            source: 'event' as const,
            text: `FailedScheduling (x${String(event.count)}): ${event.message}`,
          })),
      ],
      fix: {
        summary: fixes.length === 0 ? 'read the scheduler’s message above' : fixes.join('; '),
        commands: [`kubectl ${nsFlag(ref)}describe pod ${pod.metadata.name}`],
      },
      ...(waitsOn.length === 0 ? {} : { waitsOn: waitsOn.map((name) => ({ kind: 'Node', name })) }),
    };
    return [finding];
  },
});

/** In the order the finding lists what they find; every decoder that recognises its reason adds its part. */
const DECODERS: readonly ((input: UnplacedPod) => Part | undefined)[] = [
  insufficient,
  taints,
  hostPorts,
  noNodeMatches,
  unboundClaims,
  tooManyPods,
  antiAffinity,
  repellingAntiAffinity,
  podAffinity,
  topologySpread,
  cordoned,
  preemption,
];

/**
 * `Insufficient cpu`, per resource: the request against the node with the most of it free. Also a
 * resource it asks more of than any node it may use has at all, which the scheduler may report as
 * those nodes' taints or cordons (the first filter each fails).
 */
function insufficient({ pod, message, snapshot, graph, eligible }: UnplacedPod): Part | undefined {
  const said = [...message.matchAll(INSUFFICIENT)].map((m) => m[1] ?? '');
  const everywhere =
    eligible.length === 0
      ? []
      : eligible.map((n) => tooSmall(pod, n)).reduce((left, right) => left.filter((r) => right.includes(r)));
  const resources = [...new Set([...said, ...everywhere])];
  if (resources.length === 0) return undefined;
  // Nodes it cannot land on anyway (outside its selector, cordoned, tainted against it) are no
  // candidates, however much they have free.
  const open = eligible.filter(
    (n) =>
      n.spec?.unschedulable !== true &&
      (n.spec?.taints ?? []).every(
        (t) => t.effect === 'PreferNoSchedule' || tolerates(pod.spec?.tolerations ?? [], t),
      ),
  );
  const candidates = open.length > 0 ? open : eligible;
  return {
    causes: resources.map((resource) => `insufficient ${resource}`),
    evidence: resources.flatMap((resource): Evidence[] => {
      const fit = bestFit(pod, candidates, snapshot, graph, resource);
      return fit === undefined ? [] : [{ source: 'graph', text: fit }];
    }),
    fixes: resources.map((resource) => `lower the pod's ${resource} request, or add capacity`),
  };
}

/**
 * `untolerated taint`: which taints, on which of the nodes its selector allows and that are big
 * enough to hold it (taints elsewhere do not matter to it); when the nodes were not read, the taints the message names. A taint
 * Kubernetes sets (control-plane, not-ready, pressure…) says what it means about the node and
 * gets its own fix: a pod kept off a control-plane node wants a worker node, not a toleration.
 */
function taints({ pod, message, nodes, eligible, fitting }: UnplacedPod): Part | undefined {
  if (!/untolerated taint|that the pod didn't tolerate/.test(message)) return undefined;
  if (nodes.length > 0 && eligible.length === 0) return undefined;
  const found: { taint: string; key: string; nodes: string[]; count: number }[] =
    nodes.length > 0
      ? untoleratedTaints(pod, fitting).map((t) => ({
          ...t,
          key: t.taint.split(/[=:]/)[0] ?? t.taint,
          count: t.nodes.length,
        }))
      : messageTaints(message).map((t) => ({
          taint: `${t.key}${t.value === '' ? '' : `=${t.value}`}`,
          key: t.key,
          nodes: [],
          count: t.nodes,
        }));
  // Nodes were read and no node big enough for it is tainted against it: the taints are no cause.
  if (nodes.length > 0 && found.length === 0 && fitting.length < eligible.length) return undefined;
  const named = (t: { taint: string; key: string; count: number }): string => {
    const meaning = taintMeaning(t.key);
    return `taint ${t.taint} not tolerated${meaning === undefined ? '' : ` (${t.count === 1 ? '' : `${String(t.count)} nodes: `}${meaning.means})`}`;
  };
  const fixes = [
    ...new Set(
      found.map(
        (t) => taintMeaning(t.key)?.fix ?? 'add a toleration to the pod, or remove the taint from the nodes',
      ),
    ),
  ];
  return {
    causes: found.length === 0 ? ['untolerated taints'] : found.map(named),
    evidence: found
      .filter((t) => t.nodes.length > 0)
      .map(({ taint, nodes: on }) => ({ source: 'spec', text: `taint ${taint} on ${on.join(', ')}` })),
    fixes: fixes.length === 0 ? ['add a toleration to the pod, or remove the taint from the nodes'] : fixes,
    waitsOn: found.flatMap((t) => t.nodes),
  };
}

/**
 * `didn't have free ports for the requested pod ports`: the host ports it asks for, and the pods
 * already holding them on the nodes (one pod per node may bind a host port).
 */
function hostPorts({ pod, message, snapshot }: UnplacedPod): Part | undefined {
  if (!/didn't have free ports for the requested pod ports/.test(message)) return undefined;
  const wanted = hostPortsOf(pod);
  const holders = hostPortHolders(pod, wanted, snapshot);
  const ports = [...new Set(wanted.map(formatHostPort))];
  const count = /(\d+) node\(s\) didn't have free ports/.exec(message)?.[1];
  const where = count === undefined ? 'the nodes' : `${count} node${count === '1' ? '' : 's'}`;
  return {
    causes: [
      `host port${ports.length === 1 ? '' : 's'} ${ports.length === 0 ? '(unknown)' : ports.join(', ')} already taken on ${where}${holders.length === 0 ? '' : ` (by ${namedFew([...new Set(holders.map((h) => h.pod))])})`}`,
    ],
    evidence: holders.slice(0, 5).map((h) => ({
      source: 'graph',
      text: `host port ${formatHostPort(h.port)} held by ${h.pod} on ${h.node}`,
    })),
    fixes: [
      'drop the hostPort and reach the pod through a Service, or use a port no pod holds; with a hostPort only one such pod fits per node, so replicas beyond the nodes that have it free stay Pending',
    ],
  };
}

/**
 * Preemption, from the message's `preemption:` clause (why evicting lower-priority pods would not
 * help), the node the scheduler nominated it to while its victims go, and pods of its own workload
 * the scheduler preempted for a higher-priority pod (their `Preempted` events), naming that pod.
 */
function preemption({ pod, message, snapshot }: UnplacedPod): Part | undefined {
  // The clause matters where room is the problem (resources, pod count): elsewhere the scheduler
  // says preemption is not helpful whatever the priorities, and repeating it is noise.
  const clause = /Insufficient |Too many pods/.test(message) ? preemptionClause(message) : undefined;
  const nominated = pod.status?.nominatedNodeName;
  const preempted = preemptionsOf(pod, snapshot);
  if (clause === undefined && nominated === undefined && preempted.length === 0) return undefined;
  const causes: string[] = [];
  if (nominated !== undefined && nominated !== '')
    causes.push(`the scheduler is evicting lower-priority pods on node ${nominated} to make room for it`);
  const preemptors = [...new Set(preempted.map((p) => p.preemptor))];
  if (preempted.length > 0)
    causes.push(
      `${preempted.some((p) => p.victim === pod.metadata.name) ? 'it was' : `pod ${namedFew([...new Set(preempted.map((p) => p.victim))])} of its workload ${preempted.length === 1 ? 'was' : 'were'}`} preempted by higher-priority ${preemptors.length === 1 ? 'pod ' : 'pods '}${namedFew(preemptors)}`,
    );
  const priority = pod.spec?.priority;
  return {
    causes,
    evidence: [
      ...(clause === undefined ? [] : [{ source: 'status' as const, text: clause }]),
      ...preempted.map((p) => ({
        source: 'event' as const,
        text: `${p.victim} preempted on node ${p.node} by ${p.preemptor}${p.preemptorPriority === undefined ? '' : ` (priority ${String(p.preemptorPriority)}${priority === undefined ? '' : ` over its ${String(priority)}`})`}${p.at === undefined ? '' : ` at ${p.at}`}`,
      })),
    ],
    fixes:
      preempted.length > 0
        ? [`give it a PriorityClass at least as high as what preempted it, or add capacity so both fit`]
        : [],
  };
}

/**
 * `didn't match Pod's node affinity/selector`: a cause only when no node matches at all; nodes
 * outside the selector are expected when a pod targets a pool.
 */
function noNodeMatches({ pod, message, eligible }: UnplacedPod): Part | undefined {
  if (!/didn't match Pod's node affinity\/selector/.test(message) || eligible.length > 0) return undefined;
  const selector = Object.entries(pod.spec?.nodeSelector ?? {});
  return {
    causes: ['no node matches its node selector or affinity'],
    evidence: [
      {
        source: 'spec',
        text:
          selector.length > 0
            ? `nodeSelector ${selector.map(([k, v]) => `${k}=${v}`).join(',')} matches no node`
            : 'its required node affinity matches no node',
      },
    ],
    fixes: ["fix the pod's nodeSelector/affinity, or label a node to match"],
  };
}

/** A claim not found: `does not exist` where claims were read, `not read (…)` where they were not. */
function claimAbsence(snapshot: Snapshot, claim: ResourceRef): string {
  const state = referenceState(snapshot, claim);
  return state === 'missing' ? 'does not exist' : referenceStateText(claim, state);
}

/** `unbound immediate PersistentVolumeClaims`: each claim's phase and class, and a class that does not exist. */
function unboundClaims({ pod, ref, message, snapshot }: UnplacedPod): Part | undefined {
  if (!/unbound immediate PersistentVolumeClaims/.test(message)) return undefined;
  const causes = ['its PersistentVolumeClaim is unbound'];
  const evidence: Evidence[] = [];
  for (const claim of (pod.spec?.volumes ?? []).flatMap((v) =>
    v.persistentVolumeClaim?.claimName === undefined ? [] : [v.persistentVolumeClaim.claimName],
  )) {
    const pvc = snapshot.get({
      kind: 'PersistentVolumeClaim',
      namespace: ref.namespace ?? '',
      name: claim,
    }) as { status?: { phase?: string }; spec?: { storageClassName?: string } } | undefined;
    const className = pvc?.spec?.storageClassName;
    const classMissing =
      className !== undefined &&
      className !== '' &&
      snapshot.coverage.covers('StorageClass', undefined) &&
      snapshot.get({ kind: 'StorageClass', name: className }) === undefined;
    if (classMissing) causes.push(`StorageClass ${className} does not exist`);
    evidence.push({
      source: 'graph',
      text:
        pvc === undefined
          ? `PersistentVolumeClaim ${claim}: ${claimAbsence(snapshot, { kind: 'PersistentVolumeClaim', namespace: ref.namespace ?? '', name: claim })}`
          : `PersistentVolumeClaim ${claim}: ${pvc.status?.phase ?? 'no phase'}, StorageClass ${className ?? '(default)'}${classMissing ? ' (not found)' : ''}`,
    });
  }
  return { causes, evidence, fixes: ['fix the claim: its StorageClass, or a PersistentVolume to bind'] };
}

/** `Too many pods`: the nodes are at the kubelet's maxPods. */
function tooManyPods({ message }: UnplacedPod): Part | undefined {
  if (!/Too many pods/.test(message)) return undefined;
  return {
    causes: ['the nodes are at their pod limit'],
    evidence: [],
    fixes: ['add nodes, or raise the kubelet maxPods'],
  };
}

/** `didn't match pod anti-affinity rules`: its own required anti-affinity, and the placed pods it matches. */
function antiAffinity({ pod, message, snapshot }: UnplacedPod): Part | undefined {
  if (!/didn't match pod anti-affinity rules/.test(message)) return undefined;
  const terms = ownAntiAffinity(pod, snapshot);
  if (terms.length === 0) return undefined;
  return {
    causes: terms.map(({ term, pods }) =>
      pods.length === 0
        ? `its required pod anti-affinity (${term}) rules out nodes`
        : `its required pod anti-affinity (${term}) rules out the nodes of ${formatList(
            pods.map((p) => p.pod),
            3,
          )}`,
    ),
    evidence: terms.flatMap(({ term, pods }): Evidence[] =>
      pods.length === 0
        ? []
        : [
            {
              source: 'graph',
              text: `anti-affinity ${term}: ${formatList(pods.map((p) => `${p.pod} on ${p.node} (${p.domain})`))}`,
            },
          ],
    ),
    fixes: [
      'relax its pod anti-affinity (preferredDuringSchedulingIgnoredDuringExecution instead of required), or add nodes so each replica finds a free topology domain',
    ],
  };
}

/** `didn't satisfy existing pods anti-affinity rules`: the placed pods whose anti-affinity repels it. */
function repellingAntiAffinity({ pod, ref, message, snapshot }: UnplacedPod): Part | undefined {
  if (!/didn't satisfy existing pods anti-affinity rules/.test(message)) return undefined;
  const repellers = repellingPods(pod, snapshot);
  return {
    causes: [
      repellers.length === 0
        ? "existing pods' anti-affinity keeps it off nodes"
        : `the anti-affinity of ${formatList(
            repellers.map((r) => r.pod),
            3,
          )} keeps it off their nodes`,
    ],
    evidence: repellers.map((r) => ({
      source: 'graph',
      resource: { kind: 'Pod', namespace: ref.namespace ?? '', name: r.pod },
      text: `${r.pod} on ${r.node} repels it (required anti-affinity, ${r.domain})`,
    })),
    fixes: ["relax the other pods' required anti-affinity, or add nodes outside their topology domains"],
  };
}

/** `didn't match pod affinity rules`: its required pod affinity, and the running pods that meet it. */
function podAffinity({ pod, message, snapshot }: UnplacedPod): Part | undefined {
  if (!/didn't match pod affinity rules/.test(message)) return undefined;
  return {
    causes: ownAffinity(pod, snapshot).map(({ term, pods }) =>
      pods.length === 0
        ? `no running pod matches its required pod affinity (${term})`
        : `its required pod affinity (${term}) allows only the nodes of ${formatList(
            pods.map((p) => p.pod),
            3,
          )}`,
    ),
    evidence: [],
    fixes: ['start the pods its affinity needs, or relax the affinity'],
  };
}

/** `didn't match pod topology spread constraints`: each constraint's pods per domain, or the nodes lacking its label. */
function topologySpread({ pod, message, snapshot }: UnplacedPod): Part | undefined {
  if (!/didn't match pod topology spread constraints/.test(message)) return undefined;
  const missingLabel = /didn't match pod topology spread constraints \(missing required label\)/.test(
    message,
  );
  const causes: string[] = [];
  const evidence: Evidence[] = [];
  for (const state of spreadStates(pod, snapshot)) {
    if (missingLabel && state.unlabelled.length > 0) {
      causes.push(
        `${String(state.unlabelled.length)} ${state.unlabelled.length === 1 ? 'node lacks' : 'nodes lack'} label ${state.topologyKey}, which its topology spread constraint needs`,
      );
      evidence.push({
        source: 'spec',
        text: `no ${state.topologyKey} label: ${formatList(state.unlabelled)}`,
      });
    } else causes.push(`its topology spread constraint (${state.constraint}) cannot be met`);
    evidence.push({
      source: 'graph',
      text: `${state.constraint}, DoNotSchedule: ${state.domains.length === 0 ? 'no domain' : state.domains.map((d) => `${d.domain} ${String(d.pods)}`).join(', ')}`,
    });
  }
  return {
    causes,
    evidence,
    fixes: [
      'add capacity where its pods are fewest (or label the nodes), raise maxSkew, or make the constraint whenUnsatisfiable: ScheduleAnyway',
    ],
  };
}

/**
 * `node(s) were unschedulable`: the cordoned nodes, said outright when every node is. Only those its
 * selector allows: the scheduler checks the cordon first and counts every cordoned node, but one
 * the pod could not land on anyway is not what it waits on (uncordoning it would not help).
 */
function cordoned({ message, nodes, fitting }: UnplacedPod): Part | undefined {
  if (!/node\(s\) were unschedulable/.test(message)) return undefined;
  const total = /0\/(\d+) nodes are available/.exec(message)?.[1];
  const cordonedCount = /(\d+) node\(s\) were unschedulable/.exec(message)?.[1];
  const names = fitting.filter((n) => n.spec?.unschedulable === true).map((n) => n.metadata.name);
  // Nodes were read and none it may use is cordoned: the cordons are elsewhere.
  if (names.length === 0 && nodes.length > 0) return undefined;
  return {
    causes: [
      total !== undefined && total === cordonedCount
        ? `all ${total} nodes are cordoned`
        : 'nodes are cordoned',
    ],
    evidence: names.length === 0 ? [] : [{ source: 'status', text: `cordoned: ${names.join(', ')}` }],
    fixes: ['uncordon a node (kubectl uncordon NODE) or add one'],
    waitsOn: names,
  };
}

/** What the pod asks for against the node with the most of it free (allocatable minus scheduled requests). */
function bestFit(
  pod: Pod,
  nodes: readonly Node[],
  snapshot: Snapshot,
  graph: DependencyGraph,
  resource: string,
): string | undefined {
  const parse = resource === 'cpu' ? parseCpuMillicores : parseBytes;
  const format =
    resource === 'cpu'
      ? formatCpu
      : resource === 'memory' || resource === 'ephemeral-storage'
        ? formatBytes
        : String;
  const requested = podRequest(pod, resource, parse);
  let best: { name: string; free: number; allocatable: number } | undefined;
  for (const node of nodes) {
    const allocatableText = node.status?.allocatable?.[resource];
    if (allocatableText === undefined) continue;
    const allocatable = parse(allocatableText);
    const used = graph
      .incoming(refKey(refOf(node)))
      .filter((edge) => edge.kind === 'runs-on')
      .reduce((sum, edge) => {
        const bound: Pod | undefined = snapshot.get(graph.nodeByKey(edge.from)?.ref ?? refOf(pod));
        const phase = bound?.status?.phase;
        return bound?.kind !== 'Pod' || bound === pod || phase === 'Succeeded' || phase === 'Failed'
          ? sum
          : sum + podRequest(bound, resource, parse);
      }, 0);
    const free = allocatable - used;
    if (best === undefined || free > best.free) best = { name: node.metadata.name, free, allocatable };
  }
  const asked = `requests ${resource} ${format(requested)}`;
  return best === undefined
    ? asked
    : `${asked}; the best node, ${best.name}, has ${format(Math.max(0, best.free))} free of ${format(best.allocatable)} allocatable`;
}

/**
 * The resources the pod asks more of than the node's allocatable (however empty the node): it can
 * never land there. A node that does not say its allocatable of cpu, memory or ephemeral storage is
 * not judged; one that does not list an extended resource has none of it.
 */
function tooSmall(pod: Pod, node: Node): string[] {
  const asked = new Set(
    [...(pod.spec?.containers ?? []), ...(pod.spec?.initContainers ?? [])].flatMap((c) =>
      Object.keys(c.resources?.requests ?? {}),
    ),
  );
  return [...asked].sort().filter((resource) => {
    const parse = resource === 'cpu' ? parseCpuMillicores : parseBytes;
    const allocatableText = node.status?.allocatable?.[resource];
    if (allocatableText === undefined && ['cpu', 'memory', 'ephemeral-storage'].includes(resource))
      return false;
    const requested = podRequest(pod, resource, parse);
    return requested > 0 && requested > (allocatableText === undefined ? 0 : parse(allocatableText));
  });
}

/** A pod's request of a resource as the scheduler counts it: the sum of its containers, or its largest init container if more. */
function podRequest(pod: Pod, resource: string, parse: (text: string) => number): number {
  const of = (
    containers: readonly { resources?: { requests?: Readonly<Record<string, string>> } }[] | undefined,
  ): number[] =>
    (containers ?? []).map((c) => {
      const text = c.resources?.requests?.[resource];
      return text === undefined ? 0 : parse(text);
    });
  const sum = of(pod.spec?.containers).reduce((a, b) => a + b, 0);
  return Math.max(sum, ...of(pod.spec?.initContainers));
}

/** NoSchedule/NoExecute taints the pod does not tolerate, with the nodes carrying each. */
function untoleratedTaints(pod: Pod, nodes: readonly Node[]): { taint: string; nodes: string[] }[] {
  const found = new Map<string, string[]>();
  for (const node of nodes) {
    for (const taint of node.spec?.taints ?? []) {
      if (taint.effect === 'PreferNoSchedule' || tolerates(pod.spec?.tolerations ?? [], taint)) continue;
      const text = formatTaint(taint);
      found.set(text, [...(found.get(text) ?? []), node.metadata.name]);
    }
  }
  return [...found].map(([taint, names]) => ({ taint, nodes: names }));
}

/** A pod held back by scheduling gates: which, for how long, and how to lift them. */
function gatedFinding(ruleId: string, pod: Pod, condition: Condition, now: Date): Finding[] {
  const ref = refOf(pod);
  const gates = (pod.spec?.schedulingGates ?? []).map((gate) => gate.name);
  const since = timeMs(condition.lastTransitionTime) ?? timeMs(pod.metadata.creationTimestamp);
  const age = since === undefined ? '' : ` for ${formatAge(now.getTime() - since)}`;
  return [
    {
      ruleId,
      severity: 'warning',
      resource: ref,
      message: `pod is not scheduled: ${gates.length === 0 ? 'scheduling gates hold it' : `scheduling gate${gates.length === 1 ? '' : 's'} ${gates.join(', ')} ${gates.length === 1 ? 'holds' : 'hold'} it`}${age}, until whatever set ${gates.length === 1 ? 'it' : 'them'} removes ${gates.length === 1 ? 'it' : 'them'}`,
      evidence: [
        {
          source: 'status',
          text: `PodScheduled=False SchedulingGated${condition.message === undefined ? '' : `: ${condition.message}`}`,
        },
        ...(gates.length === 0
          ? []
          : [{ source: 'spec' as const, text: `schedulingGates: ${gates.join(', ')}` }]),
      ],
      fix: {
        summary:
          'find what should lift the gates (a queue controller such as Kueue removes its gate when it admits the pod); if nothing will, remove them',
        commands: [
          `kubectl ${nsFlag(ref)}patch pod ${pod.metadata.name} --type=json -p '[{"op":"remove","path":"/spec/schedulingGates"}]'`,
        ],
      },
    },
  ];
}
