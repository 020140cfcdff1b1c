import type { Evidence, Finding } from '../../core/finding.js';
import { formatList } from '../../core/format-list.js';
import type { PodDisruptionBudget } from '../../core/kube-types.js';
import { formatSelector } from '../../core/label-selector.js';
import { formatRef, refKey, refOf, type ResourceRef } from '../../core/resource-ref.js';
import { CONTROLLER_KINDS } from '../../core/kinds.js';
import { topOwner } from '../../events/top-owner.js';
import type { DependencyGraph } from '../../graph/dependency-graph.js';
import { nsFlag } from '../pod-refs.js';
import { defineRule } from '../rule.js';

/**
 * A PodDisruptionBudget that allows no voluntary disruption now (status.disruptionsAllowed 0 over
 * a non-empty set of pods): every eviction of its pods is refused (HTTP 429), so `kubectl drain`
 * and node upgrades stall. The evidence is the budget's arithmetic; the fix says whether the
 * budget can never be met (minAvailable equal to the replicas, maxUnavailable 0) or pods are
 * unhealthy. Also pods selected by more than one budget, which the eviction API refuses outright.
 */
export const pdbNoDisruptions = defineRule({
  id: 'pdb-no-disruptions',
  summary:
    'a PodDisruptionBudget allowing zero disruptions (drains blocked), and pods covered by several budgets',
  reads: ['Pod', ...CONTROLLER_KINDS],
  kinds: ['PodDisruptionBudget'],
  detect(pdb, { snapshot, graph }) {
    const ref = refOf(pdb);
    const name = pdb.metadata.name;
    const findings: Finding[] = [];
    const pods = selectedPods(graph, ref);
    const status = pdb.status;
    const expected = status?.expectedPods ?? 0;

    if (status?.disruptionsAllowed === 0 && expected > 0) {
      const healthy = status.currentHealthy ?? 0;
      const desired = status.desiredHealthy ?? 0;
      const rule = budgetText(pdb);
      const evidence: Evidence[] = [
        { source: 'spec', text: rule },
        {
          source: 'status',
          text: `currentHealthy ${String(healthy)}, desiredHealthy ${String(desired)}, expectedPods ${String(expected)}: disruptionsAllowed = ${String(healthy)} − ${String(desired)} = 0`,
        },
      ];
      const condition = status.conditions?.find((c) => c.type === 'DisruptionAllowed');
      if (condition !== undefined)
        evidence.push({
          source: 'status',
          text: `DisruptionAllowed=${condition.status}${condition.reason === undefined ? '' : ` ${condition.reason}`}${condition.message === undefined || condition.message === '' ? '' : `: ${condition.message}`}`,
        });
      const owner = pods[0] === undefined ? undefined : topOwner(pods[0], snapshot);
      const never = desired >= expected;
      const commands = [
        `kubectl ${nsFlag(ref)}patch pdb ${name} --type=merge -p '{"spec":{"minAvailable":null,"maxUnavailable":1}}'`,
      ];
      // Scaling up helps only when the budget is a fixed count: a percentage grows with the pods.
      const fixedCount = typeof pdb.spec?.minAvailable === 'number';
      if (never && fixedCount && owner !== undefined && owner.kind !== 'Pod')
        commands.push(
          `kubectl ${nsFlag(ref)}scale ${owner.kind.toLowerCase()}/${owner.name} --replicas=${String(expected + 1)}`,
        );
      findings.push({
        ruleId: this.id,
        severity: 'warning',
        resource: ref,
        message: never
          ? `PodDisruptionBudget ${name} allows no disruptions even with all ${String(expected)} pods healthy (${rule}): evictions and node drains are refused`
          : `PodDisruptionBudget ${name} allows no disruptions: only ${String(healthy)} of ${String(expected)} pods are healthy and it needs ${String(desired)}; evictions and node drains are refused`,
        evidence,
        fix: never
          ? {
              summary: `relax the budget so one pod may be evicted at a time${fixedCount && owner !== undefined && owner.kind !== 'Pod' ? `, or scale ${formatRef(owner)} up first` : ''}`,
              commands,
            }
          : {
              summary: `make the unhealthy pods healthy first (the budget counts them against it), or relax the budget`,
              commands: [`kubectl ${nsFlag(ref)}get pods -l '${selectorText(pdb)}'`, ...commands],
            },
      });
    }

    // The eviction API refuses a pod that more than one budget selects.
    const shared = new Map<string, string[]>();
    for (const pod of pods) {
      for (const edge of graph.incoming(refKey(pod))) {
        const other = graph.nodeByKey(edge.from);
        if (edge.kind !== 'selects' || other?.ref.kind !== 'PodDisruptionBudget' || edge.from === refKey(ref))
          continue;
        shared.set(other.ref.name, [...(shared.get(other.ref.name) ?? []), pod.name]);
      }
    }
    for (const [otherName, podNames] of [...shared].sort(([a], [b]) => a.localeCompare(b)))
      findings.push({
        ruleId: this.id,
        severity: 'warning',
        resource: ref,
        message: `PodDisruptionBudget ${name} and ${otherName} both select ${String(podNames.length)} pod${podNames.length === 1 ? '' : 's'}: their evictions fail`,
        evidence: [
          { source: 'graph', text: `selected by both: ${formatList(podNames)}` },
          {
            source: 'spec',
            text: `selector ${selectorText(pdb)}`,
          },
        ],
        fix: {
          summary: 'give each pod one budget: narrow one selector or merge the two budgets',
          commands: [`kubectl ${nsFlag(ref)}get pdb ${name} ${otherName} -o wide`],
        },
      });
    return findings;
  },
});

/** The pods the graph says the budget selects, by name order. */
function selectedPods(graph: DependencyGraph, ref: ResourceRef): ResourceRef[] {
  return graph
    .outgoing(refKey(ref))
    .filter((edge) => edge.kind === 'selects')
    .flatMap((edge) => {
      const node = graph.nodeByKey(edge.to);
      return node === undefined ? [] : [node.ref];
    })
    .sort((a, b) => a.name.localeCompare(b.name));
}

/** `minAvailable 3` or `maxUnavailable 0`, as written. */
function budgetText(pdb: PodDisruptionBudget): string {
  const spec = pdb.spec;
  if (spec?.minAvailable !== undefined) return `minAvailable ${String(spec.minAvailable)}`;
  if (spec?.maxUnavailable !== undefined) return `maxUnavailable ${String(spec.maxUnavailable)}`;
  return 'no minAvailable or maxUnavailable';
}

/** `app=api,tier in (a,b)`, as kubectl prints selectors. */
function selectorText(pdb: PodDisruptionBudget): string {
  return formatSelector(pdb.spec?.selector ?? {});
}
