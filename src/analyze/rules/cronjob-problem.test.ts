import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../core/kube-object.js';
import { contextOf } from '../../../test/support/analyzer-context.js';
import { cronJobProblem } from './cronjob-problem.js';

/** Friday 20 November 2026, 03:12 UTC. */
const NOW = new Date('2026-11-20T03:12:00Z');

const cronJob = (spec: object, status: object = {}): KubeObject => ({
  kind: 'CronJob',
  apiVersion: 'batch/v1',
  metadata: { name: 'report', namespace: 'batch', uid: 'cj-1', creationTimestamp: '2026-10-01T00:00:00Z' },
  spec: {
    schedule: '*/5 * * * *',
    concurrencyPolicy: 'Allow',
    suspend: false,
    jobTemplate: {
      spec: { template: { spec: { restartPolicy: 'Never', containers: [{ name: 'report' }] } } },
    },
    ...spec,
  },
  status,
});

/** A Job the CronJob controller made: named for its scheduled minute, owned by the CronJob. */
const run = (name: string, startTime: string, condition?: object): KubeObject => ({
  kind: 'Job',
  metadata: {
    name,
    namespace: 'batch',
    uid: `uid-${name}`,
    ownerReferences: [{ kind: 'CronJob', name: 'report', uid: 'cj-1', controller: true }],
  },
  status: condition === undefined ? { active: 1, startTime } : { startTime, conditions: [condition] },
});
const complete = { type: 'Complete', status: 'True' };
const backoff = {
  type: 'Failed',
  status: 'True',
  reason: 'BackoffLimitExceeded',
  message: 'Job has reached the specified backoff limit',
};

const event = (reason: string, message: string, type = 'Warning'): KubeObject => ({
  kind: 'Event',
  metadata: { name: `report.${reason}`, namespace: 'batch' },
  involvedObject: { kind: 'CronJob', namespace: 'batch', name: 'report', uid: 'cj-1' },
  reason,
  message,
  type,
  count: 1,
  source: { component: 'cronjob-controller' },
});

