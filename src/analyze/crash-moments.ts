import type { EventRecord } from '../core/event-record.js';
import type { ContainerStatus, Pod } from '../core/kube-types.js';
import type { Snapshot } from '../core/snapshot.js';
import type { DependencyGraph } from '../graph/dependency-graph.js';
import { healthOf } from '../graph/health.js';
import { timeMs } from '../core/time.js';
import { aboutContainer } from './container-spec.js';
import { containerStatuses } from './pod-refs.js';

/**
 * How long a container must run for the kubelet to forget its back-off (the kubelet resets a
 * container's back-off once it has run twice the 5-minute cap without crashing): an instance younger
 * than this that started out of a back-off is still inside the crash loop.
 */
const BACKOFF_RESET_MS = 10 * 60_000;
/**
 * How long before an instance started its `BackOff` event may have been last seen and still be the
 * back-off it started out of: the kubelet's 5-minute cap, and as long again for the event recorder's
 * spam filter (one update per 5 minutes per event once its burst is spent).
 */
const BACKOFF_EVIDENCE_MS = 10 * 60_000;

/**
 * Where a crash-looping container stands in its loop: waiting out the back-off, up again between
 * crashes, or just exited (before the kubelet shows the back-off). The three moments of one state.
 */
export type CrashLoopMoment = 'backing-off' | 'running' | 'exited';

/**
 * Whether a container is crash-looping, read the same at every moment of the loop, and where the read
 * caught it. It is when it waits in CrashLoopBackOff; or when its instance — running for less than
 * the kubelet's back-off reset, or just exited — started out of a back-off (a `BackOff` event about
 * the container seen since shortly before that instance started) after an exit the kubelet restarts
 * (an error; a clean one too under restartPolicy Always; not for memory: out-of-memory's), and the
 * pod restarts it (restartPolicy not Never). A container that crashed once and was restarted at once (no back-off, as
 * after ten good minutes) is not in a loop: restart-flapping's, when it keeps doing so.
 */
export function crashLoopMoment(
  pod: Pod,
  status: ContainerStatus,
  events: readonly EventRecord[],
  now: Date,
): CrashLoopMoment | undefined {
  if (status.state?.waiting?.reason === 'CrashLoopBackOff') return 'backing-off';
  if (pod.spec?.restartPolicy === 'Never') return undefined;
  const running = status.state?.running;
  const exited = status.state?.terminated;
  const crash = running === undefined ? exited : status.lastState?.terminated;
  // Under restartPolicy Always (and for a sidecar) a clean exit is restarted with back-off too.
  const init = pod.spec?.initContainers?.find((c) => c.name === status.name);
  const restartsClean =
    init === undefined ? (pod.spec?.restartPolicy ?? 'Always') === 'Always' : init.restartPolicy === 'Always';
  if (crash === undefined || crash.reason === 'OOMKilled') return undefined;
  if ((crash.exitCode ?? 0) === 0 && !restartsClean) return undefined;
  // When the instance now running, or the one that just exited, started.
  const startedMs = timeMs(running === undefined ? exited?.startedAt : running.startedAt);
  if (startedMs === undefined) return undefined;
  if (running !== undefined && now.getTime() - startedMs > BACKOFF_RESET_MS) return undefined;
  const backedOff = events.some((event) => {
    if (event.reason !== 'BackOff' || !aboutContainer(event, status.name)) return false;
    const seenMs = timeMs(event.lastSeen ?? event.firstSeen);
    return seenMs !== undefined && seenMs >= startedMs - BACKOFF_EVIDENCE_MS && seenMs <= now.getTime();
  });
  if (!backedOff) return undefined;
  return running === undefined ? 'exited' : 'running';
}

/**
 * Running again after a crash the kubelet is backing off from: the `running` moment of
 * {@link crashLoopMoment}.
 */
export function upBetweenCrashes(
  pod: Pod,
  status: ContainerStatus,
  events: readonly EventRecord[],
  now: Date,
): boolean {
  return crashLoopMoment(pod, status, events, now) === 'running';
}

/**
 * Whether the object at `key` fails now, read the same at every moment of a crash loop: its health
 * is failing or degraded, or it is a pod with a container crash-looping (which its health, read from
 * a Running, Ready status between crashes, would call ready).
 */
export function failingNow(key: string, graph: DependencyGraph, snapshot: Snapshot, now: Date): boolean {
  const node = graph.nodeByKey(key);
  if (node === undefined) return false;
  if (['failing', 'degraded'].includes(healthOf(node, graph).state)) return true;
  const pod = node.object;
  if (pod?.kind !== 'Pod') return false;
  const events = snapshot.eventsAbout(node.ref);
  return containerStatuses(pod).some((status) => crashLoopMoment(pod, status, events, now) !== undefined);
}
