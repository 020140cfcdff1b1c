import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../core/kube-object.js';
import { contextOf } from '../../../test/support/analyzer-context.js';
import { podEvicted } from './pod-evicted.js';

const MEMORY_MESSAGE =
  'The node was low on resource: memory. Threshold quantity: 100Mi, available: 50Mi. Container api was using 1200Mi, request is 256Mi, has larger consumption of memory. ';

const deployment: KubeObject = {
  kind: 'Deployment',
  metadata: { name: 'api', namespace: 'shop', uid: 'd-1' },
};
const replicaSet: KubeObject = {
  kind: 'ReplicaSet',
  metadata: {
    name: 'api-6f8d9',
    namespace: 'shop',
    uid: 'rs-1',
    ownerReferences: [{ kind: 'Deployment', name: 'api', uid: 'd-1', controller: true }],
  },
};

/** An evicted pod as the kubelet leaves it (Kubernetes ≥ 1.26 adds the DisruptionTarget condition). */
function evicted(message: string, owned = true): KubeObject {
  return {
    kind: 'Pod',
    apiVersion: 'v1',
    metadata: {
      name: 'api-6f8d9-7xq2m',
      namespace: 'shop',
      ...(owned
        ? { ownerReferences: [{ kind: 'ReplicaSet', name: 'api-6f8d9', uid: 'rs-1', controller: true }] }
        : {}),
    },
    spec: {
      nodeName: 'worker-3',
      containers: [{ name: 'api', resources: { requests: { memory: '256Mi' }, limits: { memory: '2Gi' } } }],
    },
    status: {
      phase: 'Failed',
      reason: 'Evicted',
      message,
      conditions: [
        {
          type: 'DisruptionTarget',
          status: 'True',
          reason: 'TerminationByKubelet',
          message: 'The node was low on resource: memory. Threshold quantity: 100Mi, available: 50Mi. ',
          lastTransitionTime: '2026-11-20T03:01:12Z',
        },
      ],
      containerStatuses: [
        {
          name: 'api',
          ready: false,
          restartCount: 0,
          state: { terminated: { exitCode: 137, reason: 'ContainerStatusUnknown' } },
        },
      ],
    },
  };
}

const pressedNode: KubeObject = {
  kind: 'Node',
  metadata: { name: 'worker-3' },
  status: {
    conditions: [
      {
        type: 'MemoryPressure',
        status: 'True',
        reason: 'KubeletHasInsufficientMemory',
        message: 'kubelet has insufficient memory available',
      },
      { type: 'Ready', status: 'True', reason: 'KubeletReady', message: 'kubelet is posting ready status' },
    ],
  },
};

describe('pod-evicted', () => {
  it('finds nothing for a running pod or one that failed for another reason', () => {
    const running: KubeObject = {
      kind: 'Pod',
      metadata: { name: 'p', namespace: 'a' },
      status: { phase: 'Running' },
    };
    const failed: KubeObject = {
      kind: 'Pod',
      metadata: { name: 'q', namespace: 'a' },
      status: {
        phase: 'Failed',
        reason: 'DeadlineExceeded',
        message: 'Pod was active on the node longer than the specified deadline',
      },
    };
    expect(podEvicted.detect(running, contextOf([running]))).toEqual([]);
    expect(podEvicted.detect(failed, contextOf([failed]))).toEqual([]);
  });

  it('names the node pressure and the container that used most over its request', () => {
    const pod = evicted(MEMORY_MESSAGE);
    expect(podEvicted.detect(pod, contextOf([pod, replicaSet, deployment, pressedNode]))).toEqual([
      {
        ruleId: 'pod-evicted',
        severity: 'warning',
        resource: { kind: 'Pod', namespace: 'shop', name: 'api-6f8d9-7xq2m' },
        message:
          'pod was evicted: node worker-3 was low on memory (threshold 100Mi, 50Mi available); container api used 1200Mi of memory against a request of 256Mi',
        evidence: [
          {
            source: 'status',
            text: 'Evicted: The node was low on resource: memory. Threshold quantity: 100Mi, available: 50Mi. Container api was using 1200Mi, request is 256Mi, has larger consumption of memory.',
          },
          {
            source: 'status',
            resource: { kind: 'Node', name: 'worker-3' },
            text: 'MemoryPressure=True KubeletHasInsufficientMemory still',
          },
        ],
        fix: {
          summary:
            "set container api's memory request to what it used (1200Mi), so the scheduler places it where that much is free; give it a limit too",
          commands: [
            'kubectl -n shop set resources deployment/api -c api --requests=memory=1200Mi',
            'kubectl -n shop delete pod api-6f8d9-7xq2m  # evicted pods stay until deleted',
          ],
        },
      },
    ]);
  });

  it('calls a bare pod that was evicted for its ephemeral storage critical: nothing replaces it', () => {
    const pod = evicted('Container api exceeded its local ephemeral storage limit "1Gi". ', false);
    expect(podEvicted.detect(pod, contextOf([pod]))).toEqual([
      {
        ruleId: 'pod-evicted',
        severity: 'critical',
        resource: { kind: 'Pod', namespace: 'shop', name: 'api-6f8d9-7xq2m' },
        message:
          'pod was evicted: container api wrote more than its ephemeral-storage limit of 1Gi; no controller replaces it',
        evidence: [
          {
            source: 'status',
            text: 'Evicted: Container api exceeded its local ephemeral storage limit "1Gi".',
          },
        ],
        fix: {
          summary:
            'write less to the container filesystem and emptyDir volumes (logs to stdout, caches bounded), or raise the ephemeral-storage limit or sizeLimit to what it needs',
          commands: [
            'kubectl -n shop get pod api-6f8d9-7xq2m -o yaml > pod.yaml  # change resources.limits.ephemeral-storage / emptyDir.sizeLimit, then: kubectl replace --force -f pod.yaml',
            'kubectl -n shop delete pod api-6f8d9-7xq2m  # evicted pods stay until deleted',
          ],
        },
      },
    ]);
  });
});