describe('cronjob-problem', () => {
  it('finds nothing for a CronJob that ran on time and succeeded', () => {
    const healthy = cronJob(
      {},
      { lastScheduleTime: '2026-11-20T03:10:00Z', lastSuccessfulTime: '2026-11-20T03:10:41Z' },
    );
    const objects = [
      healthy,
      run('report-29919065', '2026-11-20T03:05:00Z', complete),
      run('report-29919070', '2026-11-20T03:10:00Z', complete),
    ];
    expect(cronJobProblem.detect(healthy, contextOf(objects, NOW))).toEqual([]);
  });

  it('does not call a run missed seconds after it was due: the controller may not have started it yet', () => {
    const late = cronJob({}, { lastScheduleTime: '2026-11-20T03:05:00Z' });
    expect(cronJobProblem.detect(late, contextOf([late], new Date('2026-11-20T03:10:20Z')))).toEqual([]);
  });

  it('says why the controller refuses a schedule, with its event', () => {
    const broken = cronJob({ schedule: '0 3 * * 7' });
    const objects = [
      broken,
      event(
        'UnparseableSchedule',
        'unparseable schedule: "0 3 * * 7" : end of range (7) above maximum (6): 7',
      ),
    ];
    expect(cronJobProblem.detect(broken, contextOf(objects, NOW))).toEqual([
      {
        ruleId: 'cronjob-problem',
        severity: 'warning',
        resource: { kind: 'CronJob', namespace: 'batch', name: 'report' },
        message:
          'CronJob report never runs: its schedule is invalid (day of week: 7 in "7" is above the maximum 6)',
        evidence: [
          { source: 'spec', text: 'schedule "0 3 * * 7": day of week: 7 in "7" is above the maximum 6' },
          {
            source: 'event',
            text: 'UnparseableSchedule (x1): unparseable schedule: "0 3 * * 7" : end of range (7) above maximum (6): 7',
          },
        ],
        fix: {
          summary:
            'write a five-field schedule (minute hour day-of-month month day-of-week, e.g. "0 2 * * *") or a descriptor such as @daily, and set the time zone in spec.timeZone',
          commands: [
            `kubectl -n batch patch cronjob report -p '{"spec":{"schedule":"0 2 * * *"}}'  # your schedule`,
          ],
        },
      },
    ]);
  });

  it('says a schedule that names no real date never runs, and an unknown time zone is refused', () => {
    const never = cronJob({ schedule: '0 0 30 2 *' });
    expect(cronJobProblem.detect(never, contextOf([never], NOW))[0]?.message).toBe(
      'CronJob report never runs: its schedule is invalid (it never fires)',
    );
    const zone = cronJob({ schedule: '0 2 * * *', timeZone: 'Europe/Atlantis' });
    expect(cronJobProblem.detect(zone, contextOf([zone], NOW))[0]?.evidence[0]).toEqual({
      source: 'spec',
      text: 'schedule "0 2 * * *", timeZone Europe/Atlantis: unknown time zone "Europe/Atlantis"',
    });
  });

  it('notes a suspended CronJob, and does not count the runs it skips as missed', () => {
    const suspended = cronJob({ suspend: true }, { lastScheduleTime: '2026-11-18T09:00:00Z' });
    expect(cronJobProblem.detect(suspended, contextOf([suspended], NOW))).toEqual([
      {
        ruleId: 'cronjob-problem',
        severity: 'info',
        resource: { kind: 'CronJob', namespace: 'batch', name: 'report' },
        message: 'CronJob report is suspended: it starts no runs (last scheduled 2026-11-18T09:00:00Z)',
        evidence: [{ source: 'spec', text: 'suspend: true' }],
        fix: {
          summary: 'resume it when it should run again',
          commands: [`kubectl -n batch patch cronjob report -p '{"spec":{"suspend":false}}'`],
        },
      },
    ]);
  });

  it('counts the runs a hung run holds back under concurrencyPolicy Forbid (expected against last)', () => {
    const held = cronJob(
      { schedule: '0 * * * *', concurrencyPolicy: 'Forbid' },
      {
        lastScheduleTime: '2026-11-19T23:00:00Z',
        lastSuccessfulTime: '2026-11-19T22:00:52Z',
        active: [{ kind: 'Job', name: 'report-29918820', namespace: 'batch', uid: 'uid-report-29918820' }],
      },
    );
    const objects = [
      held,
      run('report-29918820', '2026-11-19T23:00:00Z'),
      event(
        'JobAlreadyActive',
        'Not starting job because prior execution is running and concurrency policy is Forbid',
        'Normal',
      ),
    ];
    expect(cronJobProblem.detect(held, contextOf(objects, NOW))).toEqual([
      {
        ruleId: 'cronjob-problem',
        severity: 'warning',
        resource: { kind: 'CronJob', namespace: 'batch', name: 'report' },
        message:
          'CronJob report missed 4 scheduled runs: the latest was due at 2026-11-20T03:00:00Z, the last started was scheduled for 2026-11-19T23:00:00Z: run report-29918820 is still active and concurrencyPolicy Forbid holds the next ones back',
        evidence: [
          { source: 'status', text: 'lastScheduleTime 2026-11-19T23:00:00Z' },
          {
            source: 'spec',
            text: 'schedule "0 * * * *" (UTC): runs were due at 2026-11-20T00:00:00Z, …, 2026-11-20T03:00:00Z',
          },
          {
            source: 'status',
            text: 'active: report-29918820 (started 2026-11-19T23:00:00Z, 4h ago); concurrencyPolicy Forbid',
          },
          {
            source: 'event',
            text: 'JobAlreadyActive (x1): Not starting job because prior execution is running and concurrency policy is Forbid',
          },
        ],
        fix: {
          summary:
            'find why report-29918820 does not finish; give its Jobs an activeDeadlineSeconds so a hung run cannot block the schedule',
          commands: [
            'kubectl -n batch describe job report-29918820',
            'kubectl -n batch delete job report-29918820  # if it is hung: the next run then starts on time',
          ],
        },
      },
    ]);
  });

  it('counts a run missed once it is later than startingDeadlineSeconds allows, in the schedule’s time zone', () => {
    // 02:00 in Berlin is 01:00 UTC in November; the run was due 2h12m ago, the deadline is 5 minutes.
    const missed = cronJob(
      { schedule: '0 2 * * *', timeZone: 'Europe/Berlin', startingDeadlineSeconds: 300 },
      { lastScheduleTime: '2026-11-19T01:00:00Z', lastSuccessfulTime: '2026-11-19T01:03:10Z' },
    );
    const objects = [
      missed,
      event('MissSchedule', 'Missed scheduled time to start a job: Fri, 20 Nov 2026 01:00:00 +0000'),
    ];
    const [finding] = cronJobProblem.detect(missed, contextOf(objects, NOW));
    expect(finding?.message).toBe(
      'CronJob report missed 1 scheduled run: the latest was due at 2026-11-20T01:00:00Z, the last started was scheduled for 2026-11-19T01:00:00Z',
    );
    expect(finding?.evidence.slice(1)).toEqual([
      {
        source: 'spec',
        text: 'schedule "0 2 * * *" (Europe/Berlin): runs were due at 2026-11-20T01:00:00Z; startingDeadlineSeconds 300',
      },
      {
        source: 'event',
        text: 'MissSchedule (x1): Missed scheduled time to start a job: Fri, 20 Nov 2026 01:00:00 +0000',
      },
    ]);
    expect(finding?.fix?.commands).toEqual([
      'kubectl -n batch create job report-manual-run --from=cronjob/report',
    ]);
  });

  it('says the last run failed, how many in a row, and when it last succeeded', () => {
    const failing = cronJob(
      {},
      { lastScheduleTime: '2026-11-20T03:10:00Z', lastSuccessfulTime: '2026-11-20T02:55:40Z' },
    );
    const objects = [
      failing,
      run('report-29919055', '2026-11-20T02:55:00Z', complete),
      run('report-29919060', '2026-11-20T03:00:00Z', backoff),
      run('report-29919065', '2026-11-20T03:05:00Z', backoff),
      run('report-29919070', '2026-11-20T03:10:00Z', backoff),
    ];
    expect(cronJobProblem.detect(failing, contextOf(objects, NOW))).toEqual([
      {
        ruleId: 'cronjob-problem',
        severity: 'warning',
        resource: { kind: 'CronJob', namespace: 'batch', name: 'report' },
        message:
          "CronJob report's last run, report-29919070, failed (BackoffLimitExceeded): the last 3 runs failed; it last succeeded at 2026-11-20T02:55:40Z",
        evidence: [
          {
            source: 'status',
            resource: { kind: 'Job', namespace: 'batch', name: 'report-29919070' },
            text: 'Failed=True BackoffLimitExceeded: Job has reached the specified backoff limit',
          },
          {
            source: 'status',
            text: 'lastScheduleTime 2026-11-20T03:10:00Z, lastSuccessfulTime 2026-11-20T02:55:40Z',
          },
        ],
        fix: {
          summary:
            'fix why report-29919070 failed (its pods say why), then run it once by hand rather than wait for the schedule',
          commands: [
            'kubectl -n batch describe job report-29919070',
            'kubectl -n batch create job report-manual-run --from=cronjob/report',
          ],
        },
      },
    ]);
  });
});
