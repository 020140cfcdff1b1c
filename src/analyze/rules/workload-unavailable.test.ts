import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../core/kube-object.js';
import { contextOf } from '../../../test/support/analyzer-context.js';
import { workloadUnavailable } from './workload-unavailable.js';

const deployment = (ready: number, conditions: object[] = []): KubeObject => ({
  kind: 'Deployment',
  metadata: { name: 'api', namespace: 'shop' },
  spec: { replicas: 3 },
  status: { readyReplicas: ready, conditions },
});

describe('workload-unavailable', () => {
  it('finds nothing when every replica is ready, or none is wanted', () => {
    expect(workloadUnavailable.detect(deployment(3), contextOf([]))).toEqual([]);
    const scaledDown: KubeObject = {
      kind: 'Deployment',
      metadata: { name: 'x', namespace: 'shop' },
      spec: { replicas: 0 },
      status: {},
    };
    expect(workloadUnavailable.detect(scaledDown, contextOf([]))).toEqual([]);
  });

  it('reports a stuck rollout with the way back', () => {
    const stuck = deployment(1, [
      {
        type: 'Available',
        status: 'False',
        reason: 'MinimumReplicasUnavailable',
        message: 'Deployment does not have minimum availability.',
      },
      {
        type: 'Progressing',
        status: 'False',
        reason: 'ProgressDeadlineExceeded',
        message: 'ReplicaSet "api-6f7d9c8b5d" has timed out progressing.',
      },
    ]);
    expect(workloadUnavailable.detect(stuck, contextOf([]))).toEqual([
      {
        ruleId: 'workload-unavailable',
        severity: 'warning',
        resource: { kind: 'Deployment', namespace: 'shop', name: 'api' },
        message: 'Deployment api has 1 of 3 pods ready, and its rollout is stuck',
        evidence: [
          { source: 'status', text: '1/3 ready' },
          {
            source: 'status',
            text: 'Available=False MinimumReplicasUnavailable: Deployment does not have minimum availability.',
          },
          {
            source: 'status',
            text: 'Progressing=False ProgressDeadlineExceeded: ReplicaSet "api-6f7d9c8b5d" has timed out progressing.',
          },
        ],
        fix: {
          summary: 'roll back the stuck rollout, then fix its cause',
          commands: ['kubectl -n shop rollout undo deployment/api'],
        },
      },
    ]);
  });

  it('is critical when no replica is ready', () => {
    expect(workloadUnavailable.detect(deployment(0), contextOf([]))[0]?.severity).toBe('critical');
  });
});
