import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../core/kube-object.js';
import { contextOf, realdataItems } from '../test-context.js';
import { outOfMemory } from './out-of-memory.js';

describe('out-of-memory', () => {
  it('finds nothing for a container that ran and exited cleanly', () => {
    const pod: KubeObject = {
      kind: 'Pod',
      metadata: { name: 'p', namespace: 'a' },
      status: {
        containerStatuses: [
          { name: 'c', restartCount: 0, state: { terminated: { exitCode: 0, reason: 'Completed' } } },
        ],
      },
    };
    expect(outOfMemory.detect(pod, contextOf([pod]))).toEqual([]);
  });

  it('explains the real OOM-killed Job pod, with a higher limit to set on the Job', () => {
    const [pod] = realdataItems('pods/troubleshoot_oomkilled-job-pod_podlist.json');
    expect(outOfMemory.detect(pod!, contextOf([pod!]))).toEqual([
      {
        ruleId: 'out-of-memory',
        severity: 'critical',
        resource: { kind: 'Pod', namespace: 'message-oomkill-pod', name: 'oom-kill-job3-gbb89' },
        message: 'container memory-eater is killed for using more memory than its limit (100Mi), 0 restarts',
        evidence: [
          {
            source: 'status',
            text: 'container memory-eater: OOMKilled, exit code 137, 0 restarts, last at 2023-07-11T04:43:25Z',
          },
          { source: 'spec', text: 'memory limit 100Mi, request 100Mi' },
        ],
        fix: {
          summary:
            'raise the memory limit above what it uses: 150Mi is 1.5× the current limit (no usage figures were read)',
          commands: [
            'kubectl -n message-oomkill-pod set resources job/oom-kill-job3 -c memory-eater --limits=memory=150Mi',
          ],
        },
      },
    ]);
  });

  it('reads a crash-looping container whose last run was OOM-killed (S2)', () => {
    const pod: KubeObject = {
      kind: 'Pod',
      metadata: { name: 'worker-1', namespace: 'a' },
      spec: {
        containers: [
          { name: 'worker', resources: { requests: { memory: '64Mi' }, limits: { memory: '64Mi' } } },
        ],
      },
      status: {
        containerStatuses: [
          {
            name: 'worker',
            restartCount: 5,
            state: { waiting: { reason: 'CrashLoopBackOff' } },
            lastState: { terminated: { exitCode: 137, reason: 'OOMKilled' } },
          },
        ],
      },
    };
    expect(outOfMemory.detect(pod, contextOf([pod]))[0]?.message).toBe(
      'container worker is killed for using more memory than its limit (64Mi), 5 restarts',
    );
  });
});
