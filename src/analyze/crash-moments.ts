import type { EventRecord } from '../core/event-record.js';
import type { ContainerStatus } from '../core/kube-types.js';
import { timeMs } from '../core/time.js';
import { aboutContainer } from './container-spec.js';

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
