import { formatAge } from '../../core/duration.js';
import type { Evidence, Finding } from '../../core/finding.js';
import type { CronJob, Job } from '../../core/kube-types.js';
import { refOf, type ResourceRef } from '../../core/resource-ref.js';
import type { Snapshot } from '../../core/snapshot.js';
import { timeMs } from '../../core/time.js';
import { nextFire, parseCronSchedule, previousFire, type CronSchedule } from '../cron-schedule.js';
import { nsFlag } from '../pod-refs.js';
import { defineRule } from '../rule.js';

/** The CronJob controller stops counting missed runs past this many, and says so in an event. */
const MAX_MISSED = 100;
/** What the CronJob controller says when it cannot read a schedule or time zone. */
const SCHEDULE_EVENTS = new Set(['UnparseableSchedule', 'InvalidSchedule', 'UnknownTimeZone']);
/** What it says when it does not start a run that was due. */
const MISSED_EVENTS = new Set(['MissSchedule', 'TooManyMissedTimes', 'JobAlreadyActive', 'FailedCreate']);

/**
 * A CronJob that does not run as it should: a schedule (or time zone) the controller cannot read,
 * or one that never fires (`0 0 30 2 *`); suspended (info); runs that were due but never started
 * (the first run due after status.lastScheduleTime is later than startingDeadlineSeconds allows,
 * or a whole interval late without one), with the expected against the last schedule and the
 * cause when it shows (a run still active under concurrencyPolicy Forbid, the controller's
 * events); and a last run that failed, with how many in a row and the last success.
 *
 * A symptom: a run that failed, or an active run that holds the next ones back, is explained by
 * its pods' failure (the CronJob owns its Jobs, which own their pods), and ranks under it.
 */
export const cronJobProblem = defineRule({
  id: 'cronjob-problem',
  summary:
    'a CronJob with a schedule that cannot be read or never fires, suspended, missing its runs, or failing run after run',
  reads: ['Event', 'Job', 'Pod'],
  symptom: true,
  kinds: ['CronJob'],
  detect(cronJob, { snapshot, now }) {
    const ref = refOf(cronJob);
    const spec = cronJob.spec ?? {};
    const text = spec.schedule ?? '';
    const parsed = parseCronSchedule(text, spec.timeZone);
    const zone = `schedule "${text}"${spec.timeZone === undefined ? '' : `, timeZone ${spec.timeZone}`}`;
    const findings: Finding[] = [];

    if ('error' in parsed) {
      findings.push(invalid(cronJob, ref, snapshot, `${zone}: ${parsed.error}`, parsed.error));
      return findings;
    }
    const { schedule } = parsed;
    if (nextFire(schedule, now) === undefined) {
      findings.push(invalid(cronJob, ref, snapshot, `${zone}: no date matches it`, 'it never fires'));
      return findings;
    }

    const last = cronJob.status?.lastScheduleTime;
    if (spec.suspend === true) {
      findings.push({
        ruleId: this.id,
        severity: 'info',
        resource: ref,
        message: `CronJob ${cronJob.metadata.name} is suspended: it starts no runs${last === undefined ? '' : ` (last scheduled ${last})`}`,
        evidence: [{ source: 'spec', text: 'suspend: true' }],
        fix: {
          summary: 'resume it when it should run again',
          commands: [
            `kubectl ${nsFlag(ref)}patch cronjob ${cronJob.metadata.name} -p '{"spec":{"suspend":false}}'`,
          ],
        },
      });
    } else {
      const missed = missedRuns(cronJob, ref, schedule, snapshot, now);
      if (missed !== undefined) findings.push(missed);
    }
    const failed = lastRunFailed(cronJob, ref, snapshot);
    if (failed !== undefined) findings.push(failed);
    return findings;
  },
});

function invalid(
  cronJob: CronJob,
  ref: ResourceRef,
  snapshot: Snapshot,
  detail: string,
  why: string,
): Finding {
  return {
    ruleId: cronJobProblem.id,
    severity: 'warning',
    resource: ref,
    message: `CronJob ${cronJob.metadata.name} never runs: its schedule is invalid (${why})`,
    evidence: [{ source: 'spec', text: detail }, ...eventsOf(snapshot, ref, SCHEDULE_EVENTS)],
    fix: {
      summary:
        'write a five-field schedule (minute hour day-of-month month day-of-week, e.g. "0 2 * * *") or a descriptor such as @daily, and set the time zone in spec.timeZone',
      commands: [
        `kubectl ${nsFlag(ref)}patch cronjob ${cronJob.metadata.name} -p '{"spec":{"schedule":"0 2 * * *"}}'  # your schedule`,
      ],
    },
  };
}

