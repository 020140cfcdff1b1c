import type { Condition, ContainerState, Job, Pod } from '../../core/kube-types.js';
import type { Evidence, Fix } from '../../core/finding.js';
import { formatAge } from '../../core/duration.js';
import { refOf, type ResourceRef } from '../../core/resource-ref.js';
import type { Snapshot } from '../../core/snapshot.js';
import { timeMs } from '../../core/time.js';
import { disruptionOf } from '../disruption.js';
import { exitCodeMeaning } from '../exit-codes.js';
import { quoteMessage } from '../log-lines.js';
import { containerStatuses, nsFlag } from '../pod-refs.js';
import { defineRule } from '../rule.js';

/** The Job controller's default when spec.backoffLimit is absent. */
const DEFAULT_BACKOFF_LIMIT = 6;
/** Event reasons the Job controller gives when it fails a Job. */
const FAILURE_EVENTS = new Set([
  'BackoffLimitExceeded',
  'DeadlineExceeded',
  'PodFailurePolicy',
  'MaxFailedIndexesExceeded',
  'FailedIndexes',
]);

/** How the last failed pod ended: which container, how, and when. */
interface Termination {
  readonly pod: ResourceRef;
  readonly container: string;
  /** Evidence: the container's termination in full. */
  readonly text: string;
  /** For the message: `OOMKilled (container work, exit code 137)`. */
  readonly short: string;
  readonly oomKilled: boolean;
}

/**
 * A Job that failed (condition Failed=True, or FailureTarget=True while its pods stop), and why in
 * the Job controller's terms: its pods failed more often than spec.backoffLimit allows (how many,
 * and how the last one ended: container, exit code, reason, found through the pods it owns), it ran
 * past spec.activeDeadlineSeconds, or a podFailurePolicy FailJob rule matched. A Job whose pods
 * fail but that has not failed yet is left to the pod rules.
 *
 * A symptom: the Job owns its pods, so the ranking puts it under the pod finding that explains it
 * (an OOM kill, a crash, an unpullable image). Warning, not critical: a failed Job has stopped, and
 * nothing that serves is down because of it; a CronJob that keeps failing is the cronjob-problem
 * rule's finding.
 */
export const jobFailed = defineRule({
  id: 'job-failed',
  summary:
    'a Job failed: BackoffLimitExceeded (with how the last pod ended), DeadlineExceeded, a podFailurePolicy rule',
  reads: ['Event', 'Pod'],
  symptom: true,
  kinds: ['Job'],
  fixInTemplate: true,
  detect(job, { snapshot }) {
    const conditions = job.status?.conditions ?? [];
    const condition =
      conditions.find((c) => c.type === 'Failed' && c.status === 'True') ??
      conditions.find((c) => c.type === 'FailureTarget' && c.status === 'True');
    if (condition === undefined) return [];
    const ref = refOf(job);
    const name = job.metadata.name;
    const reason = condition.reason ?? '';
    const failed = job.status?.failed ?? 0;
    const termination = lastTermination(job, snapshot);
    const evidence: Evidence[] = [{ source: 'status', text: conditionText(condition) }];
    let why: string;
    switch (reason) {
      case 'BackoffLimitExceeded': {
        const limit = job.spec?.backoffLimit ?? DEFAULT_BACKOFF_LIMIT;
        evidence.push({
          source: 'spec',
          text: `backoffLimit ${String(limit)}${job.spec?.backoffLimit === undefined ? ' (the default)' : ''}`,
        });
        why = `${String(failed)} of its pods failed, more than its backoffLimit of ${String(limit)} allows`;
        break;
      }
      case 'DeadlineExceeded': {
        const deadline = job.spec?.activeDeadlineSeconds;
        const started = timeMs(job.status?.startTime);
        const ended = timeMs(condition.lastTransitionTime);
        evidence.push({
          source: 'spec',
          text: `activeDeadlineSeconds ${deadline === undefined ? '(not set)' : `${String(deadline)} (${formatAge(deadline * 1000)})`}`,
        });
        if (started !== undefined && ended !== undefined)
          evidence.push({
            source: 'status',
            text: `started ${job.status?.startTime ?? ''}, stopped ${condition.lastTransitionTime ?? ''} (${formatAge(ended - started)} later)`,
          });
        why = `it ran longer than its activeDeadlineSeconds${deadline === undefined ? '' : ` of ${formatAge(deadline * 1000)}`}`;
        break;
      }
      case 'PodFailurePolicy':
        why = `a FailJob rule of its podFailurePolicy matched${condition.message === undefined ? '' : `: ${condition.message}`}`;
        break;
      case 'MaxFailedIndexesExceeded':
      case 'FailedIndexes':
        why = `indexes failed beyond what its backoffLimitPerIndex and maxFailedIndexes allow`;
        break;
      default:
        why = condition.message ?? (reason === '' ? 'its Failed condition gives no reason' : reason);
    }
    evidence.push({
      source: 'status',
      text: `pods: ${String(failed)} failed, ${String(job.status?.succeeded ?? 0)} succeeded, ${String(job.status?.active ?? 0)} active`,
    });
    if (termination !== undefined)
      evidence.push({ source: 'status', resource: termination.pod, text: termination.text });
    for (const event of snapshot.eventsAbout(ref))
      if (FAILURE_EVENTS.has(event.reason))
        evidence.push({
          source: 'event',
          text: `${event.reason} (x${String(event.count)}): ${event.message}`,
        });

    const lastPod =
      termination === undefined ? '' : `; the last, ${termination.pod.name}, ended ${termination.short}`;
    return [
      {
        ruleId: this.id,
        severity: 'warning',
        resource: ref,
        message: `Job ${name} failed: ${why}${reason === 'BackoffLimitExceeded' ? lastPod : ''}`,
        evidence,
        fix: fixFor(job, reason, termination),
      },
    ];
  },
});

