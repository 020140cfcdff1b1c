import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../core/kube-object.js';
import { contextOf } from '../../test/support/analyzer-context.js';
import { analyze, type Analysis } from './analyze.js';

// One crash-looping container, read at every moment of its loop: waiting out the back-off, up again
// just now, up for a while (the back-off at its 5-minute cap, the BackOff event as stale as the
// event recorder's spam filter leaves it), just exited; and the Deployment's status caught up with
// the pod or not. The answer must not depend on which moment the read caught (DESIGN.md §7.12).

const NOW = new Date('2026-11-20T03:12:00Z');
const NS = 'shop';

/** The state of the looping container at one moment, and what its pod and Deployment show then. */
interface Moment {
  readonly name: string;
  readonly restarts: number;
  readonly state: object;
  readonly lastState: object;
  readonly ready: boolean;
  /** The Deployment's readyReplicas then (its controller may not have caught up yet). */
  readonly deploymentReady: number;
  /** When the kubelet's BackOff event about the container was last seen. */
  readonly backOffSeen: string;
}

const crashed = (startedAt: string, finishedAt: string): object => ({
  terminated: { exitCode: 1, reason: 'Error', startedAt, finishedAt, containerID: 'containerd://c1' },
});

const MOMENTS: readonly Moment[] = [
  {
    name: 'waiting in CrashLoopBackOff',
    restarts: 7,
    state: { waiting: { reason: 'CrashLoopBackOff', message: 'back-off 5m0s restarting failed container' } },
    lastState: crashed('2026-11-20T03:11:50Z', '2026-11-20T03:11:51Z'),
    ready: false,
    deploymentReady: 0,
    backOffSeen: '2026-11-20T03:11:58Z',
  },
  {
    name: 'running, just restarted, the Deployment not caught up',
    restarts: 8,
    state: { running: { startedAt: '2026-11-20T03:11:59Z' } },
    lastState: crashed('2026-11-20T03:06:50Z', '2026-11-20T03:06:51Z'),
    ready: true,
    deploymentReady: 0,
    backOffSeen: '2026-11-20T03:11:50Z',
  },
  {
    name: 'running, just restarted, the Deployment caught up',
    restarts: 8,
    state: { running: { startedAt: '2026-11-20T03:11:59Z' } },
    lastState: crashed('2026-11-20T03:06:50Z', '2026-11-20T03:06:51Z'),
    ready: true,
    deploymentReady: 1,
    backOffSeen: '2026-11-20T03:11:50Z',
  },
  {
    name: 'running for eight minutes between crashes, the BackOff event six minutes stale',
    restarts: 8,
    state: { running: { startedAt: '2026-11-20T03:04:00Z' } },
    lastState: crashed('2026-11-20T02:58:50Z', '2026-11-20T02:59:00Z'),
    ready: true,
    deploymentReady: 1,
    backOffSeen: '2026-11-20T02:58:00Z',
  },
  {
    name: 'terminated just now, the Deployment not caught up',
    restarts: 8,
    state: crashed('2026-11-20T03:11:30Z', '2026-11-20T03:11:59Z'),
    lastState: crashed('2026-11-20T03:06:50Z', '2026-11-20T03:06:51Z'),
    ready: false,
    deploymentReady: 1,
    backOffSeen: '2026-11-20T03:11:29Z',
  },
  {
    name: 'terminated just now, the Deployment caught up',
    restarts: 8,
    state: crashed('2026-11-20T03:11:30Z', '2026-11-20T03:11:59Z'),
    lastState: crashed('2026-11-20T03:06:50Z', '2026-11-20T03:06:51Z'),
    ready: false,
    deploymentReady: 0,
    backOffSeen: '2026-11-20T03:11:29Z',
  },
];

function deployment(name: string, ready: number): KubeObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace: NS, uid: `d-${name}` },
    spec: { replicas: 1, selector: { matchLabels: { app: name } }, template: {} },
    status: { replicas: 1, readyReplicas: ready, availableReplicas: ready },
  };
}

function replicaSet(name: string, ready: number): KubeObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: {
      name: `${name}-7c9d8`,
      namespace: NS,
      uid: `rs-${name}`,
      ownerReferences: [{ kind: 'Deployment', name, uid: `d-${name}`, controller: true }],
    },
    spec: { replicas: 1, selector: { matchLabels: { app: name } } },
    status: { replicas: 1, readyReplicas: ready },
  };
}

function podOf(name: string, spec: object, status: object): KubeObject {
  return {
    kind: 'Pod',
    metadata: {
      name: `${name}-7c9d8-q4x2z`,
      namespace: NS,
      uid: `p-${name}`,
      labels: { app: name },
      ownerReferences: [{ kind: 'ReplicaSet', name: `${name}-7c9d8`, uid: `rs-${name}`, controller: true }],
    },
    spec: { restartPolicy: 'Always', ...spec },
    status,
  };
}

