import { refOf } from '../../core/resource-ref.js';
import { nsFlag } from '../pod-refs.js';
import { defineRule } from '../rule.js';

/** The kubelet's annotation on the API's copy of a static pod: the kubelet recreates those itself. */
const MIRROR = 'kubernetes.io/config.mirror';
/** The cluster's own namespace: its bare pods are the installer's business. */
const SYSTEM_NAMESPACES = new Set(['kube-system']);

/**
 * A Running or Pending pod that nothing owns (no ownerReferences) outside kube-system, that is not
 * a static pod's mirror: no controller recreates it if its node fails, it is evicted or drained.
 * Info, so it never outranks a failure; the fix is to run it under a Deployment (a Job for a pod
 * that runs to completion).
 */
export const nakedPod = defineRule({
  id: 'naked-pod',
  summary: 'a pod no controller owns (outside kube-system, not a static pod): nothing recreates it',
  reads: [],
  kinds: ['Pod'],
  detect(pod) {
    const { namespace, ownerReferences, annotations, deletionTimestamp } = pod.metadata;
    const phase = pod.status?.phase;
    if (namespace === undefined || SYSTEM_NAMESPACES.has(namespace)) return [];
    if (phase !== 'Running' && phase !== 'Pending') return [];
    if (deletionTimestamp !== undefined || (ownerReferences ?? []).length > 0) return [];
    if (annotations?.[MIRROR] !== undefined) return [];
    const ref = refOf(pod);
    const name = pod.metadata.name;
    const images = (pod.spec?.containers ?? []).flatMap((c) => (c.image === undefined ? [] : [c.image]));
    const runsToCompletion = pod.spec?.restartPolicy === 'Never' || pod.spec?.restartPolicy === 'OnFailure';
    const controller = runsToCompletion ? 'job' : 'deployment';
    // `create deployment` takes an --image per container; `create job` takes one.
    const imageFlags = (runsToCompletion ? images.slice(0, 1) : images)
      .map((image) => ` --image=${image}`)
      .join('');
    return [
      {
        ruleId: this.id,
        severity: 'info',
        resource: ref,
        message: `pod has no controller: if its node fails or it is evicted, nothing recreates it`,
        evidence: [
          {
            source: 'spec',
            text: 'no ownerReferences: created directly, not by a Deployment, StatefulSet, DaemonSet or Job',
          },
          {
            source: 'status',
            text: `${phase}${pod.spec?.nodeName === undefined ? '' : ` on node ${pod.spec.nodeName}`}`,
          },
        ],
        fix: {
          summary: `run it under a ${runsToCompletion ? 'Job (it runs to completion)' : 'Deployment'}, with this pod's spec as its template`,
          commands: [
            `kubectl ${nsFlag(ref)}create ${controller} ${name}${imageFlags} --dry-run=client -o yaml > ${controller}.yaml  # put the pod's spec (kubectl get pod ${name} -o yaml) under spec.template.spec, then: kubectl apply -f ${controller}.yaml`,
          ],
        },
      },
    ];
  },
});
