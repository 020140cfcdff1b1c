import type { Evidence, Finding } from '../../core/finding.js';
import type { KubeObject } from '../../core/kube-object.js';
import type { NetworkPolicy, Service, Workload } from '../../core/kube-types.js';
import { formatRef, refKey, refOf, type ResourceRef } from '../../core/resource-ref.js';
import type { Snapshot } from '../../core/snapshot.js';
import type { DependencyGraph } from '../../graph/dependency-graph.js';
import type { GraphEdge } from '../../graph/edge.js';
import { callText, callsInto } from '../callers.js';
import { nsFlag } from '../pod-refs.js';
import {
  admission,
  isolates,
  type ArrivalPort,
  type PolicyDirection,
  type PolicyPeer,
} from '../policy-admission.js';
import { failingNow } from '../crash-moments.js';
import { defineRule, type AnalyzerContext } from '../rule.js';

const SHOWN = 3;

/** A caller a policy keeps from a Service: who, how it dials, and whether its logs saw it fail. */
interface Blocked {
  readonly caller: ResourceRef;
  readonly edge: GraphEdge;
}

/**
 * A NetworkPolicy that drops what the callers of a Service need: pods it isolates for ingress that
 * no policy lets their Services' callers reach (deny-all `ingress: []`, or rules whose selectors or
 * ports match none of them), and pods it isolates for egress that no policy lets reach the Services
 * they call. The callers are known from `calls` edges (configuration and logs). Read from the
 * objects alone, with or without a recording; where admission turns on what was not read (IP
 * blocks, namespace labels), nothing is said. The callers' timeouts and the pods' readiness
 * failures sit downstream of the policy (pods are `isolated-by` it), so they rank under it.
 */
export const networkPolicyBlocksCallers = defineRule({
  id: 'network-policy-blocks-callers',
  summary:
    'a NetworkPolicy drops traffic the callers of a Service need (deny-all, or rules that admit none of them), ingress or egress',
  reads: ['Pod', 'Service', 'Namespace', 'Event'],
  kinds: ['NetworkPolicy'],
  detect(policy, context) {
    const { snapshot, graph } = context;
    const ref = refOf(policy);
    const namespaceLabels = (name: string): Readonly<Record<string, string>> | undefined => {
      const namespace = snapshot.get({ kind: 'Namespace', name });
      return namespace === undefined
        ? undefined
        : { 'kubernetes.io/metadata.name': name, ...namespace.metadata.labels };
    };
    const isolated = graph
      .incoming(refKey(ref))
      .filter((edge) => edge.kind === 'isolated-by')
      .map((edge) => graph.nodeByKey(edge.from)?.object)
      .filter((pod): pod is KubeObject => pod !== undefined)
      .sort((a, b) => a.metadata.name.localeCompare(b.metadata.name));
    const findings: Finding[] = [];
    for (const direction of ['ingress', 'egress'] as const) {
      if (!isolates(policy, direction)) continue;
      const blocked =
        direction === 'ingress'
          ? blockedIngress(isolated, graph, namespaceLabels)
          : blockedEgress(isolated, snapshot, graph, namespaceLabels);
      for (const [serviceKey, callers] of blocked) {
        const service = graph.nodeByKey(serviceKey)?.ref;
        if (service === undefined || callers.length === 0) continue;
        findings.push(finding(this.id, policy, direction, service, callers, context));
      }
    }
    return findings;
  },
});

/**
 * Callers of the Services in front of `pods` that no ingress policy of those pods admits, by Service.
 * One pod stands for its Service (the first by name): pods behind one Service share their labels.
 */
