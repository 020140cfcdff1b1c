import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../core/kube-object.js';
import { contextOf } from '../../../test/support/analyzer-context.js';
import { realdataItems } from '../../../test/support/realdata.js';
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

  it('explains the real OOM-killed Job pod: its usage unknown, how to read it, and the Job re-created (its template is immutable)', () => {
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
            'raise the memory limit above its peak use, which is unknown (no usage figures were read): read it while it runs (kubectl top, or container_memory_working_set_bytes in Prometheus); 150Mi is only 1.5× the current limit, a first step, not a measured figure',
          commands: [
            'kubectl -n message-oomkill-pod top pod oom-kill-job3-gbb89 --containers  # while it runs',
            "kubectl -n message-oomkill-pod get job oom-kill-job3 -o yaml > job.yaml  # a Job's template is immutable: set containers[memory-eater].resources (--limits=memory=150Mi), delete spec.selector and the controller-uid labels, then: kubectl replace --force -f job.yaml (made by a CronJob? set it there: kubectl -n message-oomkill-pod set resources cronjob/NAME -c memory-eater --limits=memory=150Mi)",
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

  it('weighs the limit against what metrics-server says it uses now, with the restart trend, and derives the new limit from both', () => {
    // Faithful to metrics-server's answer (metrics.k8s.io/v1beta1 PodMetrics): working set in Ki.
    const usage: KubeObject = {
      apiVersion: 'metrics.k8s.io/v1beta1',
      kind: 'PodMetrics',
      metadata: { name: 'worker-1', namespace: 'a', creationTimestamp: '2026-11-20T03:12:00Z' },
      timestamp: '2026-11-20T03:11:50Z',
      window: '10.007s',
      containers: [{ name: 'worker', usage: { cpu: '2m', memory: '61440Ki' } }],
    };
    const pod = (memoryNow: KubeObject | undefined): KubeObject[] => [
      {
        kind: 'Pod',
        metadata: { name: 'worker-1', namespace: 'a' },
        spec: {
          containers: [
            { name: 'worker', resources: { requests: { memory: '64Mi' }, limits: { memory: '64Mi' } } },
          ],
        },
        status: {
          startTime: '2026-11-20T01:12:00Z',
          containerStatuses: [
            {
              name: 'worker',
              restartCount: 6,
              state: { waiting: { reason: 'CrashLoopBackOff' } },
              lastState: {
                terminated: { exitCode: 137, reason: 'OOMKilled', finishedAt: '2026-11-20T03:09:00Z' },
              },
            },
          ],
        },
      },
      ...(memoryNow === undefined ? [] : [memoryNow]),
    ];
    const objects = pod(usage);
    expect(outOfMemory.detect(objects[0]!, contextOf(objects))).toEqual([
      {
        ruleId: 'out-of-memory',
        severity: 'critical',
        resource: { kind: 'Pod', namespace: 'a', name: 'worker-1' },
        message:
          'container worker is killed for using more memory than its limit (64Mi), 6 restarts, using 60Mi (94%) now',
        evidence: [
          {
            source: 'status',
            text: 'container worker: OOMKilled, exit code 137, 6 restarts, last at 2026-11-20T03:09:00Z',
          },
          { source: 'spec', text: 'memory limit 64Mi, request 64Mi' },
          {
            source: 'metrics',
            text: 'container worker uses 60Mi of memory now (94% of its 64Mi limit), measured at 2026-11-20T03:11:50Z',
          },
          {
            source: 'status',
            text: 'restart trend: 6 restarts in the 2h since the pod started, about one every 20m; the last 3m ago',
          },
        ],
        fix: {
          summary:
            'raise the memory limit above what it uses: it uses 60Mi now and went past the limit when killed; 96Mi is 1.5× the limit',
          // A pod's resources are fixed: it is re-created with the new limit.
          commands: [
            'kubectl -n a get pod worker-1 -o yaml > pod.yaml  # set containers[worker].resources (--limits=memory=96Mi), then: kubectl replace --force -f pod.yaml',
          ],
        },
      },
    ]);

    // A reading that is no quantity is no reading: the suggestion says it comes from the limit alone.
    const garbled = pod({ ...usage, containers: [{ name: 'worker', usage: { memory: 'lots' } }] });
    const [finding] = outOfMemory.detect(garbled[0]!, contextOf(garbled));
    expect(finding?.evidence.map((e) => e.source)).toEqual(['status', 'spec', 'status']);
    expect(finding?.fix?.summary).toBe(
      'raise the memory limit above its peak use, which is unknown (no usage figures were read): read it while it runs (kubectl top, or container_memory_working_set_bytes in Prometheus); 96Mi is only 1.5× the current limit, a first step, not a measured figure',
    );
  });

  it('sets the new limit on the CronJob that made the Job, the template its next run uses', () => {
    const [pod] = realdataItems('pods/troubleshoot_oomkilled-job-pod_podlist.json');
    const job: KubeObject = {
      kind: 'Job',
      metadata: {
        name: 'oom-kill-job3',
        namespace: 'message-oomkill-pod',
        uid: pod!.metadata.ownerReferences?.[0]?.uid ?? '',
        ownerReferences: [
          { apiVersion: 'batch/v1', kind: 'CronJob', name: 'oom-kill', uid: 'c1', controller: true },
        ],
      },
    };
    const [finding] = outOfMemory.detect(pod!, contextOf([pod!, job]));
    expect(finding?.fix?.commands?.[1]).toBe(
      'kubectl -n message-oomkill-pod set resources cronjob/oom-kill -c memory-eater --limits=memory=150Mi',
    );
  });
});
