import { CONTROLLER_KINDS } from '../../core/kinds.js';
import type { KubeObject } from '../../core/kube-object.js';
import type { Snapshot } from '../../core/snapshot.js';

/** Kinds whose template the graph reads when they have no pods: the pod-owning controllers. */
export const WORKLOAD_KINDS: ReadonlySet<string> = new Set(CONTROLLER_KINDS);

/** Whether a workload has pods now, directly or through the controllers it owns. */
export function hasPods(object: KubeObject, snapshot: Snapshot): boolean {
  const uid = object.metadata.uid;
  if (uid === undefined) return false;
  return snapshot
    .ownedBy(uid)
    .some((child) => child.kind === 'Pod' || (WORKLOAD_KINDS.has(child.kind) && hasPods(child, snapshot)));
}

/** A workload no controller owns: the one a person names (a Deployment, not its ReplicaSet). */
export function isTopLevel(object: KubeObject): boolean {
  return !(object.metadata.ownerReferences ?? []).some((owner) => owner.controller === true);
}
