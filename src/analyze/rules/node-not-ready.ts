import { formatAge } from '../../core/duration.js';
import type { Evidence, Finding } from '../../core/finding.js';
import { formatList } from '../../core/format-list.js';
import type { Condition, Pod } from '../../core/kube-types.js';
import { refKey, refOf, type ResourceRef } from '../../core/resource-ref.js';
import { timeMs } from '../../core/time.js';
import { defineRule } from '../rule.js';

/** Conditions that are bad when True, what they mean, and where to look. */
const PRESSURES: Readonly<
  Record<string, { readonly taint: string; readonly what: string; readonly look: readonly string[] }>
> = {
  MemoryPressure: {
    taint: 'node.kubernetes.io/memory-pressure',
    what: 'is low on memory: the kubelet evicts pods and the scheduler avoids it',
    look: ['kubectl top pods -A --sort-by=memory', 'kubectl get pods -A --field-selector spec.nodeName=NODE'],
  },
  DiskPressure: {
    taint: 'node.kubernetes.io/disk-pressure',
    what: 'is low on disk: the kubelet removes images, evicts pods, and the scheduler avoids it',
    look: [
      "kubectl debug node/NODE -it --image=busybox -- df -h /host/var/lib  # what fills the node's disk",
    ],
  },
  PIDPressure: {
    taint: 'node.kubernetes.io/pid-pressure',
    what: 'is running out of process ids: the kubelet evicts pods',
    look: ['kubectl get pods -A --field-selector spec.nodeName=NODE'],
  },
  NetworkUnavailable: {
    taint: 'node.kubernetes.io/network-unavailable',
    what: 'has no pod network configured: pods on it cannot reach each other',
    look: [
      'kubectl -n kube-system get pods -o wide --field-selector spec.nodeName=NODE  # the CNI pod on it',
    ],
  },
};
/** Taints the node lifecycle controller puts on a node that is not ready. */
const NOT_READY_TAINTS = new Set(['node.kubernetes.io/unreachable', 'node.kubernetes.io/not-ready']);

/**
 * A node that is not Ready (critical: its pods are evicted once their tolerations of the
 * unreachable/not-ready taints run out), under memory, disk or PID pressure or without a network
 * (warning), or cordoned (info). The evidence is the condition in the kubelet's or node
 * controller's words, the last heartbeat and how long ago, the taints, and the pods bound to it.
 */
export const nodeNotReady = defineRule({
  id: 'node-not-ready',
  summary:
    'a node NotReady or Unknown with its last heartbeat; memory, disk and PID pressure; NetworkUnavailable; cordoned; pod capacity reached',
  reads: ['Pod'],
  kinds: ['Node'],
  detect(node, { snapshot, graph, now }) {
    const ref = refOf(node);
    const name = node.metadata.name;
    const conditions = node.status?.conditions ?? [];
    const findings: Finding[] = [];
    const pods = graph
      .incoming(refKey(ref))
      .filter((edge) => edge.kind === 'runs-on')
      .flatMap((edge) => {
        const pod: Pod | undefined = snapshot.get(graph.nodeByKey(edge.from)?.ref ?? ref);
        const phase = pod?.status?.phase;
        return pod?.kind !== 'Pod' || phase === 'Succeeded' || phase === 'Failed'
          ? []
          : [`${pod.metadata.namespace ?? ''}/${pod.metadata.name}`];
      })
      .sort();

    const ready = conditions.find((c) => c.type === 'Ready');
    if (ready !== undefined && ready.status !== 'True') {
      const heartbeat = timeMs(ready.lastHeartbeatTime);
      const ago = heartbeat === undefined ? undefined : formatAge(now.getTime() - heartbeat);
      const evidence: Evidence[] = [{ source: 'status', text: conditionText(ready) }];
      if (ready.lastHeartbeatTime !== undefined)
        evidence.push({
          source: 'status',
          text: `last heartbeat ${ready.lastHeartbeatTime}${ago === undefined ? '' : ` (${ago} ago)`}`,
        });
      for (const taint of node.spec?.taints ?? []) {
        if (!NOT_READY_TAINTS.has(taint.key)) continue;
        evidence.push({
          source: 'spec',
          text: `taint ${taint.key}:${taint.effect}${taint.timeAdded === undefined ? '' : ` since ${taint.timeAdded}`}`,
        });
      }
      if (pods.length > 0)
        evidence.push({
          source: 'graph',
          text: `${podCount(pods.length)} bound to it: ${formatList(pods)}`,
        });
      findings.push({
        ruleId: this.id,
        severity: 'critical',
        resource: ref,
        message: `node ${name} is not ready (Ready=${ready.status}${ready.reason === undefined ? '' : `, ${ready.reason}`})${ago === undefined ? '' : `: no heartbeat for ${ago}`}`,
        evidence,
        fix: {
          summary:
            'keep new pods off it and move its pods elsewhere, then investigate the kubelet and the machine (power, network, disk, kubelet logs)',
          commands: [
            `kubectl cordon ${name}`,
            `kubectl drain ${name} --ignore-daemonsets --delete-emptydir-data`,
            `kubectl describe node ${name}`,
            'on the node: systemctl status kubelet; journalctl -u kubelet --since "1 hour ago"',
          ],
        },
      });
    }

    const notReady = ready !== undefined && ready.status !== 'True';
    for (const condition of conditions) {
      const pressure = PRESSURES[condition.type];
      // A node that stopped reporting has every condition stale: its NotReady finding says it all.
      if (pressure === undefined || condition.status !== 'True' || notReady) continue;
      findings.push({
        ruleId: this.id,
        severity: 'warning',
        resource: ref,
        message: `node ${name} ${pressure.what}`,
        evidence: [
          { source: 'status', text: conditionText(condition) },
          ...(node.spec?.taints ?? [])
            .filter((t) => t.key === pressure.taint)
            .map((t) => ({ source: 'spec' as const, text: `taint ${t.key}:${t.effect}` })),
        ],
        fix: {
          summary:
            condition.type === 'NetworkUnavailable'
              ? 'repair the network plugin (CNI) on the node'
              : 'find what uses it up on the node, set requests and limits that fit, or move pods off the node',
          commands: [
            `kubectl describe node ${name}`,
            ...pressure.look.map((c) => c.replaceAll('NODE', name)),
          ],
        },
      });
    }

    if (node.spec?.unschedulable === true && !notReady)
      findings.push(cordoned(this.id, ref, name, pods.length));
    return findings;
  },
});

function cordoned(ruleId: string, ref: ResourceRef, name: string, count: number): Finding {
  return {
    ruleId,
    severity: 'info',
    resource: ref,
    message: `node ${name} is cordoned: no new pods are scheduled on it`,
    evidence: [{ source: 'spec', text: `spec.unschedulable: true; ${podCount(count)} still bound to it` }],
    fix: {
      summary: 'if the maintenance is over, let pods schedule on it again',
      commands: [`kubectl uncordon ${name}`],
    },
  };
}

/** `Ready=Unknown NodeStatusUnknown: Kubelet stopped posting node status.` */
function conditionText(condition: Condition): string {
  return `${condition.type}=${condition.status}${condition.reason === undefined ? '' : ` ${condition.reason}`}${condition.message === undefined ? '' : `: ${condition.message}`}${condition.lastTransitionTime === undefined ? '' : ` (since ${condition.lastTransitionTime})`}`;
}

function podCount(count: number): string {
  return `${String(count)} pod${count === 1 ? '' : 's'}`;
}
