import type { ContainerStatus, Pod } from '../core/kube-types.js';
import { timeMs } from '../core/time.js';

/** The failure classes the observer detects; `detect` in the agent's config picks among them. */
export const FAILURE_REASONS = [
  'CrashLoopBackOff',
  'OOMKilled',
  'ImagePullBackOff',
  'ErrImagePull',
  'CreateContainerConfigError',
  'InitContainerFailure',
  'Evicted',
] as const;
export type FailureReason = (typeof FAILURE_REASONS)[number];

/** One failure seen on a pod, before debouncing: what, where, and the kubelet's words for it. */
export interface FailureTrigger {
  readonly namespace: string;
  readonly pod: string;
  readonly podUid: string;
  /** Absent for a pod-level failure (Evicted). */
  readonly container?: string;
  readonly reason: FailureReason;
  /** The kubelet's message or the termination's, as it was; redacted later with everything else. */
  readonly message: string;
  readonly restartCount: number;
  readonly exitCode?: number;
}

export interface DetectOptions {
  readonly wanted: ReadonlySet<FailureReason>;
  readonly now: Date;
  /**
   * A container running again after an OOM kill counts only if the kill is this recent: a pod
   * listed when the agent starts must not report a kill from last week.
   */
  readonly recentMs: number;
}

/** Waiting reasons that name a failure class directly. */
const WAITING: ReadonlySet<string> = new Set<FailureReason>([
  'CrashLoopBackOff',
  'ImagePullBackOff',
  'ErrImagePull',
  'CreateContainerConfigError',
]);

/**
 * The failures a pod shows now, one per container at most (its most telling reason), in the
 * order: init containers, then containers, then the pod itself. A container OOM-killed in its
 * last run and now backing off is `OOMKilled` (the cause), not `CrashLoopBackOff` (the symptom);
 * an init container that fails in any way is `InitContainerFailure`. Only `wanted` reasons count.
 */
export function detectFailures(pod: Pod, options: DetectOptions): FailureTrigger[] {
  const { wanted } = options;
  const base = {
    namespace: pod.metadata.namespace ?? '',
    pod: pod.metadata.name,
    podUid: pod.metadata.uid ?? '',
  };
  const triggers: FailureTrigger[] = [];
  const add = (
    status: ContainerStatus | undefined,
    reason: FailureReason,
    message: string,
    exitCode?: number,
  ): void => {
    if (!wanted.has(reason)) return;
    triggers.push({
      ...base,
      ...(status === undefined ? {} : { container: status.name }),
      reason,
      message,
      restartCount: status?.restartCount ?? 0,
      ...(exitCode === undefined ? {} : { exitCode }),
    });
  };
  for (const status of pod.status?.initContainerStatuses ?? []) {
    const failed = initFailure(status);
    if (failed !== undefined) add(status, 'InitContainerFailure', failed.message, failed.exitCode);
  }
  for (const status of pod.status?.containerStatuses ?? []) {
    const terminated = status.state?.terminated ?? status.lastState?.terminated;
    const waiting = status.state?.waiting;
    if (
      terminated?.reason === 'OOMKilled' &&
      (status.state?.running === undefined || recent(terminated.finishedAt, options))
    ) {
      add(status, 'OOMKilled', terminated.message ?? 'OOMKilled', terminated.exitCode ?? 137);
    } else if (waiting?.reason !== undefined && WAITING.has(waiting.reason)) {
      const last = status.lastState?.terminated;
      add(status, waiting.reason as FailureReason, waiting.message ?? waiting.reason, last?.exitCode);
    }
  }
  if (pod.status?.phase === 'Failed' && pod.status.reason === 'Evicted')
    add(undefined, 'Evicted', pod.status.message ?? 'Evicted');
  return triggers;
}

/** An init container stuck failing: terminated (now or last run) with a non-zero exit, or unable to start. */
function initFailure(status: ContainerStatus): { message: string; exitCode?: number } | undefined {
  const waiting = status.state?.waiting?.reason;
  const terminated = status.state?.terminated ?? status.lastState?.terminated;
  if (waiting !== undefined && WAITING.has(waiting))
    return { message: status.state?.waiting?.message ?? waiting, ...exit(terminated?.exitCode) };
  if (terminated !== undefined && (terminated.exitCode ?? 0) !== 0 && status.state?.running === undefined)
    return { message: terminated.message ?? terminated.reason ?? 'failed', ...exit(terminated.exitCode) };
  return undefined;
}

function recent(finishedAt: string | undefined, options: DetectOptions): boolean {
  const ms = timeMs(finishedAt);
  return ms !== undefined && options.now.getTime() - ms <= options.recentMs;
}

const exit = (code: number | undefined): { exitCode?: number } =>
  code === undefined ? {} : { exitCode: code };
