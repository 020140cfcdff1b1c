import type { Evidence, Finding } from '../../core/finding.js';
import { formatList } from '../../core/format-list.js';
import type { Node, Pod, Taint, Toleration } from '../../core/kube-types.js';
import { refOf } from '../../core/resource-ref.js';
import { formatTaint, nodeMatches, untolerated } from '../node-fit.js';
import { nsFlag } from '../pod-refs.js';
import { defineRule } from '../rule.js';

/** What the DaemonSet controller adds to every daemon pod, so node conditions do not keep it off. */
const DAEMON_TOLERATIONS: readonly Toleration[] = [
  { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute' },
  { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute' },
  { key: 'node.kubernetes.io/disk-pressure', operator: 'Exists', effect: 'NoSchedule' },
  { key: 'node.kubernetes.io/memory-pressure', operator: 'Exists', effect: 'NoSchedule' },
  { key: 'node.kubernetes.io/pid-pressure', operator: 'Exists', effect: 'NoSchedule' },
  { key: 'node.kubernetes.io/unschedulable', operator: 'Exists', effect: 'NoSchedule' },
];
/** Taints that keep workloads off control-plane nodes on purpose: skipping those nodes is intended. */
const CONTROL_PLANE_TAINTS = new Set([
  'node-role.kubernetes.io/control-plane',
  'node-role.kubernetes.io/master',
]);

/**
 * A DaemonSet out of step with its nodes. Pods on nodes they should not run on
 * (status.numberMisscheduled: the node no longer matches its node selector or affinity, or gained
 * a taint it does not tolerate; a NoSchedule taint leaves the pod running there): warning, naming
 * the pods, nodes and reasons. And nodes its selector allows but whose taints keep it off: a
 * DaemonSet is usually a per-node agent (logs, metrics, network) that belongs on every node, so
 * the nodes and taints are named, as info. Control-plane nodes are left out of that: keeping
 * workloads off them is deliberate.
 */
export const daemonSetMisscheduled = defineRule({
  id: 'daemonset-misscheduled',
  summary: 'a DaemonSet with pods on nodes it should not run on, or nodes whose taints keep it off',
  reads: ['Node', 'Pod'],
  kinds: ['DaemonSet'],
  detect(ds, { snapshot }) {
    const ref = refOf(ds);
    const name = ds.metadata.name;
    const template = ds.spec?.template?.spec;
    const tolerations = [...(template?.tolerations ?? []), ...DAEMON_TOLERATIONS];
    const findings: Finding[] = [];

    const pods = (ds.metadata.uid === undefined ? [] : snapshot.ownedBy(ds.metadata.uid)).filter(
      (owned) => owned.kind === 'Pod',
    ) as Pod[];
    const hosting = new Set(
      pods.flatMap((pod) => (pod.spec?.nodeName === undefined ? [] : [pod.spec.nodeName])),
    );
    const misscheduled = ds.status?.numberMisscheduled ?? 0;
    if (misscheduled > 0) {
      const placed: { pod: string; node: string; why: string }[] = [];
      for (const owned of pods) {
        const nodeName = owned.spec?.nodeName;
        const node: Node | undefined =
          nodeName === undefined ? undefined : snapshot.get({ kind: 'Node', name: nodeName });
        if (node === undefined) continue;
        const reasons = [
          ...(nodeMatches(node, template) ? [] : ['its node selector or affinity no longer matches']),
          ...untolerated(node, tolerations).map((taint) => `taint ${formatTaint(taint)} not tolerated`),
        ];
        if (reasons.length > 0)
          placed.push({ pod: owned.metadata.name, node: node.metadata.name, why: reasons.join(', ') });
      }
      placed.sort((a, b) => a.pod.localeCompare(b.pod));
      const names = placed.map((p) => p.pod);
      findings.push({
        ruleId: this.id,
        severity: 'warning',
        resource: ref,
        message: `DaemonSet ${name} runs ${String(misscheduled)} pod${misscheduled === 1 ? '' : 's'} on nodes it should not run on${
          placed.length === 0
            ? ''
            : `: ${formatList(
                placed.map((p) => `${p.pod} on ${p.node} (${p.why})`),
                3,
              )}`
        }`,
        evidence: [
          { source: 'status', text: `numberMisscheduled ${String(misscheduled)}` },
          ...placed.map((p): Evidence => ({
            source: 'graph',
            resource: { kind: 'Node', name: p.node },
            text: `${p.pod} on ${p.node}: ${p.why}`,
          })),
        ],
        fix: {
          summary:
            'if it belongs on those nodes, tolerate their taints or widen its node selector; otherwise delete the pods there (a NoSchedule taint added later does not evict them)',
          commands:
            names.length === 0
              ? [`kubectl ${nsFlag(ref)}get pods -o wide  # the ${name} pods and their nodes`]
              : [`kubectl ${nsFlag(ref)}delete pod ${names.join(' ')}`],
        },
      });
    }

    const skipped = new Map<string, { taint: Taint; nodes: string[] }>();
    const candidates = snapshot.ofKind('Node').filter((node) => nodeMatches(node, template));
    for (const node of candidates) {
      // A node that runs one of its pods is not skipped (a pod there against a taint is misscheduled, above).
      if (hosting.has(node.metadata.name)) continue;
      const taints = untolerated(node, tolerations);
      if (taints.length === 0 || taints.some((taint) => CONTROL_PLANE_TAINTS.has(taint.key))) continue;
      for (const taint of taints) {
        const key = formatTaint(taint);
        const entry = skipped.get(key) ?? { taint, nodes: [] };
        entry.nodes.push(node.metadata.name);
        skipped.set(key, entry);
      }
    }
    if (skipped.size > 0) {
      const nodes = [...new Set([...skipped.values()].flatMap((entry) => entry.nodes))].sort();
      const entries = [...skipped].sort(([a], [b]) => a.localeCompare(b));
      const added = entries.map(([, { taint }]) => ({
        key: taint.key,
        operator: 'Exists',
        effect: taint.effect,
      }));
      findings.push({
        ruleId: this.id,
        severity: 'info',
        resource: ref,
        message: `DaemonSet ${name} does not run on ${String(nodes.length)} node${nodes.length === 1 ? '' : 's'} whose taints it does not tolerate: ${formatList(nodes)} (${entries.map(([taint]) => taint).join(', ')})`,
        evidence: [
          {
            source: 'status',
            text: `desiredNumberScheduled ${String(ds.status?.desiredNumberScheduled ?? 0)}, ${String(candidates.length)} nodes match its selector`,
          },
          ...entries.map(([taint, entry]): Evidence => ({
            source: 'spec',
            text: `taint ${taint} on ${formatList(entry.nodes)}`,
          })),
        ],
        fix: {
          summary:
            'if it is a per-node agent that belongs on those nodes too, tolerate their taints; if they are kept off on purpose, nothing to do',
          commands: [
            `kubectl ${nsFlag(ref)}patch daemonset ${name} -p '${JSON.stringify({ spec: { template: { spec: { tolerations: [...(template?.tolerations ?? []), ...added] } } } })}'`,
          ],
        },
      });
    }
    return findings;
  },
});
