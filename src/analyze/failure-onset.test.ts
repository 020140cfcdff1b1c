import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../core/kube-object.js';
import { contextOf } from '../../test/support/analyzer-context.js';
import { failingObjects } from './failure-onset.js';

const pod = (
  name: string,
  status: Record<string, unknown>,
  created = '2026-11-20T03:00:00Z',
): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, namespace: 'shop', uid: name, creationTimestamp: created, labels: { app: 'api' } },
  spec: { containers: [{ name: 'api', image: 'api:2' }] },
  status,
});
const waiting = (reason: string, extra: Record<string, unknown> = {}) => ({
  phase: 'Pending',
  containerStatuses: [
    { name: 'api', ready: false, restartCount: 0, state: { waiting: { reason } }, ...extra },
  ],
});

function failing(objects: readonly KubeObject[]) {
  const { snapshot, graph } = contextOf(objects);
  return [...failingObjects(snapshot, graph).values()].map((f) => ({
    name: f.ref.name,
    classes: f.classes,
    state: f.state,
    since: f.since === undefined ? undefined : new Date(f.since).toISOString(),
  }));
}

describe('failingObjects', () => {
  it('reads the same words whichever turn of a back-off it is read at', () => {
    const crashedThenUp = {
      phase: 'Running',
      containerStatuses: [
        {
          name: 'api',
          ready: true,
          restartCount: 5,
          state: { running: { startedAt: '2026-11-20T03:11:58Z' } },
          lastState: { terminated: { exitCode: 1, reason: 'Error', finishedAt: '2026-11-20T03:11:57Z' } },
        },
      ],
    };
    expect(
      failing([
        pod('pull-1', waiting('ErrImagePull')),
        pod('pull-2', waiting('ImagePullBackOff')),
        pod('crash-1', waiting('CrashLoopBackOff', { restartCount: 5 })),
        pod('crash-2', crashedThenUp),
      ]).map((f) => `${f.name}: ${f.classes.join(',')} ${f.state}`),
    ).toEqual([
      'pull-1: image api ImagePullBackOff',
      'pull-2: image api ImagePullBackOff',
      'crash-1: crash api CrashLoopBackOff',
      'crash-2: crash api CrashLoopBackOff',
    ]);
  });

  it('dates a pod not ready from when it turned, one never placed from its creation, a Service from its pods', () => {
    const unready = pod(
      'unready',
      {
        phase: 'Running',
        conditions: [{ type: 'Ready', status: 'False', lastTransitionTime: '2026-11-20T03:05:00Z' }],
        containerStatuses: [{ name: 'api', ready: false, restartCount: 0, state: { running: {} } }],
      },
      '2026-11-19T00:00:00Z',
    );
    const pending = pod('pending', {
      phase: 'Pending',
      conditions: [
        {
          type: 'PodScheduled',
          status: 'False',
          reason: 'Unschedulable',
          message: '0/2 nodes are available: 2 Insufficient cpu.',
        },
      ],
    });
    const service: KubeObject = {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'api', namespace: 'shop' },
      spec: { selector: { app: 'api' } },
    };
    expect(failing([unready, pending, service])).toEqual([
      { name: 'unready', classes: ['unready'], state: 'not ready', since: '2026-11-20T03:05:00.000Z' },
      {
        name: 'pending',
        classes: ['pending-resources'],
        state: 'Pending: insufficient resources',
        since: '2026-11-20T03:00:00.000Z',
      },
      {
        name: 'api',
        classes: ['no-endpoints'],
        state: 'no ready endpoints',
        since: '2026-11-20T03:00:00.000Z',
      },
    ]);
  });
});