function blockedIngress(
  pods: readonly KubeObject[],
  graph: DependencyGraph,
  namespaceLabels: (name: string) => Readonly<Record<string, string>> | undefined,
): Map<string, Blocked[]> {
  const blocked = new Map<string, Blocked[]>();
  for (const pod of pods) {
    for (const selects of graph.incoming(refKey(refOf(pod)))) {
      if (selects.kind !== 'selects' || blocked.has(selects.from)) continue;
      const service = graph.nodeByKey(selects.from)?.object;
      if (service?.kind !== 'Service') continue;
      const policies = policiesOf(pod, 'ingress', graph);
      const list: Blocked[] = [];
      for (const edge of firstCallPerCaller(callsInto(graph, selects.from))) {
        const caller = graph.nodeByKey(edge.from)?.object;
        if (caller === undefined) continue;
        const port = arrivalPort(service, edge.detail?.port);
        const verdicts = policies.map((p) => admission(p, 'ingress', peerOf(caller), port, namespaceLabels));
        if (verdicts.every((v) => v === 'denied')) list.push({ caller: refOf(caller), edge });
      }
      blocked.set(selects.from, list);
    }
  }
  return blocked;
}

/** Services that `pods` call and no egress policy of theirs lets them reach, with those pods as callers. */
function blockedEgress(
  pods: readonly KubeObject[],
  snapshot: Snapshot,
  graph: DependencyGraph,
  namespaceLabels: (name: string) => Readonly<Record<string, string>> | undefined,
): Map<string, Blocked[]> {
  const blocked = new Map<string, Blocked[]>();
  for (const pod of pods) {
    const policies = policiesOf(pod, 'egress', graph);
    for (const edge of firstCallPerCaller(
      graph.outgoing(refKey(refOf(pod))).filter((e) => e.kind === 'calls'),
    )) {
      const service = snapshot.get(graph.nodeByKey(edge.to)?.ref ?? { kind: '', name: '' });
      if (service?.kind !== 'Service') continue;
      const targets = graph
        .outgoing(edge.to)
        .filter((e) => e.kind === 'selects')
        .map((e) => graph.nodeByKey(e.to)?.object)
        .filter((target): target is KubeObject => target !== undefined);
      // A Service with no pods is reached by nobody: not the policy's doing.
      if (targets.length === 0) continue;
      const port = arrivalPort(service, edge.detail?.port);
      const reachable = targets.some((target) =>
        policies.some((p) => admission(p, 'egress', peerOf(target), port, namespaceLabels) !== 'denied'),
      );
      if (reachable) continue;
      const list = blocked.get(edge.to) ?? [];
      list.push({ caller: refOf(pod), edge });
      blocked.set(edge.to, list);
    }
  }
  return blocked;
}

/** The policies isolating `pod` in `direction`: together they say what it may get or send. */
function policiesOf(pod: KubeObject, direction: PolicyDirection, graph: DependencyGraph): NetworkPolicy[] {
  return graph
    .outgoing(refKey(refOf(pod)))
    .filter((edge) => edge.kind === 'isolated-by')
    .map((edge) => graph.nodeByKey(edge.to)?.object)
    .filter((p): p is NetworkPolicy => p !== undefined && isolates(p, direction));
}

/** One call per caller, preferring the one its logs saw fail. */
function firstCallPerCaller(edges: readonly GraphEdge[]): GraphEdge[] {
  const byCaller = new Map<string, GraphEdge>();
  for (const edge of edges) {
    const kept = byCaller.get(edge.from);
    if (kept === undefined || (kept.detail?.observed === undefined && edge.detail?.observed !== undefined))
      byCaller.set(edge.from, edge);
  }
  return [...byCaller.values()].sort((a, b) => a.from.localeCompare(b.from));
}

/** A pod's labels, or a workload's template labels (a caller with no pods yet). */
function peerOf(object: KubeObject): PolicyPeer {
  const template = (object as Workload).spec?.template?.metadata?.labels;
  return {
    namespace: object.metadata.namespace,
    labels: object.kind === 'Pod' ? object.metadata.labels : (template ?? object.metadata.labels),
  };
}

