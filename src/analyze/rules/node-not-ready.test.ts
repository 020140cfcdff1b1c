import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../core/kube-object.js';
import { contextOf } from '../../../test/support/analyzer-context.js';
import { nodeNotReady } from './node-not-ready.js';

const NOW = new Date('2026-11-20T03:12:00Z');

/** A condition as the kubelet reports it while healthy. */
const ok = (type: string, reason: string, message: string): object => ({
  type,
  status: type === 'Ready' ? 'True' : 'False',
  lastHeartbeatTime: '2026-11-20T03:11:41Z',
  lastTransitionTime: '2026-11-01T09:00:12Z',
  reason,
  message,
});
const HEALTHY_CONDITIONS = [
  ok('MemoryPressure', 'KubeletHasSufficientMemory', 'kubelet has sufficient memory available'),
  ok('DiskPressure', 'KubeletHasNoDiskPressure', 'kubelet has no disk pressure'),
  ok('PIDPressure', 'KubeletHasSufficientPID', 'kubelet has sufficient PID available'),
  ok('Ready', 'KubeletReady', 'kubelet is posting ready status'),
];

/** What the node lifecycle controller leaves on a node whose kubelet went silent. */
const unknown = (type: string): object => ({
  type,
  status: 'Unknown',
  lastHeartbeatTime: '2026-11-20T02:58:30Z',
  lastTransitionTime: '2026-11-20T02:59:14Z',
  reason: 'NodeStatusUnknown',
  message: 'Kubelet stopped posting node status.',
});

const node = (name: string, spec: object, conditions: readonly object[]): KubeObject => ({
  kind: 'Node',
  apiVersion: 'v1',
  metadata: { name, labels: { 'kubernetes.io/hostname': name } },
  spec: { podCIDR: '10.244.2.0/24', ...spec },
  status: { allocatable: { cpu: '4', memory: '16Gi', pods: '110' }, conditions },
});

const pod = (name: string, nodeName: string, phase = 'Running'): KubeObject => ({
  kind: 'Pod',
  metadata: { name, namespace: 'shop' },
  spec: { nodeName, containers: [{ name: 'app' }] },
  status: { phase },
});

describe('node-not-ready', () => {
  it('finds nothing for a ready node', () => {
    const healthy = node('worker-1', {}, HEALTHY_CONDITIONS);
    expect(nodeNotReady.detect(healthy, contextOf([healthy], NOW))).toEqual([]);
  });

  it('names a node that stopped heartbeating, how long ago, its taints and pods (S12)', () => {
    const silent = node(
      'worker-2',
      {
        taints: [
          { key: 'node.kubernetes.io/unreachable', effect: 'NoSchedule', timeAdded: '2026-11-20T02:59:14Z' },
          { key: 'node.kubernetes.io/unreachable', effect: 'NoExecute', timeAdded: '2026-11-20T02:59:19Z' },
        ],
      },
      ['MemoryPressure', 'DiskPressure', 'PIDPressure', 'Ready'].map(unknown),
    );
    const objects = [
      silent,
      pod('api-1', 'worker-2'),
      pod('web-1', 'worker-2'),
      pod('done-1', 'worker-2', 'Succeeded'),
      pod('api-2', 'worker-1'),
    ];
    expect(nodeNotReady.detect(silent, contextOf(objects, NOW))).toEqual([
      {
        ruleId: 'node-not-ready',
        severity: 'critical',
        resource: { kind: 'Node', name: 'worker-2' },
        message: 'node worker-2 is not ready (Ready=Unknown, NodeStatusUnknown): no heartbeat for 13m',
        evidence: [
          {
            source: 'status',
            text: 'Ready=Unknown NodeStatusUnknown: Kubelet stopped posting node status. (since 2026-11-20T02:59:14Z)',
          },
          { source: 'status', text: 'last heartbeat 2026-11-20T02:58:30Z (13m ago)' },
          {
            source: 'spec',
            text: 'taint node.kubernetes.io/unreachable:NoSchedule since 2026-11-20T02:59:14Z',
          },
          {
            source: 'spec',
            text: 'taint node.kubernetes.io/unreachable:NoExecute since 2026-11-20T02:59:19Z',
          },
          { source: 'graph', text: '2 pods bound to it: shop/api-1, shop/web-1' },
        ],
        fix: {
          summary:
            'keep new pods off it and move its pods elsewhere, then investigate the kubelet and the machine (power, network, disk, kubelet logs)',
          commands: [
            'kubectl cordon worker-2',
            'kubectl drain worker-2 --ignore-daemonsets --delete-emptydir-data',
            'kubectl describe node worker-2',
            'on the node: systemctl status kubelet; journalctl -u kubelet --since "1 hour ago"',
          ],
        },
      },
    ]);
  });

  it('warns of memory pressure, and notes a cordoned node', () => {
    const pressed = node(
      'worker-3',
      {
        unschedulable: true,
        taints: [
          {
            key: 'node.kubernetes.io/memory-pressure',
            effect: 'NoSchedule',
            timeAdded: '2026-11-20T03:05:00Z',
          },
          {
            key: 'node.kubernetes.io/unschedulable',
            effect: 'NoSchedule',
            timeAdded: '2026-11-20T03:06:00Z',
          },
        ],
      },
      [
        {
          type: 'MemoryPressure',
          status: 'True',
          lastHeartbeatTime: '2026-11-20T03:11:41Z',
          lastTransitionTime: '2026-11-20T03:05:00Z',
          reason: 'KubeletHasInsufficientMemory',
          message: 'kubelet has insufficient memory available',
        },
        ...HEALTHY_CONDITIONS.slice(1),
      ],
    );
    expect(nodeNotReady.detect(pressed, contextOf([pressed, pod('api-3', 'worker-3')], NOW))).toEqual([
      {
        ruleId: 'node-not-ready',
        severity: 'warning',
        resource: { kind: 'Node', name: 'worker-3' },
        message: 'node worker-3 is low on memory: the kubelet evicts pods and the scheduler avoids it',
        evidence: [
          {
            source: 'status',
            text: 'MemoryPressure=True KubeletHasInsufficientMemory: kubelet has insufficient memory available (since 2026-11-20T03:05:00Z)',
          },
          { source: 'spec', text: 'taint node.kubernetes.io/memory-pressure:NoSchedule' },
        ],
        fix: {
          summary:
            'find what uses it up on the node, set requests and limits that fit, or move pods off the node',
          commands: [
            'kubectl describe node worker-3',
            'kubectl top pods -A --sort-by=memory',
            'kubectl get pods -A --field-selector spec.nodeName=worker-3',
          ],
        },
      },
      {
        ruleId: 'node-not-ready',
        severity: 'info',
        resource: { kind: 'Node', name: 'worker-3' },
        message: 'node worker-3 is cordoned: no new pods are scheduled on it',
        evidence: [{ source: 'spec', text: 'spec.unschedulable: true; 1 pod still bound to it' }],
        fix: {
          summary: 'if the maintenance is over, let pods schedule on it again',
          commands: ['kubectl uncordon worker-3'],
        },
      },
    ]);
  });
});
