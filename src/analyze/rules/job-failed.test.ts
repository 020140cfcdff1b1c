import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../core/kube-object.js';
import { rankFindings } from '../rank.js';
import { contextOf } from '../../../test/support/analyzer-context.js';
import { realdataItems } from '../../../test/support/realdata.js';
import { jobFailed } from './job-failed.js';
import { outOfMemory } from './out-of-memory.js';

const NS = 'message-image-pull-fail';
const JOB_UID = 'a85295e8-54e4-40a4-aeb0-b47c19f1a69f';

/**
 * The Job behind the real captures: the event list and the pod list come from one minikube run
 * (the pod's owner uid is the events' Job uid) saved in two namespaces; the pod is put back beside
 * its Job. One pod failed and the Job gave up 9 seconds after creating it: backoffLimit 0.
 */
const oomJob = (conditions: readonly object[]): KubeObject => ({
  kind: 'Job',
  apiVersion: 'batch/v1',
  metadata: { name: 'oom-kill-job3', namespace: NS, uid: JOB_UID, creationTimestamp: '2023-07-11T04:43:19Z' },
  spec: { backoffLimit: 0, completions: 1, parallelism: 1 },
  status: { failed: 1, startTime: '2023-07-11T04:43:19Z', conditions },
});
const realPod = (): KubeObject => {
  const [pod] = realdataItems('pods/troubleshoot_oomkilled-job-pod_podlist.json');
  return { ...pod!, metadata: { ...pod!.metadata, namespace: NS } };
};
const NOW = new Date('2023-07-11T05:00:00Z');

