import type { EventRecord } from '../core/event-record.js';
import type { ContainerStatus } from '../core/kube-types.js';
import type { Snapshot } from '../core/snapshot.js';
import type { DependencyGraph } from '../graph/dependency-graph.js';
import { healthOf } from '../graph/health.js';
import { timeMs } from '../core/time.js';
import { aboutContainer } from './container-spec.js';
import { containerStatuses } from './pod-refs.js';

/** How recent a crash and the kubelet's back-off must be for a running container to be mid-loop. */
const BETWEEN_CRASHES_MS = 5 * 60_000;

/**
 * Running again after a crash the kubelet is backing off from: the last instance exited with an
 * error (not for memory) within {@link BETWEEN_CRASHES_MS}, and a `BackOff` event about the
 * container was seen as recently.
 */
export function upBetweenCrashes(
  status: ContainerStatus,
  events: readonly EventRecord[],
  now: Date,
): boolean {
  const last = status.lastState?.terminated;
  if (status.state?.running === undefined || last === undefined) return false;
  if ((last.exitCode ?? 0) === 0 || last.reason === 'OOMKilled') return false;
  const recent = (at: string | undefined): boolean => {
    const ms = timeMs(at);
    return ms !== undefined && now.getTime() - ms <= BETWEEN_CRASHES_MS;
  };
  return (
    recent(last.finishedAt) &&
    events.some(
      (event) =>
        event.reason === 'BackOff' &&
        aboutContainer(event, status.name) &&
        recent(event.lastSeen ?? event.firstSeen),
    )
  );
}

/**
 * Whether the object at `key` fails now, read the same at every moment of a crash loop: its health
 * is failing or degraded, or it is a pod with a container up between crashes (which its health,
 * read from a Running, Ready status, would call ready).
 */
export function failingNow(key: string, graph: DependencyGraph, snapshot: Snapshot, now: Date): boolean {
  const node = graph.nodeByKey(key);
  if (node === undefined) return false;
  if (['failing', 'degraded'].includes(healthOf(node, graph).state)) return true;
  const pod = node.object;
  if (pod?.kind !== 'Pod') return false;
  const events = snapshot.eventsAbout(node.ref);
  return containerStatuses(pod).some((status) => upBetweenCrashes(status, events, now));
}