/**
 * Runs that were due and did not start, as the controller counts them: from the first fire time
 * after the last scheduled run (or the CronJob's creation) up to now. A run counts as missed once
 * it is later than startingDeadlineSeconds allows, or, without a deadline, a whole interval late
 * (the controller normally starts a run within seconds).
 */
function missedRuns(
  cronJob: CronJob,
  ref: ResourceRef,
  schedule: CronSchedule,
  snapshot: Snapshot,
  now: Date,
): Finding | undefined {
  const lastText = cronJob.status?.lastScheduleTime;
  const since = timeMs(lastText) ?? timeMs(cronJob.metadata.creationTimestamp);
  if (since === undefined) return undefined;
  const first = nextFire(schedule, new Date(since));
  if (first === undefined || first.getTime() > now.getTime()) return undefined;
  const second = nextFire(schedule, first);
  const intervalMs = second === undefined ? Infinity : second.getTime() - first.getTime();
  const deadlineSeconds = cronJob.spec?.startingDeadlineSeconds;
  const toleranceMs = Math.min(deadlineSeconds === undefined ? Infinity : deadlineSeconds * 1000, intervalMs);
  if (now.getTime() - first.getTime() <= toleranceMs) return undefined;

  let count = 0;
  let latest = first;
  for (
    let t: Date | undefined = first;
    t !== undefined && t <= now && count <= MAX_MISSED;
    t = nextFire(schedule, t)
  ) {
    count++;
    latest = t;
  }
  if (count > MAX_MISSED) latest = previousFire(schedule, now) ?? latest;
  const name = cronJob.metadata.name;
  const ns = nsFlag(ref);
  const evidence: Evidence[] = [
    {
      source: 'status',
      text:
        lastText === undefined
          ? `no lastScheduleTime: it has not started a run since it was created at ${cronJob.metadata.creationTimestamp ?? '?'}`
          : `lastScheduleTime ${lastText}`,
    },
    {
      source: 'spec',
      text: `schedule "${cronJob.spec?.schedule ?? ''}" (${schedule.timeZone ?? 'UTC'}): runs were due at ${iso(first)}${count > 1 ? `, …, ${iso(latest)}` : ''}${deadlineSeconds === undefined ? '' : `; startingDeadlineSeconds ${String(deadlineSeconds)}`}`,
    },
  ];
  const active = cronJob.status?.active ?? [];
  const forbidden = cronJob.spec?.concurrencyPolicy === 'Forbid' && active.length > 0;
  let cause = '';
  let fix: Finding['fix'];
  if (forbidden) {
    const blocking = active.map((job) => job.name ?? '?');
    const startedAt = active
      .map((reference) => {
        const job: Job | undefined = snapshot.get({
          kind: 'Job',
          namespace: reference.namespace ?? ref.namespace ?? '',
          name: reference.name ?? '',
        });
        return job?.status?.startTime;
      })
      .find((time) => time !== undefined);
    evidence.push({
      source: 'status',
      text: `active: ${blocking.join(', ')}${startedAt === undefined ? '' : ` (started ${startedAt}, ${formatAge(now.getTime() - (timeMs(startedAt) ?? now.getTime()))} ago)`}; concurrencyPolicy Forbid`,
    });
    cause = `: run ${blocking.join(', ')} is still active and concurrencyPolicy Forbid holds the next ones back`;
    fix = {
      summary: `find why ${blocking.join(', ')} does not finish; give its Jobs an activeDeadlineSeconds so a hung run cannot block the schedule`,
      commands: [
        `kubectl ${ns}describe job ${blocking[0] ?? ''}`,
        `kubectl ${ns}delete job ${blocking[0] ?? ''}  # if it is hung: the next run then starts on time`,
      ],
    };
  } else {
    fix = {
      summary:
        deadlineSeconds === undefined
          ? 'check that kube-controller-manager is running (the CronJob controller starts the runs); run it once by hand meanwhile'
          : `check that kube-controller-manager is running and its clock is right; startingDeadlineSeconds ${String(deadlineSeconds)} leaves little room for a late start`,
      commands: [`kubectl ${ns}create job ${name}-manual-run --from=cronjob/${name}`],
    };
  }
  evidence.push(...eventsOf(snapshot, ref, MISSED_EVENTS));
  return {
    ruleId: cronJobProblem.id,
    severity: 'warning',
    resource: ref,
    message: `CronJob ${name} missed ${count > MAX_MISSED ? `more than ${String(MAX_MISSED)}` : String(count)} scheduled run${count === 1 ? '' : 's'}: the latest was due at ${iso(latest)}, the last started was ${lastText === undefined ? 'never' : `scheduled for ${lastText}`}${cause}`,
    evidence,
    fix,
  };
}