function backOff(pod: string, fieldPath: string, lastSeen: string): KubeObject {
  return {
    kind: 'Event',
    metadata: { name: `${pod}.backoff`, namespace: NS },
    involvedObject: { kind: 'Pod', namespace: NS, name: pod, uid: `p-${pod.split('-')[0] ?? ''}`, fieldPath },
    type: 'Warning',
    reason: 'BackOff',
    message: 'Back-off restarting failed container',
    count: 40,
    firstTimestamp: '2026-11-20T02:30:00Z',
    lastTimestamp: lastSeen,
  };
}

const node: KubeObject = {
  kind: 'Node',
  metadata: { name: 'worker-1' },
  status: { conditions: [{ type: 'Ready', status: 'True' }], allocatable: { cpu: '8', memory: '32Gi' } },
};

/**
 * A bystander problem in the same namespace: a pod asking for more CPU than any node has, whose
 * score equals the crash loop's when the Deployment above it counts as broken: the order of the two
 * must not depend on the moment either.
 */
function bystander(): KubeObject[] {
  const pod = podOf(
    'batch',
    { containers: [{ name: 'batch', image: 'batch:1', resources: { requests: { cpu: '12' } } }] },
    {
      phase: 'Pending',
      conditions: [
        {
          type: 'PodScheduled',
          status: 'False',
          reason: 'Unschedulable',
          message:
            '0/1 nodes are available: 1 Insufficient cpu. preemption: 0/1 nodes are available: 1 Preemption is not helpful for scheduling.',
        },
      ],
    },
  );
  return [deployment('batch', 0), replicaSet('batch', 0), pod];
}

/** An app container crash-looping, at one moment. */
function appScene(moment: Moment): KubeObject[] {
  const pod = podOf(
    'api',
    { nodeName: 'worker-1', containers: [{ name: 'api', image: 'shop/api:1.4.2' }] },
    {
      phase: 'Running',
      startTime: '2026-11-20T02:30:00Z',
      conditions: [{ type: 'Ready', status: moment.ready ? 'True' : 'False' }],
      containerStatuses: [
        {
          name: 'api',
          image: 'shop/api:1.4.2',
          ready: moment.ready,
          started: moment.ready,
          restartCount: moment.restarts,
          state: moment.state,
          lastState: moment.lastState,
        },
      ],
    },
  );
  return [
    node,
    deployment('api', moment.deploymentReady),
    replicaSet('api', moment.deploymentReady),
    pod,
    backOff('api-7c9d8-q4x2z', 'spec.containers{api}', moment.backOffSeen),
    ...bystander(),
  ];
}

/** An init container crash-looping, at one moment: the pod never gets past it. */
function initScene(moment: Moment): KubeObject[] {
  const pod = podOf(
    'api',
    {
      nodeName: 'worker-1',
      initContainers: [{ name: 'migrate', image: 'shop/migrate:3', command: ['migrate', 'up'] }],
      containers: [{ name: 'api', image: 'shop/api:1.4.2' }],
    },
    {
      phase: 'Pending',
      startTime: '2026-11-20T02:30:00Z',
      conditions: [
        {
          type: 'Initialized',
          status: 'False',
          reason: 'ContainersNotInitialized',
          message: 'containers with incomplete status: [migrate]',
        },
        { type: 'Ready', status: 'False', reason: 'ContainersNotReady' },
      ],
      initContainerStatuses: [
        {
          name: 'migrate',
          image: 'shop/migrate:3',
          ready: false,
          started: 'running' in moment.state,
          restartCount: moment.restarts,
          state: moment.state,
          lastState: moment.lastState,
        },
      ],
      containerStatuses: [
        {
          name: 'api',
          image: 'shop/api:1.4.2',
          ready: false,
          restartCount: 0,
          state: { waiting: { reason: 'PodInitializing' } },
        },
      ],
    },
  );
  // An init container never makes its pod ready: the Deployment has 0 of 1 at every moment.
  return [
    node,
    deployment('api', 0),
    replicaSet('api', 0),
    pod,
    backOff('api-7c9d8-q4x2z', 'spec.initContainers{migrate}', moment.backOffSeen),
    ...bystander(),
  ];
}

/** What must not change with the moment: the problems in order, their root causes (counts aside) and severities. */
function answer(analysis: Analysis): unknown {
  const counts = (text: string): string => text.replace(/\d+ restarts/g, 'N restarts');
  return {
    problems: analysis.problems.map((problem) => ({
      ruleId: problem.rootCause.ruleId,
      resource: problem.rootCause.resource,
      severity: problem.rootCause.severity,
      message: counts(problem.rootCause.message),
      problemSeverity: problem.score.severity,
      total: problem.score.total,
      chain: problem.chain,
    })),
    // Every finding on the looping pod, whatever rule made it.
    onPod: analysis.findings
      .filter((f) => f.resource.kind === 'Pod' && f.resource.name.startsWith('api-'))
      .map((f) => ({ ruleId: f.ruleId, severity: f.severity, message: counts(f.message) }))
      .sort((a, b) => a.ruleId.localeCompare(b.ruleId)),
  };
}

