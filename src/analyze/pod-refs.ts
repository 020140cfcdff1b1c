import type { ContainerStatus, Pod } from '../core/kube-types.js';
import type { ResourceRef } from '../core/resource-ref.js';

/** Every container status of a pod, init containers first, with whether it is an init container. */
export function containerStatuses(pod: Pod): readonly (ContainerStatus & { readonly init: boolean })[] {
  return [
    ...(pod.status?.initContainerStatuses ?? []).map((status) => ({ ...status, init: true })),
    ...(pod.status?.containerStatuses ?? []).map((status) => ({ ...status, init: false })),
  ];
}

/** `-n NS ` for kubectl commands, or nothing for cluster-scoped objects. */
export function nsFlag(ref: ResourceRef): string {
  return ref.namespace === undefined ? '' : `-n ${ref.namespace} `;
}
