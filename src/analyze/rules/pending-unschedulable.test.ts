import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../core/kube-object.js';
import { contextOf, realdataItems } from '../test-context.js';
import { pendingUnschedulable } from './pending-unschedulable.js';

const node = (name: string, cpu: string, taints?: object[]): KubeObject => ({
  kind: 'Node',
  metadata: { name },
  spec: taints === undefined ? {} : { taints },
  status: {
    allocatable: { cpu, memory: '32Gi', pods: '110' },
    conditions: [{ type: 'Ready', status: 'True' }],
  },
});
const pending = (message: string, spec: object = {}): KubeObject => ({
  kind: 'Pod',
  metadata: { name: 'batch-0', namespace: 'jobs' },
  spec: { containers: [{ name: 'batch', resources: { requests: { cpu: '12' } } }], ...spec },
  status: {
    phase: 'Pending',
    conditions: [{ type: 'PodScheduled', status: 'False', reason: 'Unschedulable', message }],
  },
});

describe('pending-unschedulable', () => {
  it('finds nothing for a scheduled pod', () => {
    const running: KubeObject = {
      kind: 'Pod',
      metadata: { name: 'p', namespace: 'a' },
      status: { phase: 'Running', conditions: [{ type: 'PodScheduled', status: 'True' }] },
    };
    expect(pendingUnschedulable.detect(running, contextOf([running]))).toEqual([]);
  });

  it('decodes the real capture’s insufficient GPUs', () => {
    const [pod] = realdataItems('pods/troubleshoot_pending-unschedulable-insufficient-gpu_podlist.json');
    const [finding] = pendingUnschedulable.detect(pod!, contextOf([pod!]));
    expect(finding?.message).toBe('pod cannot be scheduled: insufficient nvidia.com/gpu');
    expect(finding?.evidence[1]).toEqual({ source: 'graph', text: 'requests nvidia.com/gpu 5' });
  });

  it('compares the CPU asked for with the best node’s free allocatable (S7)', () => {
    const busy: KubeObject = {
      kind: 'Pod',
      metadata: { name: 'busy', namespace: 'jobs' },
      spec: { nodeName: 'big', containers: [{ name: 'x', resources: { requests: { cpu: '3500m' } } }] },
      status: { phase: 'Running' },
    };
    const pod = pending(
      '0/2 nodes are available: 2 Insufficient cpu. preemption: 0/2 nodes are available: 2 No preemption victims found for incoming pod.',
    );
    const objects = [pod, busy, node('small', '4'), node('big', '8')];
    expect(pendingUnschedulable.detect(pod, contextOf(objects))).toEqual([
      {
        ruleId: 'pending-unschedulable',
        severity: 'critical',
        resource: { kind: 'Pod', namespace: 'jobs', name: 'batch-0' },
        message: 'pod cannot be scheduled: insufficient cpu',
        evidence: [
          {
            source: 'status',
            text: 'PodScheduled=False Unschedulable: 0/2 nodes are available: 2 Insufficient cpu. preemption: 0/2 nodes are available: 2 No preemption victims found for incoming pod.',
          },
          {
            source: 'graph',
            text: 'requests cpu 12 cores; the best node, big, has 4.5 cores free of 8 cores allocatable',
          },
        ],
        fix: {
          summary: "lower the pod's cpu request, or add capacity",
          commands: ['kubectl -n jobs describe pod batch-0'],
        },
      },
    ]);
  });

  it('names the untolerated taints and the nodes that carry them, which the scheduler no longer says (S8)', () => {
    const pod = pending(
      "0/4 nodes are available: 2 node(s) had untolerated taint(s), 2 node(s) didn't match Pod's node affinity/selector. preemption: 0/4 nodes are available: 4 Preemption is not helpful for scheduling.",
      {
        nodeSelector: { pool: 'gpu' },
        tolerations: [{ key: 'spot', operator: 'Exists', effect: 'NoSchedule' }],
      },
    );
    const gpu = [{ key: 'dedicated', value: 'gpu', effect: 'NoSchedule' }];
    const pooled = (name: string, pool: string, taints: object[]): KubeObject => {
      const base = node(name, '8', taints);
      return { ...base, metadata: { ...base.metadata, labels: { pool } } };
    };
    // Nodes outside the pod's pool carry other taints: they are not why it waits.
    const objects = [
      pod,
      pooled('gpu-0', 'gpu', gpu),
      pooled('gpu-1', 'gpu', gpu),
      pooled('spot-0', 'spot', [{ key: 'spot', value: 'true', effect: 'NoSchedule' }]),
      pooled('db-0', 'db', [{ key: 'dedicated', value: 'db', effect: 'NoSchedule' }]),
    ];
    const [finding] = pendingUnschedulable.detect(pod, contextOf(objects));
    expect(finding?.message).toBe('pod cannot be scheduled: taint dedicated=gpu:NoSchedule not tolerated');
    expect(finding?.evidence[1]).toEqual({
      source: 'spec',
      text: 'taint dedicated=gpu:NoSchedule on gpu-0, gpu-1',
    });
    // The tainted nodes are what it waits on: a finding on one of them explains this one.
    expect(finding?.waitsOn).toEqual([
      { kind: 'Node', name: 'gpu-0' },
      { kind: 'Node', name: 'gpu-1' },
    ]);
  });

  it('counts only the nodes the pod may land on as its best fit: not cordoned ones, not outside its selector', () => {
    const pod = pending('0/3 nodes are available: 3 Insufficient cpu.', { nodeSelector: { pool: 'batch' } });
    const inPool = (name: string, cpu: string, cordoned = false): KubeObject => {
      const base = node(name, cpu);
      return {
        ...base,
        metadata: { name, labels: { pool: 'batch' } },
        spec: cordoned ? { unschedulable: true } : {},
      };
    };
    const objects = [pod, inPool('open', '6'), inPool('cordoned', '10', true), node('elsewhere', '64')];
    const [finding] = pendingUnschedulable.detect(pod, contextOf(objects));
    expect(finding?.evidence[1]?.text).toBe(
      'requests cpu 12 cores; the best node, open, has 6 cores free of 6 cores allocatable',
    );
  });

  it('points at the unbound claim and its StorageClass (S9)', () => {
    const pod = pending(
      '0/2 nodes are available: pod has unbound immediate PersistentVolumeClaims. not found',
      {
        volumes: [{ name: 'data', persistentVolumeClaim: { claimName: 'db-data' } }],
      },
    );
    const claim: KubeObject = {
      kind: 'PersistentVolumeClaim',
      metadata: { name: 'db-data', namespace: 'jobs' },
      spec: { storageClassName: 'fast-ssd' },
      status: { phase: 'Pending' },
    };
    const [finding] = pendingUnschedulable.detect(pod, contextOf([pod, claim]));
    expect(finding?.message).toBe(
      'pod cannot be scheduled: its PersistentVolumeClaim is unbound; StorageClass fast-ssd does not exist',
    );
    expect(finding?.evidence[1]).toEqual({
      source: 'graph',
      text: 'PersistentVolumeClaim db-data: Pending, StorageClass fast-ssd (not found)',
    });
    const storageClass: KubeObject = { kind: 'StorageClass', metadata: { name: 'fast-ssd' } };
    const [withClass] = pendingUnschedulable.detect(pod, contextOf([pod, claim, storageClass]));
    expect(withClass?.message).toBe('pod cannot be scheduled: its PersistentVolumeClaim is unbound');
    expect(withClass?.evidence[1]?.text).toBe(
      'PersistentVolumeClaim db-data: Pending, StorageClass fast-ssd',
    );
  });
});
