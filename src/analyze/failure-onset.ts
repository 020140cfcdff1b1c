import type { EventRecord } from '../core/event-record.js';
import type { KubeObject } from '../core/kube-object.js';
import type { Condition, Pod, Workload } from '../core/kube-types.js';
import { refKey, refOf, type ResourceRef } from '../core/resource-ref.js';
import type { Snapshot } from '../core/snapshot.js';
import { timeMs } from '../core/time.js';
import type { DependencyGraph } from '../graph/dependency-graph.js';
import { healthOf } from '../graph/health.js';
import { containerStatuses } from './pod-refs.js';

/**
 * How an object fails, in the terms a change can explain it by: a container crashing (`crash`,
 * and `oom` when the kernel killed it for its memory), one that cannot start for its
 * configuration (`config`) or image (`image`), running but not ready (`unready`) or restarted by
 * its liveness probe (`liveness`); a pod the scheduler cannot place, by why (`pending-taint`,
 * `pending-cordon`, `pending-placement`, `pending-resources`, `pending-volume`, or `pending` when
 * the scheduler's message says nothing more); a controller refused its pods (`failed-create`); a
 * Service with no ready endpoints (`no-endpoints`); and a pod that fails because a Service it calls
 * does (`caller`: never read off a pod, only given to one reached through a Service).
 */
export const FAILURE_CLASSES = [
  'crash',
  'oom',
  'config',
  'image',
  'unready',
  'liveness',
  'pending-taint',
  'pending-cordon',
  'pending-placement',
  'pending-resources',
  'pending-volume',
  'pending',
  'failed-create',
  'no-endpoints',
  'caller',
] as const;
export type FailureClass = (typeof FAILURE_CLASSES)[number];

/** An object failing now: how, since when, and in a few words. */
export interface Failing {
  readonly ref: ResourceRef;
  readonly key: string;
  /** Sorted, never empty. */
  readonly classes: readonly FailureClass[];
  /**
   * When it began to fail, as far as it shows (its first failure event, the moment it stopped
   * being ready, its creation); undefined when nothing tells (a Service that selects nothing).
   */
  readonly since?: number;
  /** When the object was created, when it says. */
  readonly createdMs?: number;
  /** A few words: `api ImagePullBackOff`, `Pending: untolerated taint`, `no ready endpoints`. */
  readonly state: string;
  /** The containers that fail, for a pod (empty when it is the pod as a whole: Pending, not ready). */
  readonly containers: readonly string[];
}

/** A container that crashed this recently and runs again is failing, not recovered. */
const RECENT_CRASH_MS = 10 * 60_000;
const START_FAILURES = new Set(['CreateContainerConfigError', 'CreateContainerError', 'RunContainerError']);
const PULL_FAILURES = new Set(['ErrImagePull', 'ImagePullBackOff', 'InvalidImageName']);
/** Warning events that mark when a pod began to fail. */
const FAILURE_EVENTS = new Set(['BackOff', 'Failed', 'Unhealthy', 'Killing']);
const LIVENESS_KILL = /failed (liveness|startup) probe, will be restarted/;