/** `Failed=True BackoffLimitExceeded: Job has reached the specified backoff limit`. */
function conditionText(condition: Condition): string {
  const reason = condition.reason === undefined ? '' : ` ${condition.reason}`;
  const message = condition.message === undefined || condition.message === '' ? '' : `: ${condition.message}`;
  return `${condition.type}=${condition.status}${reason}${message}`;
}

/**
 * How the Job's most recently failed pod ended, read from the pods it owns (by uid: the snapshot's
 * index, not a scan). Failed pods first; a pod that restarts in place (restartPolicy OnFailure)
 * counts by its last termination.
 */
function lastTermination(job: Job, snapshot: Snapshot): Termination | undefined {
  const uid = job.metadata.uid;
  if (uid === undefined) return undefined;
  let best: { termination: Termination; at: number; failedPod: boolean } | undefined;
  for (const owned of snapshot.ownedBy(uid)) {
    if (owned.kind !== 'Pod') continue;
    const pod = owned as Pod;
    const failedPod = pod.status?.phase === 'Failed';
    for (const status of containerStatuses(pod)) {
      for (const state of [status.state, status.lastState]) {
        const ended = state?.terminated;
        if (ended === undefined || (ended.exitCode === 0 && ended.reason !== 'OOMKilled')) continue;
        const at = timeMs(ended.finishedAt) ?? timeMs(pod.metadata.creationTimestamp) ?? 0;
        const better =
          best === undefined ||
          (failedPod && !best.failedPod) ||
          (failedPod === best.failedPod && at > best.at);
        if (better)
          best = {
            termination: termination(pod, status.name, status.init, state, disruptionOf(pod, snapshot)),
            at,
            failedPod,
          };
      }
    }
  }
  return best?.termination;
}

function termination(
  pod: Pod,
  container: string,
  init: boolean,
  state: ContainerState | undefined,
  disruption: string | undefined,
): Termination {
  const ended = state?.terminated ?? {};
  const exitCode = ended.exitCode;
  // Killed from outside (preempted, evicted, its node gone): a SIGKILL or SIGTERM is that.
  const killed = disruption !== undefined && (exitCode === 137 || exitCode === 143);
  const parts = [
    `${init ? 'init container' : 'container'} ${container}: ${ended.reason ?? 'terminated'}`,
    exitCode === undefined
      ? undefined
      : `exit code ${String(exitCode)} (${killed ? `killed: the pod was ${disruption}` : exitCodeMeaning(exitCode, ended.message)})`,
    ended.finishedAt === undefined ? undefined : `at ${ended.finishedAt}`,
  ].filter((part) => part !== undefined);
  const message = quoteMessage(ended.message);
  const podReason =
    pod.status?.reason === undefined
      ? ''
      : `; pod ${pod.status.reason}${pod.status.message === undefined ? '' : `: ${pod.status.message}`}`;
  return {
    pod: refOf(pod),
    container,
    short: `${ended.reason ?? 'terminated'} (${init ? 'init container' : 'container'} ${container}${exitCode === undefined ? '' : `, exit code ${String(exitCode)}`})`,
    text: `${parts.join(', ')}${message === undefined || message === '' ? '' : `: ${message}`}${podReason}${disruption === undefined || killed ? '' : `; the pod was ${disruption}`}`,
    oomKilled: ended.reason === 'OOMKilled',
  };
}

/** What to change for the reason it failed, and how to run it again (a failed Job is not retried). */
function fixFor(job: Job, reason: string, last: Termination | undefined): Fix {
  const ref = refOf(job);
  const ns = nsFlag(ref);
  const cronJob = job.metadata.ownerReferences?.find(
    (owner) => owner.controller === true && owner.kind === 'CronJob',
  );
  const rerun =
    cronJob === undefined
      ? `kubectl ${ns}get job ${job.metadata.name} -o yaml > job.yaml  # remove status, spec.selector and the controller-uid labels, then: kubectl replace --force -f job.yaml`
      : `kubectl ${ns}create job ${cronJob.name}-manual-run --from=cronjob/${cronJob.name}`;
  const logs = last === undefined ? [] : [`kubectl ${ns}logs ${last.pod.name} -c ${last.container}`];
  if (reason === 'DeadlineExceeded') {
    const deadline = job.spec?.activeDeadlineSeconds;
    return {
      summary: `make it finish within its deadline, or raise spec.activeDeadlineSeconds${deadline === undefined ? '' : ` above ${String(deadline)}`}${cronJob === undefined ? '' : ` in CronJob ${cronJob.name}'s jobTemplate`}, then run it again`,
      commands: [
        ...(cronJob === undefined || deadline === undefined
          ? []
          : [
              `kubectl ${ns}patch cronjob ${cronJob.name} --type=merge -p '{"spec":{"jobTemplate":{"spec":{"activeDeadlineSeconds":${String(deadline * 2)}}}}}'`,
            ]),
        `kubectl ${ns}describe job ${job.metadata.name}`,
        rerun,
      ],
    };
  }
  const what =
    last === undefined
      ? 'fix why its pods fail'
      : last.oomKilled
        ? `give container ${last.container} more memory (it was killed for using more than its limit)`
        : `fix why container ${last.container} fails (its log says why)`;
  return {
    summary: `${what}, then run it again: a failed Job is not retried`,
    commands: [...logs, `kubectl ${ns}describe job ${job.metadata.name}`, rerun],
  };
}
