import type { Evidence } from '../../core/finding.js';
import { refKey, refOf } from '../../core/resource-ref.js';
import { healthOf } from '../../graph/health.js';
import { closestLabels } from '../closest-labels.js';
import { nsFlag } from '../pod-refs.js';
import { defineRule } from '../rule.js';

/**
 * A Service whose selector matches no pod (naming the closest labels that do exist: `app=webapp`
 * for a selector `app=web`), or whose pods are none of them ready. Either way it has no ready
 * endpoints and everything routed to it fails.
 */
export const serviceEndpoints = defineRule({
  id: 'service-endpoints',
  summary: 'a selector matching no pod (naming the closest labels), or no ready endpoints',
  reads: ['Pod'],
  symptom: true,
  kinds: ['Service'],
  detect(object, { snapshot, graph }) {
    const selector = object.spec?.selector;
    if (selector === undefined || Object.keys(selector).length === 0) return [];
    const ref = refOf(object);
    const selectorText = Object.entries(selector)
      .map(([k, v]) => `${k}=${v}`)
      .join(',');
    const pods = graph.outgoing(refKey(ref)).filter((edge) => edge.kind === 'selects');
    if (pods.length === 0) {
      const closest = closestLabels(snapshot.ofKind('Pod', object.metadata.namespace), selector);
      const evidence: Evidence[] = [
        {
          source: 'spec',
          text: `selector ${selectorText} matches no pod in ${object.metadata.namespace ?? ''}`,
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
          severity: 'critical',
          resource: ref,
          message: `Service ${object.metadata.name} selects ${selectorText}, which no pod carries${closest === undefined ? '' : `; pods are labelled ${closest.labels}`}`,
          evidence,
          fix: {
            summary:
              closest === undefined
                ? 'fix the selector, or deploy the pods it is for'
                : `make the selector match the pods (${closest.labels}), or relabel the pods`,
            commands: [`kubectl ${nsFlag(ref)}edit service ${object.metadata.name}`],
          },
        },
      ];
    }
    const ready = pods.filter((edge) => {
      const pod = graph.nodeByKey(edge.to);
      return pod !== undefined && healthOf(pod, graph).state === 'ready';
    });
    if (ready.length > 0) return [];
    return [
      {
        ruleId: this.id,
        severity: 'critical',
        resource: ref,
        message: `Service ${object.metadata.name} has no ready endpoints: ${pods.length === 1 ? 'its one pod is not ready' : `none of its ${String(pods.length)} pods is ready`}`,
        evidence: [
          {
            source: 'graph',
            text: `selector ${selectorText} selects ${String(pods.length)} pod(s), 0 ready`,
          },
        ],
        fix: { summary: 'fix what keeps the pods from being ready (below)' },
      },
    ];
  },
});
