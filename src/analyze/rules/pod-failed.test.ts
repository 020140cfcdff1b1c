import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../core/kube-object.js';
import { contextOf } from '../../../test/support/analyzer-context.js';
import { realdataItems } from '../../../test/support/realdata.js';
import { runRules } from '../rule.js';
import { podFailed } from './pod-failed.js';

const CAPTURE = 'pods/troubleshoot_oomkilled-job-pod_podlist.json';

/** The real Job pod of the capture (restartPolicy Never, phase Failed), its container ended as given. */
function jobPod(terminated: object, status: object = {}): KubeObject {
  const [pod] = realdataItems(CAPTURE);
  if (pod === undefined) throw new Error('capture holds no pod');
  const real = pod as KubeObject & { status: { containerStatuses: { state: object }[] } };
  const [container] = real.status.containerStatuses;
  return {
    ...real,
    status: {
      ...real.status,
      ...status,
      containerStatuses: [{ ...container, state: { terminated } }],
    },
  };
}

const exited1 = {
  exitCode: 1,
  reason: 'Error',
  message: 'panic: cannot open /data/input.csv\n',
  startedAt: '2023-07-11T04:43:25Z',
  finishedAt: '2023-07-11T04:43:27Z',
  containerID: 'docker://9c0d',
};

const job = (conditions: object[]): KubeObject => ({
  apiVersion: 'batch/v1',
  kind: 'Job',
  metadata: {
    name: 'oom-kill-job3',
    namespace: 'message-oomkill-pod',
    uid: 'a85295e8-54e4-40a4-aeb0-b47c19f1a69f',
  },
  spec: { backoffLimit: 0 },
  status: { conditions },
});

describe('pod-failed', () => {
  it('is a finding for a failed Job pod whose Job was not read: how its container ended', () => {
    const pod = jobPod(exited1);
    const findings = podFailed.detect(pod, contextOf([pod]));
    expect(findings).toEqual([
      {
        ruleId: 'pod-failed',
        severity: 'warning',
        resource: { kind: 'Pod', namespace: 'message-oomkill-pod', name: 'oom-kill-job3-gbb89' },
        message:
          'pod failed (Job oom-kill-job3): container memory-eater exited with code 1 (application error), Error',
        evidence: [
          { source: 'status', text: 'phase Failed' },
          {
            source: 'status',
            text: 'container memory-eater: Error, exit code 1 (application error), at 2023-07-11T04:43:27Z: panic: cannot open /data/input.csv',
          },
        ],
        fix: {
          summary: 'read why container memory-eater exited in its log, fix that, and run it again',
          commands: [
            'kubectl -n message-oomkill-pod logs oom-kill-job3-gbb89 -c memory-eater',
            'kubectl -n message-oomkill-pod describe pod oom-kill-job3-gbb89',
          ],
        },
      },
    ]);
  });

  it('gives the pod’s own reason when it has one (a deadline), critical for a bare pod', () => {
    const pod = jobPod(
      { ...exited1, exitCode: 137, reason: 'Error', message: undefined },
      {
        reason: 'DeadlineExceeded',
        message: 'Pod was active on the node longer than the specified deadline',
      },
    );
    const bare = { ...pod, metadata: { ...pod.metadata, ownerReferences: undefined } } as KubeObject;
    const [finding] = podFailed.detect(bare, contextOf([bare]));
    expect(finding?.severity).toBe('critical');
    expect(finding?.message).toBe(
      'pod failed: DeadlineExceeded: Pod was active on the node longer than the specified deadline',
    );
  });

  it('cites the Warning events about it', () => {
    const pod = jobPod(exited1);
    const event: KubeObject = {
      apiVersion: 'v1',
      kind: 'Event',
      metadata: { name: 'oom-kill-job3-gbb89.177', namespace: 'message-oomkill-pod' },
      involvedObject: { kind: 'Pod', namespace: 'message-oomkill-pod', name: 'oom-kill-job3-gbb89' },
      type: 'Warning',
      reason: 'FailedMount',
      message: 'MountVolume.SetUp failed for volume "data" : configmap "input" not found',
      count: 2,
      lastTimestamp: '2023-07-11T04:43:24Z',
    };
    const [finding] = podFailed.detect(pod, contextOf([pod, event]));
    expect(finding?.evidence.at(-1)).toEqual({
      source: 'event',
      text: 'FailedMount (x2, last 2023-07-11T04:43:24Z): MountVolume.SetUp failed for volume "data" : configmap "input" not found',
    });
  });

  it('leaves to other rules what they say more about, and a Job that succeeded on a retry', () => {
    const oom = realdataItems(CAPTURE);
    expect(runRules([podFailed], contextOf(oom)).findings).toEqual([]);
    const pod = jobPod(exited1);
    const completed = job([{ type: 'Complete', status: 'True' }]);
    expect(runRules([podFailed], contextOf([pod, completed])).findings).toEqual([]);
    const failed = job([{ type: 'Failed', status: 'True', reason: 'BackoffLimitExceeded' }]);
    expect(runRules([podFailed], contextOf([pod, failed])).findings).toHaveLength(1);
    const evicted = jobPod(exited1, { reason: 'Evicted', message: 'The node was low on resource: memory.' });
    const running = jobPod({}, { phase: 'Running' });
    expect(runRules([podFailed], contextOf([evicted, running])).findings).toEqual([]);
  });
});
