import { describe, expect, it } from 'vitest';
import { analyze } from '../analyze/analyze.js';
import type { KubeObject } from '../core/kube-object.js';
import { formatRef } from '../core/resource-ref.js';
import { contextOf } from '../../test/support/analyzer-context.js';
import { withinNamespace } from './namespace-scope.js';

// Two Pending pods beside a NotReady node and a cordoned node that have nothing to do with them
// (S7 and S8 on a cluster where S12 and S13 also run): each Pending pod is a problem of its own.

const NOW = new Date('2026-11-20T03:12:00Z');

function node(name: string, extra: { spec?: object; ready?: object; labels?: Record<string, string> } = {}) {
  return {
    kind: 'Node',
    metadata: { name, ...(extra.labels === undefined ? {} : { labels: extra.labels }) },
    spec: extra.spec ?? {},
    status: {
      allocatable: { cpu: '8', memory: '32Gi', pods: '110' },
      conditions: [extra.ready ?? { type: 'Ready', status: 'True' }],
    },
  } satisfies KubeObject;
}

const dead = node('worker-dead', {
  spec: {
    taints: [
      { key: 'node.kubernetes.io/unreachable', effect: 'NoSchedule', timeAdded: '2026-11-20T03:00:40Z' },
      { key: 'node.kubernetes.io/unreachable', effect: 'NoExecute', timeAdded: '2026-11-20T03:00:45Z' },
    ],
  },
  ready: {
    type: 'Ready',
    status: 'Unknown',
    reason: 'NodeStatusUnknown',
    message: 'Kubelet stopped posting node status.',
    lastHeartbeatTime: '2026-11-20T03:00:00Z',
  },
});
const cordoned = node('worker-maint', { spec: { unschedulable: true } });
const gpu = [0, 1].map((i) =>
  node(`gpu-${String(i)}`, {
    labels: { pool: 'gpu' },
    spec: { taints: [{ key: 'dedicated', value: 'gpu', effect: 'NoSchedule' }] },
  }),
);
const plain = node('worker-1');

/** A pod of another namespace running on the dead node, so the node's finding has pods to name. */
const elsewhere: KubeObject = {
  kind: 'Pod',
  metadata: { name: 'cache-0', namespace: 'other', uid: 'p-cache' },
  spec: { nodeName: 'worker-dead', containers: [{ name: 'cache', image: 'redis:7' }] },
  status: { phase: 'Running' },
};

function pendingPod(namespace: string, name: string, spec: object, message: string): KubeObject {
  return {
    kind: 'Pod',
    metadata: { name, namespace, uid: `p-${name}` },
    spec,
    status: {
      phase: 'Pending',
      conditions: [{ type: 'PodScheduled', status: 'False', reason: 'Unschedulable', message }],
    },
  };
}

/** S7: asks for 12 CPUs, every node has 8. The scheduler counts the dead and cordoned nodes under their first failing filter. */
const batch = pendingPod(
  'ml',
  'batch-0',
  { containers: [{ name: 'batch', image: 'batch:1', resources: { requests: { cpu: '12' } } }] },
  '0/5 nodes are available: 1 node(s) had untolerated taint(s), 1 node(s) were unschedulable, 2 node(s) had untolerated taint(s), 1 Insufficient cpu. preemption: 0/5 nodes are available: 5 Preemption is not helpful for scheduling.',
);
/** S8: selects the gpu pool, does not tolerate its taint. */
const trainer = pendingPod(
  'ml',
  'trainer-0',
  { nodeSelector: { pool: 'gpu' }, containers: [{ name: 'trainer', image: 'trainer:1' }] },
  "0/5 nodes are available: 1 node(s) were unschedulable, 2 node(s) didn't match Pod's node affinity/selector, 2 node(s) had untolerated taint(s). preemption: 0/5 nodes are available: 5 Preemption is not helpful for scheduling.",
);

function analysis() {
  const { snapshot, graph } = contextOf([dead, cordoned, ...gpu, plain, elsewhere, batch, trainer], NOW);
  return analyze(snapshot, graph);
}

describe('Pending pods beside an unrelated NotReady node and a cordoned one', () => {
  it('makes each Pending pod a problem of its own, its cause its own', () => {
    const { problems } = analysis();
    const roots = problems.map((p) => [
      p.rootCause.ruleId,
      formatRef(p.rootCause.resource, { withNamespace: true }),
      p.rootCause.message,
      p.symptoms.map((s) => formatRef(s.resource, { withNamespace: true })),
    ]);
    expect(roots).toEqual(
      expect.arrayContaining([
        ['pending-unschedulable', 'Pod/ml/batch-0', 'pod cannot be scheduled: insufficient cpu', []],
        [
          'pending-unschedulable',
          'Pod/ml/trainer-0',
          'pod cannot be scheduled: taint dedicated=gpu:NoSchedule not tolerated',
          [],
        ],
      ]),
    );
    const nodeProblems = problems.filter((p) => p.rootCause.resource.kind === 'Node');
    for (const problem of nodeProblems) expect(problem.symptoms).toEqual([]);
  });

  it('answers -n with the namespace’s own problems, not a dead node that runs none of its pods', () => {
    const { problems, findings } = analysis();
    const scoped = withinNamespace(problems, findings, 'ml');
    expect(
      scoped.problems.map((p) => formatRef(p.rootCause.resource, { withNamespace: true })).sort(),
    ).toEqual(['Pod/ml/batch-0', 'Pod/ml/trainer-0']);
    // The namespace whose pod the dead node runs does see it.
    const other = withinNamespace(problems, findings, 'other');
    expect(other.problems.map((p) => formatRef(p.rootCause.resource))).toEqual(['Node/worker-dead']);
  });
});