function analyzed(objects: readonly KubeObject[]): Analysis {
  const { snapshot, graph } = contextOf(objects, NOW);
  return analyze(snapshot, graph);
}

describe('one answer per state: a crash loop read at every moment of its loop', () => {
  it('names an app container’s crash loop, with the same severities and order, at every moment', () => {
    const [first, ...others] = MOMENTS.map((moment) => ({
      moment: moment.name,
      answer: answer(analyzed(appScene(moment))),
    }));
    expect(first?.answer).toMatchObject({
      problems: expect.arrayContaining([
        expect.objectContaining({
          ruleId: 'crash-loop',
          severity: 'critical',
          message: 'container api keeps crashing (exit code 1, application error), N restarts',
        }),
      ]) as unknown,
      onPod: [{ ruleId: 'crash-loop', severity: 'critical' }],
    });
    for (const other of others) expect({ ...other, moment: first?.moment }).toEqual(first);
  });

  it('names an init container’s crash loop at every moment, never only "0 of 1 pods ready"', () => {
    const [first, ...others] = MOMENTS.map((moment) => ({
      moment: moment.name,
      answer: answer(analyzed(initScene(moment))),
    }));
    expect(first?.answer).toMatchObject({
      problems: expect.arrayContaining([
        expect.objectContaining({
          ruleId: 'crash-loop',
          severity: 'critical',
          message: 'init container migrate keeps crashing (exit code 1, application error), N restarts',
        }),
      ]) as unknown,
      onPod: [{ ruleId: 'crash-loop', severity: 'critical' }],
    });
    for (const other of others) expect({ ...other, moment: first?.moment }).toEqual(first);
  });
});

describe('one answer per state: what is not a crash loop', () => {
  it('leaves to restart-flapping a container restarted at once after long runs, at both its moments', () => {
    // Runs twenty minutes, dies, is started again at once (its back-off long reset): no BackOff.
    const flapping = (state: object, ready: boolean): KubeObject =>
      podOf(
        'api',
        { nodeName: 'worker-1', containers: [{ name: 'api', image: 'shop/api:1.4.2' }] },
        {
          phase: 'Running',
          startTime: '2026-11-20T01:00:00Z',
          containerStatuses: [
            {
              name: 'api',
              ready,
              restartCount: 6,
              state,
              lastState: crashed('2026-11-20T02:31:00Z', '2026-11-20T02:51:00Z'),
            },
          ],
        },
      );
    const running = analyzed([node, flapping({ running: { startedAt: '2026-11-20T02:51:01Z' } }, true)]);
    const exited = analyzed([node, flapping(crashed('2026-11-20T02:51:01Z', '2026-11-20T03:11:59Z'), false)]);
    expect(running.findings.map((f) => [f.ruleId, f.severity])).toEqual([['restart-flapping', 'warning']]);
    expect(exited.findings.map((f) => f.ruleId)).not.toContain('crash-loop');
  });
});

describe('one answer per state: a container that exits cleanly under restartPolicy Always', () => {
  it('is crash-looping at every moment, as the kubelet backs it off each time', () => {
    const clean = (startedAt: string, finishedAt: string): object => ({
      terminated: { exitCode: 0, reason: 'Completed', startedAt, finishedAt },
    });
    const at = (state: object): string[] => {
      const pod = podOf(
        'api',
        { nodeName: 'worker-1', containers: [{ name: 'api', image: 'shop/api:1.4.2' }] },
        {
          phase: 'Running',
          containerStatuses: [
            {
              name: 'api',
              restartCount: 9,
              state,
              lastState: clean('2026-11-20T03:06:40Z', '2026-11-20T03:06:51Z'),
            },
          ],
        },
      );
      return analyzed([node, pod, backOff('api-7c9d8-q4x2z', 'spec.containers{api}', '2026-11-20T03:11:50Z')])
        .findings.filter((f) => f.resource.kind === 'Pod')
        .map((f) => `${f.ruleId} ${f.severity} ${f.message}`);
    };
    const expected = [
      'crash-loop critical container api keeps crashing (exit code 0, exited normally), 9 restarts',
    ];
    expect(at({ waiting: { reason: 'CrashLoopBackOff' } })).toEqual(expected);
    expect(at({ running: { startedAt: '2026-11-20T03:11:59Z' } })).toEqual(expected);
    expect(at(clean('2026-11-20T03:11:30Z', '2026-11-20T03:11:59Z'))).toEqual(expected);
  });
});
