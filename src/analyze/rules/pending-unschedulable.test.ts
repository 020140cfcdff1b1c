import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../core/kube-object.js';
import { contextOf } from '../../../test/support/analyzer-context.js';
import { realdataItems } from '../../../test/support/realdata.js';
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
          // A higher priority would not get it in: nothing lower-priority runs where it would fit.
          {
            source: 'status',
            text: 'preemption would not help: no node has lower-priority pods whose eviction would make it fit',
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
        containers: [{ name: 'trainer', resources: { requests: { cpu: '4' } } }],
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

  it('counts only the nodes the pod may land on as its best fit: not cordoned, tainted or outside its selector', () => {
    const pod = pending('0/3 nodes are available: 3 Insufficient cpu.', { nodeSelector: { pool: 'batch' } });
    const inPool = (name: string, cpu: string, cordoned = false): KubeObject => {
      const base = node(name, cpu);
      return {
        ...base,
        metadata: { name, labels: { pool: 'batch' } },
        spec: cordoned ? { unschedulable: true } : {},
      };
    };
    const tainted = {
      ...inPool('tainted', '32'),
      spec: { taints: [{ key: 'dedicated', value: 'gpu', effect: 'NoSchedule' }] },
    };
    const objects = [
      pod,
      inPool('open', '6'),
      inPool('cordoned', '10', true),
      tainted,
      node('elsewhere', '64'),
    ];
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

  it('says every node is cordoned when the scheduler counts them all unschedulable', () => {
    const pod = pending(
      '0/3 nodes are available: 3 node(s) were unschedulable. preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling.',
      { containers: [{ name: 'batch', resources: { requests: { cpu: '2' } } }] },
    );
    const cordoned = (name: string): KubeObject => ({ ...node(name, '8'), spec: { unschedulable: true } });
    const objects = [pod, cordoned('worker-0'), cordoned('worker-1'), cordoned('worker-2')];
    expect(pendingUnschedulable.detect(pod, contextOf(objects))).toEqual([
      {
        ruleId: 'pending-unschedulable',
        severity: 'critical',
        resource: { kind: 'Pod', namespace: 'jobs', name: 'batch-0' },
        message: 'pod cannot be scheduled: all 3 nodes are cordoned',
        evidence: [
          {
            source: 'status',
            text: 'PodScheduled=False Unschedulable: 0/3 nodes are available: 3 node(s) were unschedulable. preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling.',
          },
          { source: 'status', text: 'cordoned: worker-0, worker-1, worker-2' },
        ],
        fix: {
          summary: 'uncordon a node (kubectl uncordon NODE) or add one',
          commands: ['kubectl -n jobs describe pod batch-0'],
        },
        waitsOn: [
          { kind: 'Node', name: 'worker-0' },
          { kind: 'Node', name: 'worker-1' },
          { kind: 'Node', name: 'worker-2' },
        ],
      },
    ]);
  });

  it('waits on no tainted, cordoned or NotReady node too small to hold it: it is bigger than every node', () => {
    // The scheduler counts each node under the first filter it fails: the taint and the cordon.
    const pod = pending(
      '0/3 nodes are available: 1 Insufficient cpu, 1 node(s) had untolerated taint(s), 1 node(s) were unschedulable. preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling.',
    );
    const objects = [
      pod,
      node('worker-0', '8'),
      node('worker-dead', '8', [{ key: 'node.kubernetes.io/unreachable', effect: 'NoSchedule' }]),
      { ...node('worker-maint', '8'), spec: { unschedulable: true } },
    ];
    const [finding, ...rest] = pendingUnschedulable.detect(pod, contextOf(objects));
    expect(rest).toEqual([]);
    expect(finding?.message).toBe('pod cannot be scheduled: insufficient cpu');
    expect(finding?.waitsOn).toBeUndefined();
    // Said so even when the scheduler reported every node under its taint or cordon.
    const hidden = pending(
      '0/2 nodes are available: 1 node(s) had untolerated taint(s), 1 node(s) were unschedulable. preemption: 0/2 nodes are available: 2 Preemption is not helpful for scheduling.',
    );
    const [alone] = pendingUnschedulable.detect(hidden, contextOf([hidden, ...objects.slice(2)]));
    expect(alone?.message).toBe('pod cannot be scheduled: insufficient cpu');
    expect(alone?.waitsOn).toBeUndefined();
  });

  it('waits only on cordoned nodes its selector allows: a cordon elsewhere is not why it is pending', () => {
    const pod = pending(
      '0/2 nodes are available: 1 node(s) had untolerated taint {maintenance: true}, 1 node(s) were unschedulable. preemption: 0/2 nodes are available: 2 Preemption is not helpful for scheduling.',
      { nodeSelector: { 'kubernetes.io/hostname': 'own' } },
    );
    const own: KubeObject = {
      ...node('own', '16', [{ key: 'maintenance', value: 'true', effect: 'NoSchedule' }]),
      metadata: { name: 'own', labels: { 'kubernetes.io/hostname': 'own' } },
    };
    const elsewhere: KubeObject = {
      ...node('elsewhere', '16'),
      metadata: { name: 'elsewhere', labels: { 'kubernetes.io/hostname': 'elsewhere' } },
      spec: { unschedulable: true },
    };
    const [finding] = pendingUnschedulable.detect(pod, contextOf([pod, own, elsewhere]));
    expect(finding?.waitsOn).toEqual([{ kind: 'Node', name: 'own' }]);
    expect(finding?.message).toBe('pod cannot be scheduled: taint maintenance=true:NoSchedule not tolerated');
  });

  it('names the pods holding the host port it asks for, and where', () => {
    const pod = pending(
      "0/2 nodes are available: 2 node(s) didn't have free ports for the requested pod ports. preemption: 0/2 nodes are available: 2 No preemption victims found for incoming pod.",
      { containers: [{ name: 'proxy', ports: [{ containerPort: 8080, hostPort: 8080, protocol: 'TCP' }] }] },
    );
    const holder = (name: string, nodeName: string, namespace = 'jobs'): KubeObject => ({
      kind: 'Pod',
      metadata: { name, namespace },
      spec: { nodeName, containers: [{ name: 'x', ports: [{ containerPort: 8080, hostPort: 8080 }] }] },
      status: { phase: 'Running' },
    });
    // A pod on the host network binds its container ports on the node too; a finished one holds nothing.
    const hostNetwork: KubeObject = {
      kind: 'Pod',
      metadata: { name: 'metrics-agent-x2x9q', namespace: 'monitoring' },
      spec: {
        nodeName: 'node-b',
        hostNetwork: true,
        containers: [{ name: 'agent', ports: [{ containerPort: 8080 }] }],
      },
      status: { phase: 'Running' },
    };
    const done = { ...holder('old-run', 'node-b'), status: { phase: 'Succeeded' } };
    const objects = [
      pod,
      holder('proxy-7d9f8c-2xk9p', 'node-a'),
      hostNetwork,
      done,
      node('node-a', '16'),
      node('node-b', '16'),
    ];
    const [finding] = pendingUnschedulable.detect(pod, contextOf(objects));
    expect(finding?.message).toBe(
      'pod cannot be scheduled: host port 8080/TCP already taken on 2 nodes (by proxy-7d9f8c-2xk9p, monitoring/metrics-agent-x2x9q)',
    );
    expect(finding?.evidence.slice(1)).toEqual([
      { source: 'graph', text: 'host port 8080/TCP held by proxy-7d9f8c-2xk9p on node-a' },
      { source: 'graph', text: 'host port 8080/TCP held by monitoring/metrics-agent-x2x9q on node-b' },
    ]);
    expect(finding?.fix?.summary).toMatch(/^drop the hostPort and reach the pod through a Service/);
  });

  it('says a control-plane taint keeps it off the only node, from the message when nodes were not read', () => {
    const message =
      '0/1 nodes are available: 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }. preemption: 0/1 nodes are available: 1 Preemption is not helpful for scheduling.';
    const pod = pending(message);
    const [unread] = pendingUnschedulable.detect(pod, contextOf([pod]));
    expect(unread?.message).toBe(
      'pod cannot be scheduled: taint node-role.kubernetes.io/control-plane not tolerated (a control-plane node, kept for the cluster’s own components)',
    );
    expect(unread?.fix?.summary).toBe(
      'run it on worker nodes (add one if the cluster has none); tolerate the control-plane taint only on purpose, as on a single-node cluster',
    );
    const controlPlane = node('kind-control-plane', '16', [
      { key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' },
    ]);
    const [read] = pendingUnschedulable.detect(pod, contextOf([pod, controlPlane]));
    expect(read?.message).toBe(
      'pod cannot be scheduled: taint node-role.kubernetes.io/control-plane:NoSchedule not tolerated (a control-plane node, kept for the cluster’s own components)',
    );
    expect(read?.waitsOn).toEqual([{ kind: 'Node', name: 'kind-control-plane' }]);
  });

  it('names the higher-priority pod that preempted its workload’s pod, and the node it was nominated to', () => {
    const pod: KubeObject = {
      ...pending(
        '0/1 nodes are available: 1 Insufficient cpu. preemption: 0/1 nodes are available: 1 No preemption victims found for incoming pod.',
        { priority: 0 },
      ),
      metadata: { name: 'batch-7d9f8c-m4n7v', generateName: 'batch-7d9f8c-', namespace: 'jobs' },
    };
    const preemptor: KubeObject = {
      kind: 'Pod',
      metadata: { name: 'payments-0', namespace: 'shop', uid: '5f1c2b8e-3d4a-4b6f-9c0e-1a2b3c4d5e6f' },
      spec: { nodeName: 'node-a', priority: 1000000, priorityClassName: 'business-critical', containers: [] },
      status: { phase: 'Running' },
    };
    // The scheduler's event on the victim (events.k8s.io/v1, as kube-scheduler writes it).
    const preempted: KubeObject = {
      apiVersion: 'events.k8s.io/v1',
      kind: 'Event',
      metadata: { name: 'batch-7d9f8c-2xk9p.1873a6f0c2d4e5b1', namespace: 'jobs' },
      eventTime: '2026-11-20T03:05:00.000000Z',
      reportingController: 'default-scheduler',
      reportingInstance: 'default-scheduler-control-plane',
      action: 'Preempting',
      reason: 'Preempted',
      regarding: { kind: 'Pod', namespace: 'jobs', name: 'batch-7d9f8c-2xk9p', uid: 'a1' },
      related: {
        kind: 'Pod',
        namespace: 'shop',
        name: 'payments-0',
        uid: '5f1c2b8e-3d4a-4b6f-9c0e-1a2b3c4d5e6f',
      },
      note: 'Preempted by pod 5f1c2b8e-3d4a-4b6f-9c0e-1a2b3c4d5e6f on node node-a',
      type: 'Normal',
    };
    const [finding] = pendingUnschedulable.detect(
      pod,
      contextOf([pod, preemptor, preempted, node('node-a', '4')]),
    );
    expect(finding?.message).toBe(
      'pod cannot be scheduled: insufficient cpu; pod batch-7d9f8c-2xk9p of its workload was preempted by higher-priority pod shop/payments-0',
    );
    expect(finding?.evidence.filter((e) => e.source !== 'graph').slice(1)).toEqual([
      {
        source: 'status',
        text: 'preemption would not help: no node has lower-priority pods whose eviction would make it fit',
      },
      {
        source: 'event',
        text: 'batch-7d9f8c-2xk9p preempted on node node-a by shop/payments-0 (priority 1000000 over its 0) at 2026-11-20T03:05:00.000000Z',
      },
    ]);
    expect(finding?.fix?.summary).toBe(
      "lower the pod's cpu request, or add capacity; give it a PriorityClass at least as high as what preempted it, or add capacity so both fit",
    );

    const nominated: KubeObject = {
      ...pod,
      status: { ...(pod as KubeObject & { status: object }).status, nominatedNodeName: 'node-a' },
    };
    expect(pendingUnschedulable.detect(nominated, contextOf([nominated]))[0]?.message).toBe(
      'pod cannot be scheduled: insufficient cpu; the scheduler is evicting lower-priority pods on node node-a to make room for it',
    );
  });

  it('compares ephemeral storage asked for with the best node’s free allocatable, in bytes', () => {
    const pod = pending('0/1 nodes are available: 1 Insufficient ephemeral-storage.', {
      containers: [{ name: 'batch', resources: { requests: { 'ephemeral-storage': '50Gi' } } }],
    });
    const small: KubeObject = {
      kind: 'Node',
      metadata: { name: 'small' },
      status: { allocatable: { cpu: '4', memory: '16Gi', 'ephemeral-storage': '19316953466', pods: '110' } },
    };
    const [finding] = pendingUnschedulable.detect(pod, contextOf([pod, small]));
    expect(finding?.message).toBe('pod cannot be scheduled: insufficient ephemeral-storage');
    expect(finding?.evidence[1]).toEqual({
      source: 'graph',
      text: 'requests ephemeral-storage 50Gi; the best node, small, has 18.0Gi free of 18.0Gi allocatable',
    });
  });

  it('reads required node affinity: a cause only when no node matches it', () => {
    const affinity = {
      nodeAffinity: {
        requiredDuringSchedulingIgnoredDuringExecution: {
          nodeSelectorTerms: [{ matchExpressions: [{ key: 'pool', operator: 'In', values: ['gpu'] }] }],
        },
      },
    };
    const pod = pending(
      "0/2 nodes are available: 2 node(s) didn't match Pod's node affinity/selector. preemption: 0/2 nodes are available: 2 Preemption is not helpful for scheduling.",
      { affinity },
    );
    const [finding] = pendingUnschedulable.detect(pod, contextOf([pod, node('a', '8'), node('b', '8')]));
    expect(finding?.message).toBe('pod cannot be scheduled: no node matches its node selector or affinity');
    expect(finding?.evidence[1]).toEqual({
      source: 'spec',
      text: 'its required node affinity matches no node',
    });
  });

  describe('pod placement', () => {
    const zoned = (name: string, zone: string | undefined, taints?: object[]): KubeObject => {
      const base = node(name, '8', taints);
      return {
        ...base,
        metadata: {
          name,
          labels: {
            'kubernetes.io/hostname': name,
            ...(zone === undefined ? {} : { 'topology.kubernetes.io/zone': zone }),
          },
        },
      };
    };
    const antiAffinity = {
      podAntiAffinity: {
        requiredDuringSchedulingIgnoredDuringExecution: [
          { labelSelector: { matchLabels: { app: 'web' } }, topologyKey: 'kubernetes.io/hostname' },
        ],
      },
    };
    const web = (name: string, nodeName: string | undefined, spec: object = {}): KubeObject => ({
      kind: 'Pod',
      metadata: { name, namespace: 'shop', labels: { app: 'web', 'pod-template-hash': '7d9f8c' } },
      spec: { ...(nodeName === undefined ? {} : { nodeName }), containers: [{ name: 'web' }], ...spec },
      status: { phase: nodeName === undefined ? 'Pending' : 'Running' },
    });
    const unschedulable = (pod: KubeObject, message: string): KubeObject => ({
      ...pod,
      status: {
        phase: 'Pending',
        conditions: [{ type: 'PodScheduled', status: 'False', reason: 'Unschedulable', message }],
      },
    });

    it('names the placed pods its own anti-affinity keeps it away from, and where they run', () => {
      const pod = unschedulable(
        web('web-7d9f8c-qz4x8', undefined, { affinity: antiAffinity }),
        "0/3 nodes are available: 3 node(s) didn't match pod anti-affinity rules. preemption: 0/3 nodes are available: 3 No preemption victims found for incoming pod.",
      );
      const objects = [
        pod,
        zoned('node-a', 'eu-1a'),
        zoned('node-b', 'eu-1b'),
        zoned('node-c', 'eu-1c'),
        web('web-7d9f8c-2xk9p', 'node-a', { affinity: antiAffinity }),
        web('web-7d9f8c-8hj2m', 'node-b', { affinity: antiAffinity }),
        web('web-7d9f8c-m4n7v', 'node-c', { affinity: antiAffinity }),
      ];
      expect(pendingUnschedulable.detect(pod, contextOf(objects))).toEqual([
        {
          ruleId: 'pending-unschedulable',
          severity: 'critical',
          resource: { kind: 'Pod', namespace: 'shop', name: 'web-7d9f8c-qz4x8' },
          message:
            'pod cannot be scheduled: its required pod anti-affinity (app=web per kubernetes.io/hostname) rules out the nodes of web-7d9f8c-2xk9p, web-7d9f8c-8hj2m, web-7d9f8c-m4n7v',
          evidence: [
            {
              source: 'status',
              text: "PodScheduled=False Unschedulable: 0/3 nodes are available: 3 node(s) didn't match pod anti-affinity rules. preemption: 0/3 nodes are available: 3 No preemption victims found for incoming pod.",
            },
            {
              source: 'graph',
              text: 'anti-affinity app=web per kubernetes.io/hostname: web-7d9f8c-2xk9p on node-a (kubernetes.io/hostname=node-a), web-7d9f8c-8hj2m on node-b (kubernetes.io/hostname=node-b), web-7d9f8c-m4n7v on node-c (kubernetes.io/hostname=node-c)',
            },
          ],
          fix: {
            summary:
              'relax its pod anti-affinity (preferredDuringSchedulingIgnoredDuringExecution instead of required), or add nodes so each replica finds a free topology domain',
            commands: ['kubectl -n shop describe pod web-7d9f8c-qz4x8'],
          },
        },
      ]);
    });

    it('names the placed pods whose anti-affinity repels it', () => {
      // The new revision dropped its anti-affinity; the old pods still repel every app=web pod.
      const pod = unschedulable(
        web('web-5b6c7d-r2d2x', undefined),
        "0/2 nodes are available: 2 node(s) didn't satisfy existing pods anti-affinity rules. preemption: 0/2 nodes are available: 2 No preemption victims found for incoming pod.",
      );
      const objects = [
        pod,
        zoned('node-a', 'eu-1a'),
        zoned('node-b', 'eu-1b'),
        web('web-7d9f8c-2xk9p', 'node-a', { affinity: antiAffinity }),
        web('web-7d9f8c-8hj2m', 'node-b', { affinity: antiAffinity }),
      ];
      const [finding] = pendingUnschedulable.detect(pod, contextOf(objects));
      expect(finding?.message).toBe(
        'pod cannot be scheduled: the anti-affinity of web-7d9f8c-2xk9p, web-7d9f8c-8hj2m keeps it off their nodes',
      );
      expect(finding?.evidence.slice(1)).toEqual([
        {
          source: 'graph',
          resource: { kind: 'Pod', namespace: 'shop', name: 'web-7d9f8c-2xk9p' },
          text: 'web-7d9f8c-2xk9p on node-a repels it (required anti-affinity, kubernetes.io/hostname=node-a)',
        },
        {
          source: 'graph',
          resource: { kind: 'Pod', namespace: 'shop', name: 'web-7d9f8c-8hj2m' },
          text: 'web-7d9f8c-8hj2m on node-b repels it (required anti-affinity, kubernetes.io/hostname=node-b)',
        },
      ]);
    });

    const spread = {
      topologySpreadConstraints: [
        {
          maxSkew: 1,
          topologyKey: 'topology.kubernetes.io/zone',
          whenUnsatisfiable: 'DoNotSchedule',
          labelSelector: { matchLabels: { app: 'web' } },
        },
      ],
    };

    it('names the topology spread constraint and the pods per zone', () => {
      const pod = unschedulable(
        web('web-7d9f8c-qz4x8', undefined, spread),
        "0/3 nodes are available: 1 node(s) had untolerated taint(s), 2 node(s) didn't match pod topology spread constraints. preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling.",
      );
      const objects = [
        pod,
        zoned('node-a', 'eu-1a'),
        zoned('node-b', 'eu-1b'),
        zoned('node-c', 'eu-1c', [{ key: 'maintenance', value: 'true', effect: 'NoSchedule' }]),
        web('web-7d9f8c-2xk9p', 'node-a', spread),
        web('web-7d9f8c-8hj2m', 'node-b', spread),
      ];
      const [finding] = pendingUnschedulable.detect(pod, contextOf(objects));
      expect(finding?.message).toBe(
        'pod cannot be scheduled: taint maintenance=true:NoSchedule not tolerated; its topology spread constraint (maxSkew 1 over topology.kubernetes.io/zone (app=web)) cannot be met',
      );
      expect(finding?.evidence.slice(2)).toEqual([
        {
          source: 'graph',
          text: 'maxSkew 1 over topology.kubernetes.io/zone (app=web), DoNotSchedule: eu-1c 0, eu-1a 1, eu-1b 1',
        },
      ]);
      expect(finding?.fix?.summary).toBe(
        'add a toleration to the pod, or remove the taint from the nodes; add capacity where its pods are fewest (or label the nodes), raise maxSkew, or make the constraint whenUnsatisfiable: ScheduleAnyway',
      );
    });

    it('says which nodes lack the label a topology spread constraint needs', () => {
      const pod = unschedulable(
        web('web-7d9f8c-qz4x8', undefined, spread),
        "0/2 nodes are available: 2 node(s) didn't match pod topology spread constraints (missing required label). preemption: 0/2 nodes are available: 2 Preemption is not helpful for scheduling.",
      );
      const objects = [pod, zoned('node-a', undefined), zoned('node-b', undefined)];
      const [finding] = pendingUnschedulable.detect(pod, contextOf(objects));
      expect(finding?.message).toBe(
        'pod cannot be scheduled: 2 nodes lack label topology.kubernetes.io/zone, which its topology spread constraint needs',
      );
      expect(finding?.evidence[1]).toEqual({
        source: 'spec',
        text: 'no topology.kubernetes.io/zone label: node-a, node-b',
      });
    });
  });

  it('says which scheduling gates hold a pod back, for how long, and how to lift them', () => {
    const gated: KubeObject = {
      kind: 'Pod',
      metadata: { name: 'train-0', namespace: 'ml', creationTimestamp: '2026-11-20T02:40:00Z' },
      spec: {
        schedulingGates: [{ name: 'kueue.x-k8s.io/admission' }],
        containers: [{ name: 'train' }],
      },
      status: {
        phase: 'Pending',
        qosClass: 'BestEffort',
        conditions: [
          {
            type: 'PodScheduled',
            status: 'False',
            reason: 'SchedulingGated',
            message: 'Scheduling is blocked due to non-empty scheduling gates',
            lastProbeTime: null,
            lastTransitionTime: '2026-11-20T02:40:00Z',
          },
        ],
      },
    };
    expect(pendingUnschedulable.detect(gated, contextOf([gated]))).toEqual([
      {
        ruleId: 'pending-unschedulable',
        severity: 'warning',
        resource: { kind: 'Pod', namespace: 'ml', name: 'train-0' },
        message:
          'pod is not scheduled: scheduling gate kueue.x-k8s.io/admission holds it for 32m, until whatever set it removes it',
        evidence: [
          {
            source: 'status',
            text: 'PodScheduled=False SchedulingGated: Scheduling is blocked due to non-empty scheduling gates',
          },
          { source: 'spec', text: 'schedulingGates: kueue.x-k8s.io/admission' },
        ],
        fix: {
          summary:
            'find what should lift the gates (a queue controller such as Kueue removes its gate when it admits the pod); if nothing will, remove them',
          commands: [
            `kubectl -n ml patch pod train-0 --type=json -p '[{"op":"remove","path":"/spec/schedulingGates"}]'`,
          ],
        },
      },
    ]);
  });
});
