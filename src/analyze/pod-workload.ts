import type { Pod } from '../core/kube-types.js';
import { refOf, type ResourceRef } from '../core/resource-ref.js';
import type { Snapshot } from '../core/snapshot.js';
import { topOwner } from '../events/top-owner.js';
import { nsFlag } from './pod-refs.js';

/**
 * The object whose template makes the pod, the one a fix edits: the top of its controller chain
 * (a Deployment over a ReplicaSet, a CronJob over a Job), the pod itself when nothing controls it.
 * A ReplicaSet that was not read is resolved to its Deployment by `pod-template-hash` (topOwner).
 */
export function podWorkload(pod: Pod, snapshot: Snapshot): ResourceRef {
  return topOwner(refOf(pod), snapshot, pod.metadata.uid);
}

/** Kinds `kubectl rollout history|undo` works on. */
const ROLLOUT_KINDS: ReadonlySet<string> = new Set(['Deployment', 'StatefulSet', 'DaemonSet']);

/** `kubectl rollout history deployment/api` and how to undo it, for a workload that rolls out. */
export function rolloutHistoryCommand(workload: ResourceRef): string | undefined {
  if (!ROLLOUT_KINDS.has(workload.kind)) return undefined;
  const target = `${workload.kind.toLowerCase()}/${workload.name}`;
  return `kubectl ${nsFlag(workload)}rollout history ${target}  # if a rollout started it: kubectl ${nsFlag(workload)}rollout undo ${target}`;
}

/**
 * The command that changes a container's resources (every container's, with none named) in the
 * template that makes the pod. Most workloads take `kubectl set resources`; a Job's pod template is immutable once created (the API
 * server refuses the patch) and a pod's resources are fixed, so those are re-created from their
 * manifest with the change. A Job a CronJob made is reached through the CronJob when it was read
 * (its template is what the next run uses); one whose CronJob was not read says to change that.
 */
export function setResourcesCommand(
  workload: ResourceRef,
  container: string | undefined,
  flags: string,
): string {
  const ns = nsFlag(workload);
  const field = `containers[${container ?? '*'}].resources`;
  const only = container === undefined ? '' : ` -c ${container}`;
  switch (workload.kind) {
    case 'Pod':
      return `kubectl ${ns}get pod ${workload.name} -o yaml > pod.yaml  # set ${field} (${flags}), then: kubectl replace --force -f pod.yaml`;
    case 'Job':
      return `kubectl ${ns}get job ${workload.name} -o yaml > job.yaml  # a Job's template is immutable: set ${field} (${flags}), delete spec.selector and the controller-uid labels, then: kubectl replace --force -f job.yaml (made by a CronJob? set it there: kubectl ${ns}set resources cronjob/NAME${only} ${flags})`;
    default:
      return `kubectl ${ns}set resources ${workload.kind.toLowerCase()}/${workload.name}${only} ${flags}`;
  }
}
