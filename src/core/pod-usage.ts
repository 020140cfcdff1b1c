import type { ContainerStatus, Pod, PodMetrics } from './kube-types.js';
import { parseBytes } from './resource-quantity.js';
import type { Snapshot } from './snapshot.js';

/** Containers (init containers too) killed for memory, in their current run or the one before. */
export function oomKilledStatuses(pod: Pod): ContainerStatus[] {
  return [...(pod.status?.initContainerStatuses ?? []), ...(pod.status?.containerStatuses ?? [])].filter(
    (status) =>
      status.state?.terminated?.reason === 'OOMKilled' ||
      status.lastState?.terminated?.reason === 'OOMKilled',
  );
}

/** A container's memory use as the Metrics API last measured it. */
export interface MemoryUsage {
  readonly bytes: number;
  /** The end of the measuring window. */
  readonly at?: string;
}

/**
 * The working-set memory the Metrics API reported for a container of a pod, when the snapshot holds
 * that pod's PodMetrics (a live cluster with metrics-server, or a dump with `kubectl get podmetrics`).
 * A value that is not a quantity counts as not measured.
 */
export function memoryUsageOf(
  snapshot: Snapshot,
  namespace: string,
  pod: string,
  container: string,
): MemoryUsage | undefined {
  const metrics: PodMetrics | undefined = snapshot.get({ kind: 'PodMetrics', namespace, name: pod });
  const text = metrics?.containers?.find((c) => c.name === container)?.usage?.memory;
  if (text === undefined) return undefined;
  let bytes: number;
  try {
    bytes = parseBytes(text);
  } catch {
    return undefined;
  }
  return { bytes, ...(metrics?.timestamp === undefined ? {} : { at: metrics.timestamp }) };
}