describe('job-failed', () => {
  it('finds nothing for a Job that completed, or whose pods fail but that has not failed yet', () => {
    const complete = oomJob([{ type: 'Complete', status: 'True' }]);
    const running = { ...oomJob([]), status: { active: 1, failed: 2 } };
    expect(jobFailed.detect(complete, contextOf([complete], NOW))).toEqual([]);
    expect(jobFailed.detect(running, contextOf([running], NOW))).toEqual([]);
  });

  it('explains the real BackoffLimitExceeded through its OOM-killed pod and the real event', () => {
    const job = oomJob([
      {
        type: 'Failed',
        status: 'True',
        reason: 'BackoffLimitExceeded',
        message: 'Job has reached the specified backoff limit',
        lastTransitionTime: '2023-07-11T04:43:28Z',
      },
    ]);
    const events = realdataItems(
      'events/troubleshoot_eventlist_errimagepull_oomjob_backofflimit_failedscheduling.json',
    );
    expect(jobFailed.detect(job, contextOf([job, realPod(), ...events], NOW))).toEqual([
      {
        ruleId: 'job-failed',
        severity: 'warning',
        resource: { kind: 'Job', namespace: NS, name: 'oom-kill-job3' },
        message:
          'Job oom-kill-job3 failed: 1 of its pods failed, more than its backoffLimit of 0 allows; the last, oom-kill-job3-gbb89, ended OOMKilled (container memory-eater, exit code 137)',
        evidence: [
          {
            source: 'status',
            text: 'Failed=True BackoffLimitExceeded: Job has reached the specified backoff limit',
          },
          { source: 'spec', text: 'backoffLimit 0' },
          { source: 'status', text: 'pods: 1 failed, 0 succeeded, 0 active' },
          {
            source: 'status',
            resource: { kind: 'Pod', namespace: NS, name: 'oom-kill-job3-gbb89' },
            text: 'container memory-eater: OOMKilled, exit code 137 (killed (SIGKILL): out of memory or a failed liveness probe), at 2023-07-11T04:43:25Z',
          },
          { source: 'event', text: 'BackoffLimitExceeded (x1): Job has reached the specified backoff limit' },
        ],
        fix: {
          summary:
            'give container memory-eater more memory (it was killed for using more than its limit), then run it again: a failed Job is not retried',
          commands: [
            `kubectl -n ${NS} logs oom-kill-job3-gbb89 -c memory-eater`,
            `kubectl -n ${NS} describe job oom-kill-job3`,
            `kubectl -n ${NS} get job oom-kill-job3 -o yaml > job.yaml  # remove status, spec.selector and the controller-uid labels, then: kubectl replace --force -f job.yaml`,
          ],
        },
      },
    ]);
  });

  it('says a CronJob’s Job ran past its deadline, and how to give the next runs more time', () => {
    const job: KubeObject = {
      kind: 'Job',
      metadata: {
        name: 'report-29919000',
        namespace: 'batch',
        uid: 'job-1',
        ownerReferences: [{ kind: 'CronJob', name: 'report', uid: 'cj-1', controller: true }],
      },
      spec: { backoffLimit: 6, activeDeadlineSeconds: 600 },
      status: {
        failed: 1,
        startTime: '2026-11-20T02:00:00Z',
        conditions: [
          {
            type: 'FailureTarget',
            status: 'True',
            reason: 'DeadlineExceeded',
            message: 'Job was active longer than specified deadline',
            lastTransitionTime: '2026-11-20T02:10:01Z',
          },
          {
            type: 'Failed',
            status: 'True',
            reason: 'DeadlineExceeded',
            message: 'Job was active longer than specified deadline',
            lastTransitionTime: '2026-11-20T02:10:01Z',
          },
        ],
      },
    };
    expect(jobFailed.detect(job, contextOf([job]))).toEqual([
      {
        ruleId: 'job-failed',
        severity: 'warning',
        resource: { kind: 'Job', namespace: 'batch', name: 'report-29919000' },
        message: 'Job report-29919000 failed: it ran longer than its activeDeadlineSeconds of 10m',
        evidence: [
          {
            source: 'status',
            text: 'Failed=True DeadlineExceeded: Job was active longer than specified deadline',
          },
          { source: 'spec', text: 'activeDeadlineSeconds 600 (10m)' },
          {
            source: 'status',
            text: 'started 2026-11-20T02:00:00Z, stopped 2026-11-20T02:10:01Z (10m later)',
          },
          { source: 'status', text: 'pods: 1 failed, 0 succeeded, 0 active' },
        ],
        fix: {
          summary:
            "make it finish within its deadline, or raise spec.activeDeadlineSeconds above 600 in CronJob report's jobTemplate, then run it again",
          commands: [
            `kubectl -n batch patch cronjob report --type=merge -p '{"spec":{"jobTemplate":{"spec":{"activeDeadlineSeconds":1200}}}}'`,
            'kubectl -n batch describe job report-29919000',
            'kubectl -n batch create job report-manual-run --from=cronjob/report',
          ],
        },
      },
    ]);
  });

  it('quotes the podFailurePolicy rule that failed it, and the last failed pod among several', () => {
    const job: KubeObject = {
      kind: 'Job',
      metadata: { name: 'train', namespace: 'ml', uid: 'job-2' },
      spec: { backoffLimit: 6, podFailurePolicy: { rules: [{ action: 'FailJob' }] } },
      status: {
        failed: 2,
        conditions: [
          {
            type: 'Failed',
            status: 'True',
            reason: 'PodFailurePolicy',
            message:
              'Container main for pod ml/train-8xk2p failed with exit code 42 matching FailJob rule at index 0',
          },
        ],
      },
    };
    const failedPod = (name: string, exitCode: number, finishedAt: string): KubeObject => ({
      kind: 'Pod',
      metadata: {
        name,
        namespace: 'ml',
        ownerReferences: [{ kind: 'Job', name: 'train', uid: 'job-2', controller: true }],
      },
      spec: { restartPolicy: 'Never', containers: [{ name: 'main' }] },
      status: {
        phase: 'Failed',
        containerStatuses: [
          { name: 'main', state: { terminated: { reason: 'Error', exitCode, finishedAt } }, restartCount: 0 },
        ],
      },
    });
    const objects = [
      job,
      failedPod('train-8xk2p', 42, '2026-11-20T03:01:00Z'),
      failedPod('train-2hq9d', 1, '2026-11-20T02:51:00Z'),
    ];
    const [finding] = jobFailed.detect(job, contextOf(objects));
    expect(finding?.message).toBe(
      'Job train failed: a FailJob rule of its podFailurePolicy matched: Container main for pod ml/train-8xk2p failed with exit code 42 matching FailJob rule at index 0',
    );
    expect(finding?.evidence[2]).toEqual({
      source: 'status',
      resource: { kind: 'Pod', namespace: 'ml', name: 'train-8xk2p' },
      text: 'container main: Error, exit code 42 (application error), at 2026-11-20T03:01:00Z',
    });
    expect(finding?.fix?.summary).toBe(
      'fix why container main fails (its log says why), then run it again: a failed Job is not retried',
    );
  });

  it('ranks under the OOM kill of the pod it owns', () => {
    const job = oomJob([{ type: 'Failed', status: 'True', reason: 'BackoffLimitExceeded' }]);
    const pod = realPod();
    const context = contextOf([job, pod], NOW);
    const findings = [...jobFailed.detect(job, context), ...outOfMemory.detect(pod, context)];
    const [problem, ...others] = rankFindings(findings, context.graph, new Set(['job-failed']));
    expect(others).toEqual([]);
    expect(problem?.rootCause.ruleId).toBe('out-of-memory');
    expect(problem?.symptoms.map((f) => f.ruleId)).toEqual(['job-failed']);
  });

  it('reads a 137 of a preempted pod as the preemption, naming the higher-priority pod', () => {
    const job = oomJob([
      {
        type: 'Failed',
        status: 'True',
        reason: 'BackoffLimitExceeded',
        message: 'Job has reached the specified backoff limit',
      },
    ]);
    const real = realPod() as KubeObject & { status: { conditions?: object[]; containerStatuses: object[] } };
    // The real pod as the scheduler leaves a victim: DisruptionTarget, its container SIGKILLed.
    const preempted: KubeObject = {
      ...real,
      status: {
        ...real.status,
        conditions: [
          ...(real.status.conditions ?? []),
          {
            type: 'DisruptionTarget',
            status: 'True',
            reason: 'PreemptionByScheduler',
            message: 'default-scheduler: preempting to accommodate a higher priority pod',
          },
        ],
        containerStatuses: [
          {
            name: 'memory-eater',
            restartCount: 0,
            state: { terminated: { exitCode: 137, reason: 'Error', finishedAt: '2023-07-11T04:43:25Z' } },
          },
        ],
      },
    };
    const preemptor: KubeObject = {
      kind: 'Pod',
      metadata: { name: 'payments-0', namespace: 'shop', uid: '5f1c2b8e-3d4a-4b6f-9c0e-1a2b3c4d5e6f' },
      spec: { nodeName: 'minikube', priority: 1000000 },
      status: { phase: 'Running' },
    };
    const event: KubeObject = {
      apiVersion: 'events.k8s.io/v1',
      kind: 'Event',
      metadata: { name: 'oom-kill-job3-gbb89.1770e5c1f0a2b3c4', namespace: NS },
      eventTime: '2023-07-11T04:43:24.000000Z',
      reportingController: 'default-scheduler',
      action: 'Preempting',
      reason: 'Preempted',
      regarding: { kind: 'Pod', namespace: NS, name: 'oom-kill-job3-gbb89' },
      note: 'Preempted by pod 5f1c2b8e-3d4a-4b6f-9c0e-1a2b3c4d5e6f on node minikube',
      type: 'Normal',
    };
    const [finding] = jobFailed.detect(job, contextOf([job, preempted, preemptor, event], NOW));
    expect(finding?.evidence.find((e) => e.resource?.kind === 'Pod')?.text).toBe(
      'container memory-eater: Error, exit code 137 (killed: the pod was preempted on node minikube by higher-priority pod shop/payments-0), at 2023-07-11T04:43:25Z',
    );
  });
});