/** How the scheduler words why it cannot place a pod, by class; the first that matches wins. */
const PENDING_REASONS: readonly (readonly [RegExp, FailureClass, string])[] = [
  [/untolerated taint|had taint|didn't tolerate/i, 'pending-taint', 'untolerated taint'],
  [
    /node\(s\) were unschedulable|\bunschedulable\b.*node|node.*\bcordon/i,
    'pending-cordon',
    'cordoned nodes',
  ],
  [/node affinity|node selector|nodeSelector/i, 'pending-placement', 'node selector or affinity'],
  [/Insufficient|Too many pods/i, 'pending-resources', 'insufficient resources'],
  [/persistentvolumeclaim|volume/i, 'pending-volume', 'unbound volume'],
];

/**
 * The objects failing in a snapshot, by key: pods (crashing, unable to start, not ready, not
 * placed), controllers refused their pods, and Services with no ready endpoints. Linear in the
 * snapshot.
 */
export function failingObjects(snapshot: Snapshot, graph: DependencyGraph): Map<string, Failing> {
  const failing = new Map<string, Failing>();
  const nowMs = snapshot.capturedAt.getTime();
  for (const pod of snapshot.ofKind('Pod')) {
    const found = podFailure(pod, snapshot, nowMs);
    if (found !== undefined) failing.set(found.key, found);
  }
  for (const kind of ['ReplicaSet', 'Deployment', 'StatefulSet', 'DaemonSet', 'Job'] as const) {
    for (const workload of snapshot.ofKind(kind)) {
      const found = refusedPods(workload, snapshot);
      if (found !== undefined) failing.set(found.key, found);
    }
  }
  for (const service of snapshot.ofKind('Service')) {
    const key = refKey(refOf(service));
    const node = graph.nodeByKey(key);
    if (node === undefined || healthOf(node, graph).state !== 'failing') continue;
    // As long ago as its first pod that fails; a Service selecting nothing cannot say.
    const pods = graph
      .outgoing(key)
      .filter((edge) => edge.kind === 'selects')
      .flatMap((edge) => failing.get(edge.to)?.since ?? []);
    failing.set(key, {
      ref: refOf(service),
      key,
      classes: ['no-endpoints'],
      ...(pods.length === 0 ? {} : { since: Math.min(...pods) }),
      ...createdOf(service),
      state: 'no ready endpoints',
      containers: [],
    });
  }
  return failing;
}

function podFailure(pod: Pod, snapshot: Snapshot, nowMs: number): Failing | undefined {
  if (pod.metadata.deletionTimestamp !== undefined || pod.status?.phase === 'Succeeded') return undefined;
  const ref = refOf(pod);
  const classes = new Set<FailureClass>();
  const containers = new Set<string>();
  const states: string[] = [];
  const events = snapshot.eventsAbout(ref);
  for (const status of containerStatuses(pod)) {
    const waiting = status.state?.waiting?.reason ?? '';
    const last = status.lastState?.terminated;
    const now = status.state?.terminated;
    const crashedRecently =
      status.state?.running !== undefined &&
      (last?.exitCode ?? 0) !== 0 &&
      nowMs - (timeMs(last?.finishedAt) ?? -Infinity) <= RECENT_CRASH_MS;
    const add = (failure: FailureClass, state: string): void => {
      classes.add(failure);
      containers.add(status.name);
      states.push(`${status.name} ${state}`);
    };
    // Words that stay the same across a back-off's turns (ErrImagePull, then ImagePullBackOff;
    // crashed, waiting, running again): one answer per state, whenever it is read.
    if (PULL_FAILURES.has(waiting))
      add('image', waiting === 'InvalidImageName' ? waiting : 'ImagePullBackOff');
    else if (START_FAILURES.has(waiting)) add('config', waiting);
    else if (
      waiting === 'CrashLoopBackOff' ||
      (now?.exitCode ?? 0) !== 0 ||
      (status.state?.running === undefined && (last?.exitCode ?? 0) !== 0) ||
      crashedRecently
    ) {
      const oom = (now ?? last)?.reason === 'OOMKilled';
      if (oom) classes.add('oom');
      const restarted = (status.restartCount ?? 0) > 0 || waiting === 'CrashLoopBackOff';
      add('crash', oom ? 'OOMKilled' : restarted ? 'CrashLoopBackOff' : ((now ?? last)?.reason ?? 'Error'));
    }
    const killed = events.some(
      (event) =>
        event.reason === 'Killing' &&
        LIVENESS_KILL.test(event.message) &&
        (event.involved.fieldPath ?? '').includes(`{${status.name}}`),
    );
    if (killed && (status.restartCount ?? 0) > 0) add('liveness', 'restarted by its liveness probe');
  }
  const created = createdOf(pod);
  const ready = condition(pod.status?.conditions, 'Ready');
  if (classes.size === 0 && pod.status?.phase === 'Running' && ready?.status === 'False') {
    classes.add('unready');
    states.push('not ready');
    const notReadySince = timeMs(ready.lastTransitionTime);
    // Not ready since its Ready condition turned (or its probe first failed, whichever came first).
    const since = earliest(firstFailure(events), notReadySince) ?? created.createdMs;
    return failure(ref, classes, states, [], since);
  }
  const scheduled = condition(pod.status?.conditions, 'PodScheduled');
  if (classes.size === 0 && pod.status?.phase === 'Pending' && scheduled?.reason === 'Unschedulable') {
    const message = scheduled.message ?? '';
    const reason = PENDING_REASONS.filter(([pattern]) => pattern.test(message));
    for (const [, failureClass] of reason) classes.add(failureClass);
    if (reason.length === 0) classes.add('pending');
    states.push(`Pending: ${reason.map(([, , words]) => words).join(', ') || 'unschedulable'}`);
    // It never ran: it has failed since it was made.
    return failure(ref, classes, states, [], created.createdMs);
  }
  if (classes.size === 0) return undefined;
  // Events last an hour after their latest repeat: without them, the pod's own start is the bound.
  return failure(ref, classes, states, [...containers], firstFailure(events) ?? created.createdMs);

  function failure(
    at: ResourceRef,
    found: ReadonlySet<FailureClass>,
    words: readonly string[],
    names: readonly string[],
    since: number | undefined,
  ): Failing {
    return {
      ref: at,
      key: refKey(at),
      classes: [...found].sort(),
      ...(since === undefined ? {} : { since }),
      ...created,
      state: [...new Set(words)].join(', '),
      containers: [...names].sort(),
    };
  }
}

/** A controller whose pods the API server refuses (a quota, a missing ServiceAccount): FailedCreate. */
function refusedPods(workload: Workload, snapshot: Snapshot): Failing | undefined {
  const ref = refOf(workload);
  const refused = condition(workload.status?.conditions, 'ReplicaFailure');
  const events = snapshot
    .eventsAbout(ref)
    .filter((event) => event.type === 'Warning' && event.reason === 'FailedCreate');
  const short = (workload.status?.replicas ?? 0) < (workload.spec?.replicas ?? 1);
  if (refused?.status !== 'True' && (events.length === 0 || !short)) return undefined;
  const created = createdOf(workload);
  const since =
    earliest(
      timeMs(refused?.status === 'True' ? refused.lastTransitionTime : undefined),
      firstSeen(events),
    ) ?? created.createdMs;
  return {
    ref,
    key: refKey(ref),
    classes: ['failed-create'],
    ...(since === undefined ? {} : { since }),
    ...created,
    state: 'pods refused (FailedCreate)',
    containers: [],
  };
}

function firstFailure(events: readonly EventRecord[]): number | undefined {
  return firstSeen(events.filter((event) => event.type === 'Warning' && FAILURE_EVENTS.has(event.reason)));
}

/** The first time of the earliest of these events (a repeating event keeps its first time). */
function firstSeen(events: readonly EventRecord[]): number | undefined {
  return earliest(...events.map((event) => timeMs(event.firstSeen ?? event.lastSeen)));
}

function earliest(...times: readonly (number | undefined)[]): number | undefined {
  const known = times.filter((t): t is number => t !== undefined);
  return known.length === 0 ? undefined : Math.min(...known);
}

function createdOf(object: KubeObject): { readonly createdMs?: number } {
  const ms = timeMs(object.metadata.creationTimestamp);
  return ms === undefined ? {} : { createdMs: ms };
}

function condition(conditions: readonly Condition[] | undefined, type: string): Condition | undefined {
  return conditions?.find((c) => c.type === type);
}
