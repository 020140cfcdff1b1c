import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../core/kube-object.js';
import { Snapshot } from '../../core/snapshot.js';
import { contextOf } from '../../../test/support/analyzer-context.js';
import { restartFlapping } from './restart-flapping.js';

/** A pod started six hours before the snapshot, its container running and ready since 03:01. */
function workerPod(restartCount: number, lastState: object, state: object = {}): KubeObject {
  return {
    kind: 'Pod',
    metadata: { name: 'worker-7c9d8-q4x2z', namespace: 'jobs', uid: 'p-1' },
    spec: { containers: [{ name: 'worker', image: 'shop/worker:2.3.0' }] },
    status: {
      phase: 'Running',
      startTime: '2026-11-19T21:12:00Z',
      containerStatuses: [
        {
          name: 'worker',
          ready: true,
          started: true,
          restartCount,
          state: { running: { startedAt: '2026-11-20T03:01:05Z' } },
          lastState,
          ...state,
        },
      ],
    },
  };
}

const crashed = (finishedAt: string, reason = 'Error', exitCode = 1): object => ({
  terminated: { exitCode, reason, startedAt: '2026-11-20T02:31:40Z', finishedAt },
});

describe('restart-flapping', () => {
  it('leaves alone steady containers, old restarts, crash loops, OOM kills and probe restarts', () => {
    const steady = workerPod(0, {});
    const longAgo = workerPod(12, crashed('2026-11-19T23:40:00Z'));
    const looping = workerPod(12, crashed('2026-11-20T03:00:58Z'), {
      ready: false,
      state: {
        waiting: { reason: 'CrashLoopBackOff', message: 'back-off 5m0s restarting failed container' },
      },
    });
    const oom = workerPod(12, crashed('2026-11-20T03:00:58Z', 'OOMKilled', 137));
    const probed = workerPod(12, crashed('2026-11-20T03:00:58Z', 'Error', 137));
    const killing: KubeObject = {
      kind: 'Event',
      metadata: { name: 'worker-7c9d8-q4x2z.killing', namespace: 'jobs' },
      involvedObject: {
        kind: 'Pod',
        namespace: 'jobs',
        name: 'worker-7c9d8-q4x2z',
        fieldPath: 'spec.containers{worker}',
      },
      type: 'Normal',
      reason: 'Killing',
      message: 'Container worker failed liveness probe, will be restarted',
      count: 12,
      lastTimestamp: '2026-11-20T03:00:50Z',
    };
    for (const pod of [steady, longAgo, looping, oom])
      expect(restartFlapping.detect(pod, contextOf([pod]))).toEqual([]);
    expect(restartFlapping.detect(probed, contextOf([probed, killing]))).toEqual([]);
  });

  it('warns of a ready container that keeps dying, with how it last ended and its previous log', () => {
    const pod = workerPod(12, crashed('2026-11-20T03:01:04Z'));
    const context = contextOf([pod]);
    const withLog = {
      ...context,
      snapshot: new Snapshot({
        objects: [pod],
        coverage: context.snapshot.coverage,
        capturedAt: context.now,
        logs: [
          {
            namespace: 'jobs',
            pod: 'worker-7c9d8-q4x2z',
            container: 'worker',
            previous: true,
            text: 'consuming orders\nERROR lost connection to amqp://rabbitmq:5672: connection reset by peer\nexiting\n',
          },
        ],
      }),
    };
    expect(restartFlapping.detect(pod, withLog)).toEqual([
      {
        ruleId: 'restart-flapping',
        severity: 'warning',
        resource: { kind: 'Pod', namespace: 'jobs', name: 'worker-7c9d8-q4x2z' },
        message:
          'container worker keeps restarting: 12 restarts, the last 10m ago (exit code 1: application error), running again now',
        evidence: [
          {
            source: 'status',
            text: 'container worker: running and ready since 2026-11-20T03:01:05Z, 12 restarts since the pod started 6h ago',
          },
          {
            source: 'status',
            text: 'last termination: Error, exit code 1, finished 2026-11-20T03:01:04Z (10m ago)',
          },
          {
            source: 'log',
            text: 'previous log: ERROR lost connection to amqp://rabbitmq:5672: connection reset by peer',
          },
        ],
        fix: {
          summary:
            'read why the last instance ended in its previous log (the current one only shows the restart); fix that, or, if it is a dependency dropping, make the app retry instead of exiting',
          commands: [
            'kubectl -n jobs logs worker-7c9d8-q4x2z -c worker --previous',
            'kubectl -n jobs get events --field-selector involvedObject.name=worker-7c9d8-q4x2z',
          ],
        },
      },
    ]);
  });
});
