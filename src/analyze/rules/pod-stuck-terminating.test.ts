import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../core/kube-object.js';
import { contextOf } from '../../../test/support/analyzer-context.js';
import { podStuckTerminating } from './pod-stuck-terminating.js';

/** StatefulSet pod db-0 on worker-3, deleted at 02:30:00 with the default 30 s grace period. */
function deletedPod(metadata: object = {}, status: object = {}): KubeObject {
  return {
    kind: 'Pod',
    metadata: {
      name: 'db-0',
      namespace: 'shop',
      uid: 'p-1',
      ownerReferences: [{ kind: 'StatefulSet', name: 'db', uid: 's-1', controller: true }],
      deletionTimestamp: '2026-11-20T02:30:30Z',
      deletionGracePeriodSeconds: 30,
      ...metadata,
    } as KubeObject['metadata'],
    spec: { nodeName: 'worker-3', terminationGracePeriodSeconds: 30, containers: [{ name: 'postgres' }] },
    status: {
      phase: 'Running',
      containerStatuses: [
        { name: 'postgres', ready: true, state: { running: { startedAt: '2026-11-18T09:00:00Z' } } },
      ],
      ...status,
    },
  };
}

function node(ready: object): KubeObject {
  return {
    kind: 'Node',
    metadata: { name: 'worker-3' },
    status: { conditions: [{ type: 'Ready', ...ready }] },
  };
}

const readyNode = node({
  status: 'True',
  reason: 'KubeletReady',
  message: 'kubelet is posting ready status',
});

describe('pod-stuck-terminating', () => {
  it('leaves alone a pod not being deleted, and one still within its grace period and margin', () => {
    const alive = deletedPod({ deletionTimestamp: undefined, deletionGracePeriodSeconds: undefined });
    const leaving = deletedPod({ deletionTimestamp: '2026-11-20T03:08:00Z' });
    for (const pod of [alive, leaving])
      expect(podStuckTerminating.detect(pod, contextOf([pod, readyNode]))).toEqual([]);
  });

  it('says no kubelet confirms the pod on a node that stopped heartbeating, and how to let it go', () => {
    const pod = deletedPod();
    const down = node({
      status: 'Unknown',
      reason: 'NodeStatusUnknown',
      message: 'Kubelet stopped posting node status.',
      lastHeartbeatTime: '2026-11-20T02:20:11Z',
      lastTransitionTime: '2026-11-20T02:21:02Z',
    });
    expect(podStuckTerminating.detect(pod, contextOf([pod, down]))).toEqual([
      {
        ruleId: 'pod-stuck-terminating',
        severity: 'warning',
        resource: { kind: 'Pod', namespace: 'shop', name: 'db-0' },
        message:
          'pod is stuck Terminating, 41m past its grace period: node worker-3 is not Ready, so no kubelet confirms its containers stopped',
        evidence: [
          {
            source: 'status',
            text: 'deletionTimestamp 2026-11-20T02:30:30Z (grace period 30s, deleted 42m ago)',
          },
          {
            source: 'status',
            resource: { kind: 'Node', name: 'worker-3' },
            text: 'Ready=Unknown NodeStatusUnknown: Kubelet stopped posting node status. (last heartbeat 2026-11-20T02:20:11Z)',
          },
        ],
        fix: {
          summary:
            'if node worker-3 is really down, its containers are gone with it: mark it out of service (its pods are deleted and their volumes detached) or delete the pod by force; for a StatefulSet pod be sure first, or two pods may run with one identity',
          commands: [
            'kubectl taint nodes worker-3 node.kubernetes.io/out-of-service=nodeshutdown:NoExecute  # only when the node is really off',
            'kubectl -n shop delete pod db-0 --grace-period=0 --force  # only when node worker-3 is really off',
          ],
        },
      },
    ]);
  });

  it('lists the finalizers left once the kubelet has confirmed (grace period 0)', () => {
    const pod = deletedPod(
      {
        deletionTimestamp: '2026-11-20T02:31:02Z',
        deletionGracePeriodSeconds: 0,
        finalizers: ['backup.example.com/snapshot'],
      },
      {
        phase: 'Succeeded',
        containerStatuses: [
          { name: 'postgres', ready: false, state: { terminated: { exitCode: 0, reason: 'Completed' } } },
        ],
      },
    );
    expect(podStuckTerminating.detect(pod, contextOf([pod, readyNode]))).toEqual([
      {
        ruleId: 'pod-stuck-terminating',
        severity: 'warning',
        resource: { kind: 'Pod', namespace: 'shop', name: 'db-0' },
        message:
          'pod is stuck Terminating, 40m past its grace period: finalizer backup.example.com/snapshot is still on it, waiting for its controller to remove it',
        evidence: [
          {
            source: 'status',
            text: 'deletionTimestamp 2026-11-20T02:31:02Z (grace period 0s, deleted 40m ago)',
          },
          { source: 'spec', text: 'finalizers: backup.example.com/snapshot' },
        ],
        fix: {
          summary:
            'find why the controller behind backup.example.com/snapshot does not finish; if it is gone, remove the finalizers (what they guard is then skipped)',
          commands: [
            `kubectl -n shop patch pod db-0 --type=json -p '[{"op":"remove","path":"/metadata/finalizers"}]'`,
          ],
        },
      },
    ]);
  });

  it('blames the kubelet of a Ready node that cannot kill the containers, quoting its events', () => {
    const pod = deletedPod();
    const failedKill: KubeObject = {
      kind: 'Event',
      metadata: { name: 'db-0.failedkillpod', namespace: 'shop' },
      involvedObject: { kind: 'Pod', namespace: 'shop', name: 'db-0', uid: 'p-1' },
      type: 'Warning',
      reason: 'FailedKillPod',
      message:
        'error killing pod: failed to "KillContainer" for "postgres" with KillContainerError: "rpc error: code = DeadlineExceeded desc = context deadline exceeded"',
      count: 14,
      lastTimestamp: '2026-11-20T03:09:40Z',
    };
    const [finding] = podStuckTerminating.detect(pod, contextOf([pod, readyNode, failedKill]));
    expect(finding?.message).toBe(
      'pod is stuck Terminating, 41m past its grace period: the kubelet on node worker-3 has not confirmed its containers stopped',
    );
    expect(finding?.evidence.slice(1)).toEqual([
      { source: 'status', text: 'containers still running: postgres' },
      {
        source: 'event',
        text: `FailedKillPod (x14, last 2026-11-20T03:09:40Z): ${String(failedKill.message)}`,
      },
    ]);
  });
});