/** The newest finished Job it owns failed: how, how many in a row, and when it last succeeded. */
function lastRunFailed(cronJob: CronJob, ref: ResourceRef, snapshot: Snapshot): Finding | undefined {
  const uid = cronJob.metadata.uid;
  if (uid === undefined) return undefined;
  const finished = snapshot
    .ownedBy(uid)
    .filter((object) => object.kind === 'Job')
    .map((object) => {
      const job: Job = object;
      return { job, state: finishedState(job) };
    })
    .filter((entry): entry is { job: Job; state: FinishedState } => entry.state !== undefined)
    .sort(
      (a, b) => startOf(b.job) - startOf(a.job) || b.job.metadata.name.localeCompare(a.job.metadata.name),
    );
  const newest = finished[0];
  if (newest?.state.type !== 'Failed') return undefined;
  const lastSuccess = cronJob.status?.lastSuccessfulTime;
  const lastSchedule = timeMs(cronJob.status?.lastScheduleTime);
  if (lastSuccess !== undefined && lastSchedule !== undefined && (timeMs(lastSuccess) ?? 0) >= lastSchedule)
    return undefined;
  const inARow = finished.findIndex((entry) => entry.state.type !== 'Failed');
  const failures = inARow === -1 ? finished.length : inARow;
  const name = cronJob.metadata.name;
  const jobName = newest.job.metadata.name;
  const ns = nsFlag(ref);
  return {
    ruleId: cronJobProblem.id,
    severity: 'warning',
    resource: ref,
    message: `CronJob ${name}'s last run, ${jobName}, failed (${newest.state.reason ?? 'no reason given'})${failures > 1 ? `: the last ${String(failures)} runs failed` : ''}; ${lastSuccess === undefined ? 'it has no recorded success' : `it last succeeded at ${lastSuccess}`}`,
    evidence: [
      {
        source: 'status',
        resource: refOf(newest.job),
        text: `Failed=True${newest.state.reason === undefined ? '' : ` ${newest.state.reason}`}${newest.state.message === undefined ? '' : `: ${newest.state.message}`}`,
      },
      {
        source: 'status',
        text: `lastScheduleTime ${cronJob.status?.lastScheduleTime ?? '(none)'}, lastSuccessfulTime ${lastSuccess ?? '(none)'}`,
      },
    ],
    fix: {
      summary: `fix why ${jobName} failed (its pods say why), then run it once by hand rather than wait for the schedule`,
      commands: [
        `kubectl ${ns}describe job ${jobName}`,
        `kubectl ${ns}create job ${name}-manual-run --from=cronjob/${name}`,
      ],
    },
  };
}

interface FinishedState {
  readonly type: 'Complete' | 'Failed';
  readonly reason?: string;
  readonly message?: string;
}

function finishedState(job: Job): FinishedState | undefined {
  for (const condition of job.status?.conditions ?? []) {
    if (condition.status !== 'True') continue;
    if (condition.type === 'Complete' || condition.type === 'Failed')
      return {
        type: condition.type,
        ...(condition.reason === undefined ? {} : { reason: condition.reason }),
        ...(condition.message === undefined ? {} : { message: condition.message }),
      };
  }
  return undefined;
}

function startOf(job: Job): number {
  return timeMs(job.status?.startTime) ?? timeMs(job.metadata.creationTimestamp) ?? 0;
}

function eventsOf(snapshot: Snapshot, ref: ResourceRef, reasons: ReadonlySet<string>): Evidence[] {
  return snapshot
    .eventsAbout(ref)
    .filter((event) => reasons.has(event.reason))
    .map((event) => ({
      source: 'event',
      text: `${event.reason} (x${String(event.count)}): ${event.message}`,
    }));
}

/** `2026-11-20T03:00:00Z`, as the API writes times. */
function iso(date: Date): string {
  return date.toISOString().replace('.000Z', 'Z');
}
