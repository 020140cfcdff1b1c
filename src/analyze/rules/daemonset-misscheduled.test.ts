import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../core/kube-object.js';
import { contextOf } from '../../../test/support/analyzer-context.js';
import { daemonSetMisscheduled } from './daemonset-misscheduled.js';

const node = (name: string, taints: readonly object[] = [], labels: object = {}): KubeObject => ({
  kind: 'Node',
  metadata: { name, labels: { 'kubernetes.io/hostname': name, 'kubernetes.io/os': 'linux', ...labels } },
  spec: taints.length === 0 ? {} : { taints },
  status: { conditions: [{ type: 'Ready', status: 'True' }] },
});
const controlPlane = node('cp-0', [{ key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' }]);
const gpuTaint = { key: 'dedicated', value: 'gpu', effect: 'NoSchedule' };

const daemonSet = (status: object, templateSpec: object = {}): KubeObject => ({
  kind: 'DaemonSet',
  apiVersion: 'apps/v1',
  metadata: { name: 'fluent-bit', namespace: 'logging', uid: 'ds-uid' },
  spec: {
    selector: { matchLabels: { app: 'fluent-bit' } },
    template: {
      metadata: { labels: { app: 'fluent-bit' } },
      spec: {
        nodeSelector: { 'kubernetes.io/os': 'linux' },
        containers: [{ name: 'fluent-bit' }],
        ...templateSpec,
      },
    },
  },
  status,
});
const daemonPod = (name: string, nodeName: string): KubeObject => ({
  kind: 'Pod',
  metadata: {
    name,
    namespace: 'logging',
    ownerReferences: [{ kind: 'DaemonSet', name: 'fluent-bit', uid: 'ds-uid', controller: true }],
  },
  spec: { nodeName, containers: [{ name: 'fluent-bit' }] },
  status: { phase: 'Running' },
});

describe('daemonset-misscheduled', () => {
  it('finds nothing for a DaemonSet on every node it may run on, control-plane nodes aside', () => {
    const ds = daemonSet({
      desiredNumberScheduled: 2,
      currentNumberScheduled: 2,
      numberMisscheduled: 0,
      numberReady: 2,
    });
    const objects = [
      ds,
      node('worker-0'),
      node('worker-1'),
      controlPlane,
      daemonPod('fluent-bit-7k2xq', 'worker-0'),
      daemonPod('fluent-bit-q9d4m', 'worker-1'),
    ];
    expect(daemonSetMisscheduled.detect(ds, contextOf(objects))).toEqual([]);
  });

  it('names the pod left on a node that gained a taint it does not tolerate', () => {
    const ds = daemonSet({
      desiredNumberScheduled: 1,
      currentNumberScheduled: 1,
      numberMisscheduled: 1,
      numberReady: 1,
    });
    const objects = [
      ds,
      node('worker-0'),
      node('gpu-0', [gpuTaint]),
      daemonPod('fluent-bit-7k2xq', 'worker-0'),
      daemonPod('fluent-bit-r8w2n', 'gpu-0'),
    ];
    expect(daemonSetMisscheduled.detect(ds, contextOf(objects))).toEqual([
      {
        ruleId: 'daemonset-misscheduled',
        severity: 'warning',
        resource: { kind: 'DaemonSet', namespace: 'logging', name: 'fluent-bit' },
        message:
          'DaemonSet fluent-bit runs 1 pod on nodes it should not run on: fluent-bit-r8w2n on gpu-0 (taint dedicated=gpu:NoSchedule not tolerated)',
        evidence: [
          { source: 'status', text: 'numberMisscheduled 1' },
          {
            source: 'graph',
            resource: { kind: 'Node', name: 'gpu-0' },
            text: 'fluent-bit-r8w2n on gpu-0: taint dedicated=gpu:NoSchedule not tolerated',
          },
        ],
        fix: {
          summary:
            'if it belongs on those nodes, tolerate their taints or widen its node selector; otherwise delete the pods there (a NoSchedule taint added later does not evict them)',
          commands: ['kubectl -n logging delete pod fluent-bit-r8w2n'],
        },
      },
    ]);
  });

  it('says a node that no longer matches its selector holds a misscheduled pod', () => {
    const ds = daemonSet({ desiredNumberScheduled: 1, currentNumberScheduled: 1, numberMisscheduled: 1 });
    const windows = node('win-0', [], { 'kubernetes.io/os': 'windows' });
    const objects = [ds, node('worker-0'), windows, daemonPod('fluent-bit-x2x9q', 'win-0')];
    expect(daemonSetMisscheduled.detect(ds, contextOf(objects))[0]?.message).toBe(
      'DaemonSet fluent-bit runs 1 pod on nodes it should not run on: fluent-bit-x2x9q on win-0 (its node selector or affinity no longer matches)',
    );
  });

  it('names the nodes its selector allows but whose taints keep it off, with the tolerations that would let it on', () => {
    const ds = daemonSet(
      { desiredNumberScheduled: 2, currentNumberScheduled: 2, numberMisscheduled: 0, numberReady: 2 },
      { tolerations: [{ key: 'spot', operator: 'Exists', effect: 'NoSchedule' }] },
    );
    const objects = [
      ds,
      node('worker-0', [{ key: 'spot', value: 'true', effect: 'NoSchedule' }]),
      node('gpu-0', [gpuTaint]),
      node('gpu-1', [gpuTaint]),
      // Cordoned and under disk pressure: the controller tolerates both for daemon pods.
      node('worker-1', [
        { key: 'node.kubernetes.io/unschedulable', effect: 'NoSchedule' },
        { key: 'node.kubernetes.io/disk-pressure', effect: 'NoSchedule' },
      ]),
      node('win-0', [{ key: 'os', value: 'windows', effect: 'NoSchedule' }], {
        'kubernetes.io/os': 'windows',
      }),
      controlPlane,
      daemonPod('fluent-bit-7k2xq', 'worker-0'),
      daemonPod('fluent-bit-m2p8z', 'worker-1'),
    ];
    expect(daemonSetMisscheduled.detect(ds, contextOf(objects))).toEqual([
      {
        ruleId: 'daemonset-misscheduled',
        severity: 'info',
        resource: { kind: 'DaemonSet', namespace: 'logging', name: 'fluent-bit' },
        message:
          'DaemonSet fluent-bit does not run on 2 nodes whose taints it does not tolerate: gpu-0, gpu-1 (dedicated=gpu:NoSchedule)',
        evidence: [
          { source: 'status', text: 'desiredNumberScheduled 2, 5 nodes match its selector' },
          { source: 'spec', text: 'taint dedicated=gpu:NoSchedule on gpu-0, gpu-1' },
        ],
        fix: {
          summary:
            'if it is a per-node agent that belongs on those nodes too, tolerate their taints; if they are kept off on purpose, nothing to do',
          commands: [
            `kubectl -n logging patch daemonset fluent-bit -p '{"spec":{"template":{"spec":{"tolerations":[{"key":"spot","operator":"Exists","effect":"NoSchedule"},{"key":"dedicated","operator":"Exists","effect":"NoSchedule"}]}}}}'`,
          ],
        },
      },
    ]);
  });
});
