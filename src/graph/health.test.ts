import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { Coverage } from '../core/coverage.js';
import type { KubeObject } from '../core/kube-object.js';
import { Snapshot } from '../core/snapshot.js';
import { buildGraph } from './build-graph.js';
import { healthOf, type Health } from './health.js';
import { realdataPath } from '../../test/support/realdata.js';

const realPods = (file: string): KubeObject[] => {
  const parsed = JSON.parse(readFileSync(realdataPath(`pods/${file}`), 'utf8')) as {
    items?: KubeObject[];
  } & Partial<KubeObject>;
  return parsed.items ?? [{ ...parsed, kind: 'Pod' } as KubeObject];
};

function healthOfAll(
  objects: readonly KubeObject[],
  read: readonly string[] = ['Pod'],
): Record<string, Health> {
  const coverage = new Coverage();
  for (const kind of read) coverage.add(kind);
  const snapshot = new Snapshot({
    objects,
    coverage,
    capturedAt: new Date('2026-11-20T00:00:00Z'),
  });
  const graph = buildGraph(snapshot);
  return Object.fromEntries(
    objects.map((o) => [
      `${o.kind}/${o.metadata.name}`,
      healthOf(graph.nodeByKey(`${o.kind}/${o.metadata.namespace ?? ''}/${o.metadata.name}`)!, graph),
    ]),
  );
}

describe('healthOf on real captured pods', () => {
  it('reads the failing state the kubelet reported', () => {
    expect(healthOfAll(realPods('troubleshoot_crashloop-exit127-containercannotrun_podlist.json'))).toEqual({
      'Pod/init-demo': { state: 'failing', reason: 'CrashLoopBackOff' },
    });
    expect(healthOfAll(realPods('troubleshoot_errimagepull_podlist.json'))).toEqual({
      'Pod/no-image-deployment-849c4c4958-rxqmt': { state: 'failing', reason: 'ErrImagePull' },
    });
    expect(healthOfAll(realPods('troubleshoot_oomkilled-job-pod_podlist.json'))).toEqual({
      'Pod/oom-kill-job3-gbb89': { state: 'failing', reason: 'OOMKilled' },
    });
    expect(healthOfAll(realPods('troubleshoot_pending-unschedulable-insufficient-gpu_podlist.json'))).toEqual(
      {
        'Pod/pending-pod-resources-5fddcf7688-djjfc': { state: 'failing', reason: 'Unschedulable' },
      },
    );
    // An init container in CrashLoopBackOff keeps the pod Pending: the init container is the failure.
    expect(
      healthOfAll(realPods('insights_init-crashloop-7527-restarts_vsystem-867f4b77cc-pqcns.json')),
    ).toEqual({
      'Pod/vsystem-867f4b77cc-pqcns': { state: 'failing', reason: 'CrashLoopBackOff' },
    });
  });
});