/** Where a call to `port` of the Service arrives at its pods: the matching Service port's targetPort. */
function arrivalPort(service: Service, port: string | undefined): ArrivalPort | undefined {
  const ports = service.spec?.ports ?? [];
  const match =
    port === undefined
      ? ports.length === 1
        ? ports[0]
        : undefined
      : ports.find((p) => String(p.port) === port || p.name === port);
  if (match === undefined) return undefined;
  const target = match.targetPort ?? match.port;
  if (typeof target === 'number') return { number: target };
  if (target !== undefined && /^\d+$/.test(target)) return { number: Number(target) };
  return target === undefined ? undefined : { name: target };
}

function finding(
  ruleId: string,
  policy: NetworkPolicy,
  direction: PolicyDirection,
  service: ResourceRef,
  callers: readonly Blocked[],
  { snapshot, graph, now }: AnalyzerContext,
): Finding {
  const ref = refOf(policy);
  const rules = (direction === 'ingress' ? policy.spec?.ingress : policy.spec?.egress) ?? [];
  const how = rules.length === 0 ? `it allows no ${direction}` : `none of its ${direction} rules admits them`;
  const seenFailing = callers.some(({ edge }) => edge.detail?.observed !== undefined);
  const failing = callers.some(({ caller }) => failingNow(refKey(caller), graph, snapshot, now));
  const serviceName = formatRef(service, { withNamespace: service.namespace !== ref.namespace });
  const evidence: Evidence[] = [
    {
      source: 'spec',
      text: `podSelector ${JSON.stringify(policy.spec?.podSelector ?? {})}, policyTypes ${JSON.stringify(policy.spec?.policyTypes ?? [])}, ${direction}: ${JSON.stringify(rules)}`,
    },
    ...callers.slice(0, SHOWN).map(({ caller, edge }): Evidence => ({
      source: edge.detail?.observed === undefined ? 'graph' : 'log',
      resource: caller,
      text: `${formatRef(caller, { withNamespace: caller.namespace !== ref.namespace })} calls ${serviceName} (${callText(edge)})${edge.detail?.observed === undefined ? '' : `: ${edge.detail.observed.line}`}`,
    })),
  ];
  if (callers.length > SHOWN)
    evidence.push({ source: 'graph', text: `and ${String(callers.length - SHOWN)} more callers` });
  const [first] = callers;
  const example = first === undefined ? '' : labelText(graph.nodeByKey(refKey(first.caller))?.object);
  return {
    ruleId,
    severity: seenFailing || failing ? 'critical' : 'warning',
    resource: ref,
    message:
      direction === 'ingress'
        ? `NetworkPolicy ${ref.name} drops the traffic of ${String(callers.length)} caller(s) of ${serviceName}: ${how}`
        : `NetworkPolicy ${ref.name} keeps its pods from reaching ${serviceName}, which they call: ${how}`,
    evidence,
    fix: {
      summary:
        direction === 'ingress'
          ? `add an ingress rule admitting the callers${example === '' ? '' : ` (podSelector ${example})`} on the Service's target port, or remove the policy if the lockdown was not meant`
          : `add an egress rule to ${serviceName}'s pods on its target port (and to kube-dns on port 53), or remove the policy if it was not meant`,
      commands: [
        `kubectl ${nsFlag(ref)}get networkpolicy ${ref.name} -o yaml`,
        `kubectl ${nsFlag(ref)}edit networkpolicy ${ref.name}`,
      ],
    },
  };
}

/** `app=api`: the label a rule would select the caller by. */
function labelText(object: KubeObject | undefined): string {
  if (object === undefined) return '';
  const labels = peerOf(object).labels ?? {};
  const key =
    ['app.kubernetes.io/name', 'app', 'k8s-app'].find((k) => labels[k] !== undefined) ??
    Object.keys(labels)[0];
  return key === undefined ? '' : `${key}=${labels[key] ?? ''}`;
}
