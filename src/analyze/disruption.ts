import type { Pod } from '../core/kube-types.js';
import type { Snapshot } from '../core/snapshot.js';
import { preemptionsOf } from './scheduler-reasons.js';

/** What each DisruptionTarget reason says happened to the pod. */
const DISRUPTIONS: Readonly<Record<string, string>> = {
  PreemptionByScheduler: 'preempted by the scheduler for a higher-priority pod',
  DeletionByTaintManager: 'deleted for a NoExecute taint on its node it does not tolerate',
  EvictionByEvictionAPI: 'evicted through the Eviction API (a drain, the descheduler)',
  DeletionByPodGC: 'deleted by the pod garbage collector (its node is gone)',
  TerminationByKubelet: 'terminated by the kubelet (node pressure or a node shutdown)',
};

/**
 * Why the pod was killed from outside, when its DisruptionTarget condition says so: its
 * containers' 137 or 143 then means that, not an out-of-memory kill or a failed probe. A
 * preemption names the higher-priority pod when the scheduler's Preempted event was read.
 */
export function disruptionOf(pod: Pod, snapshot: Snapshot): string | undefined {
  const condition = pod.status?.conditions?.find((c) => c.type === 'DisruptionTarget' && c.status === 'True');
  if (condition?.reason === undefined) return undefined;
  const said = DISRUPTIONS[condition.reason] ?? `disrupted (${condition.reason})`;
  if (condition.reason !== 'PreemptionByScheduler') return said;
  const [by] = preemptionsOf(pod, snapshot).filter((p) => p.victim === pod.metadata.name);
  return by === undefined ? said : `preempted on node ${by.node} by higher-priority pod ${by.preemptor}`;
}
