import type { Evidence } from '../../core/finding.js';
import { refKey, refOf } from '../../core/resource-ref.js';
import { healthOf } from '../../graph/health.js';
import type { Workload } from '../../core/kube-types.js';
import { callerEvidence } from '../callers.js';
import { closestLabels } from '../closest-labels.js';
import { nsFlag } from '../pod-refs.js';
import { defineRule } from '../rule.js';

/**
 * A Service whose selector matches no pod (naming the closest labels that do exist: `app=webapp`
 * for a selector `app=web`, or the workload it is for when that runs no pod: scaled to zero), or
 * whose pods are none of them ready. Either way it has no ready endpoints and everything routed to
 * it fails: the callers that name it are its evidence.
 */
export const serviceEndpoints = defineRule({
  id: 'service-endpoints',
  summary:
    'no ready endpoints: a selector matching no pod (naming the closest labels), a workload scaled to zero, or no pod ready; with the callers that name it',
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
    const callers = callerEvidence(graph, refKey(ref));
    const workloads = graph
      .outgoing(refKey(ref))
      .filter((edge) => edge.kind === 'selects-workload')
      .flatMap((edge) => {
        const node = graph.nodeByKey(edge.to);
        return node?.object === undefined ? [] : [node.object];
      });
    // Pods not read where the Service is (unknown is unknown): selecting none of what was not read
    // says nothing, unless the workload it is for is scaled to zero, which its spec says.
    const podsRead = snapshot.coverage.covers('Pod', object.metadata.namespace);
    if (pods.length === 0 && workloads.length > 0) {
      // The selector is right: the workload it is for runs no pod (scaled to zero, or none made yet).
      const [workload] = workloads as [Workload, ...Workload[]];
      const scaledToZero = workload.spec?.replicas === 0;
      if (!podsRead && !scaledToZero) return [];
      const what = `${workload.kind} ${workload.metadata.name} ${scaledToZero ? 'is scaled to 0 replicas' : 'has no pods'}`;
      return [
        {
          ruleId: this.id,
          severity: 'critical',
          resource: ref,
          message: `Service ${object.metadata.name} has no endpoints: ${what}${callers.length > 0 ? ', and its callers cannot reach it' : ''}`,
          evidence: [
            {
              source: 'spec',
              text: `selector ${selectorText} matches the pod template of ${workload.kind}/${workload.metadata.name}`,
            },
            {
              source: scaledToZero ? 'spec' : 'status',
              resource: refOf(workload),
              text: scaledToZero
                ? `${workload.kind}/${workload.metadata.name} spec.replicas: 0`
                : `${workload.kind}/${workload.metadata.name} has ${String(workload.status?.replicas ?? 0)} pods`,
            },
            ...callers,
          ],
          fix: {
            summary: scaledToZero
              ? `scale ${workload.kind} ${workload.metadata.name} back up (if something scaled it down on purpose, point its callers elsewhere first)`
              : `find why ${workload.kind} ${workload.metadata.name} makes no pods (below)`,
            commands: [
              scaledToZero
                ? `kubectl ${nsFlag(ref)}scale ${workload.kind.toLowerCase()}/${workload.metadata.name} --replicas=1`
                : `kubectl ${nsFlag(ref)}describe ${workload.kind.toLowerCase()}/${workload.metadata.name}`,
            ],
          },
        },
      ];
    }
    if (pods.length === 0) {
      if (!podsRead) return [];
      const closest = closestLabels(
        snapshot.ofKind('Pod', object.metadata.namespace),
        selector,
        object.metadata.name,
      );
      const evidence: Evidence[] = [
        {
          source: 'spec',
          text: `selector ${selectorText} matches no pod in ${object.metadata.namespace ?? ''}`,
        },
      ];
      evidence.push(...callers);
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
          ...callers,
        ],
        fix: { summary: 'fix what keeps the pods from being ready (below)' },
      },
    ];
  },
});
