import type { Evidence } from '../../core/finding.js';
import { equalityPairs, formatSelector, isEmptySelector } from '../../core/label-selector.js';
import { refKey, refOf } from '../../core/resource-ref.js';
import { closestLabels } from '../closest-labels.js';
import { nsFlag } from '../pod-refs.js';
import { defineRule } from '../rule.js';

/**
 * A NetworkPolicy whose podSelector matches no pod in its namespace: its rules apply to nobody, so
 * the pods it was written for are not isolated (or, for an allow rule beside a default deny, stay
 * cut off). Usually a label typo: the finding names the closest labels pods do carry, and is then
 * a warning; with no pod sharing a selector key (the workload not deployed yet, say) it is info.
 * An empty podSelector selects every pod, now and later, so it is never reported; nor is anything
 * said when pods were not read in the namespace. Not a symptom.
 */
export const networkPolicySelectsNothing = defineRule({
  id: 'network-policy-selects-nothing',
  summary: 'a NetworkPolicy whose podSelector matches no pod, naming the closest labels',
  reads: ['Pod'],
  kinds: ['NetworkPolicy'],
  detect(policy, { snapshot, graph }) {
    const ref = refOf(policy);
    const namespace = policy.metadata.namespace;
    const selector = policy.spec?.podSelector ?? {};
    if (isEmptySelector(selector) || !snapshot.coverage.covers('Pod', namespace)) return [];
    if (graph.incoming(refKey(ref)).some((edge) => edge.kind === 'isolated-by')) return [];
    const pairs = Object.fromEntries(equalityPairs(selector));
    const closest =
      Object.keys(pairs).length === 0 ? undefined : closestLabels(snapshot.ofKind('Pod', namespace), pairs);
    const selectorText = formatSelector(selector);
    const types = policy.spec?.policyTypes ?? [];
    const evidence: Evidence[] = [
      {
        source: 'spec',
        text: `podSelector ${selectorText}${types.length === 0 ? '' : ` (policyTypes ${types.join(', ')})`} matches no pod in ${namespace ?? ''}`,
      },
    ];
    if (closest !== undefined)
      evidence.push({
        source: 'graph',
        text: `closest: ${String(closest.count)} pod(s) labelled ${closest.labels}`,
      });
    return [
      {
        ruleId: this.id,
        severity: closest === undefined ? 'info' : 'warning',
        resource: ref,
        message: `NetworkPolicy ${ref.name} selects ${selectorText}, which no pod in ${namespace ?? ''} carries: its rules apply to no pod${closest === undefined ? '' : `; pods are labelled ${closest.labels}`}`,
        evidence,
        fix: {
          summary:
            closest === undefined
              ? 'check the podSelector against the labels of the pods it is meant for (or delete the policy if they are gone)'
              : `make the podSelector match the pods it is meant for (${closest.labels}), or relabel the pods`,
          commands: [`kubectl ${nsFlag(ref)}edit networkpolicy ${ref.name}`],
        },
      },
    ];
  },
});