describe('healthOf', () => {
  const meta = (name: string, namespace?: string): KubeObject['metadata'] => ({
    name,
    ...(namespace === undefined ? {} : { namespace }),
  });

  it('grades workloads by ready replicas and a stuck rollout', () => {
    expect(
      healthOfAll([
        {
          kind: 'Deployment',
          metadata: meta('all', 'a'),
          spec: { replicas: 3 },
          status: { readyReplicas: 3 },
        },
        {
          kind: 'Deployment',
          metadata: meta('some', 'a'),
          spec: { replicas: 3 },
          status: { readyReplicas: 1 },
        },
        { kind: 'Deployment', metadata: meta('none', 'a'), spec: { replicas: 2 }, status: {} },
        { kind: 'Deployment', metadata: meta('zero', 'a'), spec: { replicas: 0 }, status: {} },
        {
          kind: 'Deployment',
          metadata: meta('stuck', 'a'),
          spec: { replicas: 2 },
          status: {
            readyReplicas: 2,
            conditions: [{ type: 'Progressing', status: 'False', reason: 'ProgressDeadlineExceeded' }],
          },
        },
        {
          kind: 'DaemonSet',
          metadata: meta('ds', 'a'),
          status: { desiredNumberScheduled: 4, numberReady: 3 },
        },
        {
          kind: 'Job',
          metadata: meta('failed', 'a'),
          status: { conditions: [{ type: 'Failed', status: 'True', reason: 'BackoffLimitExceeded' }] },
        },
        {
          kind: 'Job',
          metadata: meta('done', 'a'),
          status: { conditions: [{ type: 'Complete', status: 'True' }] },
        },
      ]),
    ).toEqual({
      'Deployment/all': { state: 'ready' },
      'Deployment/some': { state: 'degraded', reason: '1/3 ready' },
      'Deployment/none': { state: 'failing', reason: '0/2 ready' },
      'Deployment/zero': { state: 'ready', reason: 'scaled to 0' },
      'Deployment/stuck': { state: 'failing', reason: 'ProgressDeadlineExceeded' },
      'DaemonSet/ds': { state: 'degraded', reason: '3/4 ready' },
      'Job/failed': { state: 'failing', reason: 'BackoffLimitExceeded' },
      'Job/done': { state: 'ready', reason: 'Complete' },
    });
  });

  it('grades nodes by Ready, cordon and pressure', () => {
    const ready = { type: 'Ready', status: 'True' };
    expect(
      healthOfAll([
        { kind: 'Node', metadata: meta('ok'), status: { conditions: [ready] } },
        {
          kind: 'Node',
          metadata: meta('down'),
          status: { conditions: [{ type: 'Ready', status: 'Unknown', reason: 'NodeStatusUnknown' }] },
        },
        {
          kind: 'Node',
          metadata: meta('cordoned'),
          spec: { unschedulable: true },
          status: { conditions: [ready] },
        },
        {
          kind: 'Node',
          metadata: meta('full'),
          status: { conditions: [ready, { type: 'DiskPressure', status: 'True' }] },
        },
      ]),
    ).toEqual({
      'Node/ok': { state: 'ready' },
      'Node/down': { state: 'failing', reason: 'NotReady' },
      'Node/cordoned': { state: 'degraded', reason: 'cordoned' },
      'Node/full': { state: 'degraded', reason: 'DiskPressure' },
    });
  });

  it('grades a Service by the pods it selects', () => {
    const pod = (name: string, ready: boolean): KubeObject => ({
      kind: 'Pod',
      metadata: { name, namespace: 'a', labels: { app: name.split('-')[0] ?? '' } },
      status: { phase: 'Running', conditions: [{ type: 'Ready', status: ready ? 'True' : 'False' }] },
    });
    const service = (name: string, selector?: Record<string, string>): KubeObject => ({
      kind: 'Service',
      metadata: meta(name, 'a'),
      spec: selector === undefined ? {} : { selector },
    });
    expect(
      healthOfAll([
        pod('web-1', true),
        pod('api-1', false),
        service('web', { app: 'web' }),
        service('api', { app: 'api' }),
        service('typo', { app: 'webapp' }),
        service('external'),
      ]),
    ).toMatchObject({
      'Service/web': { state: 'ready' },
      'Service/api': { state: 'failing', reason: 'no ready pods' },
      'Service/typo': { state: 'failing', reason: 'selects no pods' },
      'Service/external': { state: 'ready' },
      'Pod/api-1': { state: 'degraded', reason: 'not Ready' },
    });
  });

  it('does not call a Service that selects none of the pods read failing when pods were not read', () => {
    const typo: KubeObject = {
      kind: 'Service',
      metadata: meta('typo', 'a'),
      spec: { selector: { app: 'webapp' } },
    };
    expect(healthOfAll([typo], [])).toMatchObject({
      'Service/typo': { state: 'unknown', reason: 'pods not read' },
    });
  });
});

describe('healthOf a chaos experiment', () => {
  it('is degraded while it faults pods, saying what it injects, and ready once paused', () => {
    const experiment = (paused: boolean): KubeObject => ({
      apiVersion: 'chaos-mesh.org/v1alpha1',
      kind: 'PodChaos',
      metadata: {
        name: 'kill-db',
        namespace: 'shop',
        creationTimestamp: '2026-11-19T23:55:00Z',
        ...(paused ? { annotations: { 'experiment.chaos-mesh.org/pause': 'true' } } : {}),
      },
      spec: {
        action: 'pod-failure',
        mode: 'all',
        duration: '1h',
        selector: { labelSelectors: { app: 'db' } },
      },
    });
    const db: KubeObject = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'db-0', namespace: 'shop', labels: { app: 'db' } },
      status: { phase: 'Running', conditions: [{ type: 'Ready', status: 'False' }] },
    };
    expect(healthOfAll([experiment(false), db])['PodChaos/kill-db']).toEqual({
      state: 'degraded',
      reason: 'injecting PodChaos pod-failure (1 target)',
    });
    expect(healthOfAll([experiment(true), db])['PodChaos/kill-db']).toEqual({ state: 'ready' });
    // Faulting none of the pods read says nothing where pods were not read.
    expect(healthOfAll([experiment(false)], [])['PodChaos/kill-db']).toEqual({
      state: 'unknown',
      reason: 'pods not read',
    });
  });
});
