import type { Evidence, Finding } from '../../core/finding.js';
import type { Node, Pod, Taint, Toleration } from '../../core/kube-types.js';
import { refKey, refOf } from '../../core/resource-ref.js';
import { formatBytes, formatCpu, parseBytes, parseCpuMillicores } from '../../core/resource-quantity.js';
import type { Snapshot } from '../../core/snapshot.js';
import type { DependencyGraph } from '../../graph/dependency-graph.js';
import { nsFlag } from '../pod-refs.js';
import type { Rule } from '../rule.js';

/**
 * A pod the scheduler cannot place (PodScheduled=False, Unschedulable), decoded per cause from the
 * scheduler's message and the cluster: insufficient CPU or memory (requested against the best
 * node's free allocatable), untolerated taints (which, on which nodes: the current scheduler no
 * longer names them), node selector or affinity, unbound claims (explained by a missing
 * StorageClass when there is one), too many pods, cordoned nodes.
 */
export const pendingUnschedulable: Rule = {
  id: 'pending-unschedulable',
  symptom: true,
  kinds: ['Pod'],
  detect(object, { snapshot, graph }) {
    const pod = object as Pod;
    if (pod.status?.phase !== 'Pending') return [];
    const condition = pod.status.conditions?.find(
      (c) => c.type === 'PodScheduled' && c.status === 'False' && c.reason === 'Unschedulable',
    );
    if (condition === undefined) return [];
    const message = condition.message ?? '';
    const ref = refOf(pod);
    const causes: string[] = [];
    const evidence: Evidence[] = [{ source: 'status', text: `PodScheduled=False Unschedulable: ${message}` }];
    const fixes: string[] = [];
    // Nodes that keep it off (their taints, their cordon): a failing node there explains the pod.
    const waitsOn = new Set<string>();
    const nodes = snapshot.ofKind('Node') as Node[];
    // The nodes the pod's nodeSelector allows: taints elsewhere do not matter to it.
    const selector = Object.entries(pod.spec?.nodeSelector ?? {});
    const eligible = nodes.filter((n) =>
      selector.every(([key, value]) => n.metadata.labels?.[key] === value),
    );

    for (const resource of [...message.matchAll(/Insufficient ([^\s,]+?)(?=[.,]?(?:\s|$))/g)].map(
      (m) => m[1] ?? '',
    )) {
      // Cordoned nodes and nodes outside the selector are no candidates, however much they have free.
      const open = eligible.filter((n) => n.spec?.unschedulable !== true);
      const fit = bestFit(pod, open.length > 0 ? open : eligible, snapshot, graph, resource);
      causes.push(`insufficient ${resource}`);
      if (fit !== undefined) evidence.push({ source: 'graph', text: fit });
      fixes.push(`lower the pod's ${resource} request, or add capacity`);
    }
    if (/untolerated taint/.test(message) && eligible.length > 0) {
      const taints = untoleratedTaints(pod, eligible);
      for (const { nodes: names } of taints) for (const name of names) waitsOn.add(name);
      causes.push(
        taints.length === 0
          ? 'untolerated taints'
          : `taint ${[...new Set(taints.map((t) => t.taint))].join(', ')} not tolerated`,
      );
      for (const { taint, nodes: names } of taints)
        evidence.push({ source: 'spec', text: `taint ${taint} on ${names.join(', ')}` });
      fixes.push('add a toleration to the pod, or remove the taint from the nodes');
    }
    // Nodes outside the selector are expected when a pod targets a pool; only no node at all is a cause.
    if (
      /didn't match Pod's node affinity\/selector/.test(message) &&
      (eligible.length === 0 || selector.length === 0)
    ) {
      causes.push('no node matches its node selector or affinity');
      if (selector.length > 0)
        evidence.push({
          source: 'spec',
          text: `nodeSelector ${selector.map(([k, v]) => `${k}=${v}`).join(',')} matches no node`,
        });
      fixes.push("fix the pod's nodeSelector/affinity, or label a node to match");
    }
    if (/unbound immediate PersistentVolumeClaims/.test(message)) {
      causes.push('its PersistentVolumeClaim is unbound');
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
              ? `PersistentVolumeClaim ${claim} does not exist`
              : `PersistentVolumeClaim ${claim}: ${pvc.status?.phase ?? 'no phase'}, StorageClass ${className ?? '(default)'}${classMissing ? ' (not found)' : ''}`,
        });
      }
      fixes.push('fix the claim: its StorageClass, or a PersistentVolume to bind');
    }
    if (/Too many pods/.test(message)) {
      causes.push('the nodes are at their pod limit');
      fixes.push('add nodes, or raise the kubelet maxPods');
    }
    if (/node\(s\) were unschedulable/.test(message)) {
      causes.push('nodes are cordoned');
      const cordoned = nodes.filter((n) => n.spec?.unschedulable === true).map((n) => n.metadata.name);
      for (const name of cordoned) waitsOn.add(name);
      if (cordoned.length > 0) evidence.push({ source: 'status', text: `cordoned: ${cordoned.join(', ')}` });
      fixes.push('uncordon a node (kubectl uncordon NODE) or add one');
    }
    for (const event of snapshot.eventsAbout(ref).filter((e) => e.reason === 'FailedScheduling')) {
      evidence.push({
        source: 'event',
        text: `FailedScheduling (x${String(event.count)}): ${event.message}`,
      });
    }
    const finding: Finding = {
      ruleId: this.id,
      severity: 'critical',
      resource: ref,
      message: `pod cannot be scheduled: ${causes.length === 0 ? message : causes.join('; ')}`,
      evidence,
      fix: {
        summary: fixes.length === 0 ? 'read the scheduler’s message above' : fixes.join('; '),
        commands: [`kubectl ${nsFlag(ref)}describe pod ${pod.metadata.name}`],
      },
      ...(waitsOn.size === 0 ? {} : { waitsOn: [...waitsOn].sort().map((name) => ({ kind: 'Node', name })) }),
    };
    return [finding];
  },
};

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
      if (taint.effect === 'PreferNoSchedule' || tolerated(taint, pod.spec?.tolerations ?? [])) continue;
      const text = `${taint.key}${taint.value === undefined ? '' : `=${taint.value}`}:${taint.effect}`;
      found.set(text, [...(found.get(text) ?? []), node.metadata.name]);
    }
  }
  return [...found].map(([taint, names]) => ({ taint, nodes: names }));
}

function tolerated(taint: Taint, tolerations: readonly Toleration[]): boolean {
  return tolerations.some(
    (t) =>
      (t.effect === undefined || t.effect === '' || t.effect === taint.effect) &&
      (t.operator === 'Exists'
        ? t.key === undefined || t.key === '' || t.key === taint.key
        : t.key === taint.key && (t.value ?? '') === (taint.value ?? '')),
  );
}
