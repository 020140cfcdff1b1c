import { describe, expect, it } from 'vitest';
import { Coverage } from '../core/coverage.js';
import type { KubeObject } from '../core/kube-object.js';
import { Snapshot } from '../core/snapshot.js';
import { digestEvents, type DigestOptions, type EventDigest } from './event-digest.js';

// Two Deployments in shop, each with a ReplicaSet and pods; owner references as controllers set them.
const controllerRef = (kind: string, name: string, uid: string) =>
  [{ apiVersion: 'apps/v1', kind, name, uid, controller: true, blockOwnerDeletion: true }] as const;
const deployment = (name: string, uid: string): KubeObject => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name, namespace: 'shop', uid, creationTimestamp: '2026-11-19T10:00:00Z' },
});
const replicaSet = (
  name: string,
  uid: string,
  deploymentName: string,
  deploymentUid: string,
): KubeObject => ({
  apiVersion: 'apps/v1',
  kind: 'ReplicaSet',
  metadata: {
    name,
    namespace: 'shop',
    uid,
    ownerReferences: [...controllerRef('Deployment', deploymentName, deploymentUid)],
  },
});
const pod = (name: string, uid: string, rsName: string, rsUid: string): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: {
    name,
    namespace: 'shop',
    uid,
    ownerReferences: [...controllerRef('ReplicaSet', rsName, rsUid)],
  },
});

const API_POD_1 = { name: 'api-7d9f8c-x2x9q', uid: '3f1c2a7e-5b9d-4e8f-a1c2-0d9e8f7a6b51' };
const API_POD_2 = { name: 'api-7d9f8c-k4m2p', uid: '8a2b4c6d-1e3f-4a5b-9c8d-7e6f5a4b3c22' };
const WEB_POD = { name: 'web-5c7d9b8f4d-qt6zn', uid: '0a9b8c7d-6e5f-4a3b-2c1d-0e9f8a7b6c5d' };

const objects: KubeObject[] = [
  deployment('api', 'uid-deploy-api'),
  replicaSet('api-7d9f8c', 'uid-rs-api', 'api', 'uid-deploy-api'),
  pod(API_POD_1.name, API_POD_1.uid, 'api-7d9f8c', 'uid-rs-api'),
  pod(API_POD_2.name, API_POD_2.uid, 'api-7d9f8c', 'uid-rs-api'),
  deployment('web', 'uid-deploy-web'),
  replicaSet('web-5c7d9b8f4d', 'uid-rs-web', 'web', 'uid-deploy-web'),
  pod(WEB_POD.name, WEB_POD.uid, 'web-5c7d9b8f4d', 'uid-rs-web'),
];

interface Occurrence {
  readonly type: 'Normal' | 'Warning';
  readonly reason: string;
  readonly message: string;
  readonly count: number;
  readonly first: string;
  readonly last: string;
}

let sequence = 0;
/** A core/v1 Event as the kubelet records it about a container of a pod. */
function podEvent(target: { name: string; uid: string }, occurrence: Occurrence): KubeObject {
  sequence++;
  return {
    apiVersion: 'v1',
    kind: 'Event',
    metadata: {
      name: `${target.name}.17e1a3c4d5e6f${sequence.toString(16).padStart(3, '0')}`,
      namespace: 'shop',
      creationTimestamp: occurrence.first,
    },
    involvedObject: {
      apiVersion: 'v1',
      kind: 'Pod',
      namespace: 'shop',
      name: target.name,
      uid: target.uid,
      fieldPath: 'spec.containers{app}',
    },
    reason: occurrence.reason,
    message: occurrence.message,
    source: { component: 'kubelet', host: 'worker-1' },
    firstTimestamp: occurrence.first,
    lastTimestamp: occurrence.last,
    count: occurrence.count,
    type: occurrence.type,
    eventTime: null,
    reportingComponent: 'kubelet',
    reportingInstance: 'worker-1',
  };
}

const backOff = (
  target: { name: string; uid: string },
  count: number,
  first: string,
  last: string,
): KubeObject =>
  podEvent(target, {
    type: 'Warning',
    reason: 'BackOff',
    message: `Back-off restarting failed container app in pod ${target.name}_shop(${target.uid})`,
    count,
    first,
    last,
  });

function digest(events: readonly KubeObject[], options: DigestOptions): EventDigest {
  const snapshot = new Snapshot({
    objects: [...objects, ...events],
    coverage: new Coverage(),
    capturedAt: new Date('2026-11-20T03:12:00Z'),
  });
  return digestEvents(snapshot.events(), snapshot, options);
}

const apiRef = (name: string) => ({ kind: 'Pod', namespace: 'shop', name });

describe('digestEvents folding', () => {
  it('folds one repeat across sibling pods: counts sum, first/last seen are the extremes, newest message kept', () => {
    const result = digest(
      [
        backOff(API_POD_1, 14, '2026-11-20T03:01:00Z', '2026-11-20T03:09:00Z'),
        backOff(API_POD_2, 9, '2026-11-20T02:58:00Z', '2026-11-20T03:11:40Z'),
      ],
      { includeRoutine: false },
    );
    expect(result).toEqual({
      groups: [
        {
          object: { kind: 'Deployment', namespace: 'shop', name: 'api' },
          events: [
            {
              type: 'Warning',
              reason: 'BackOff',
              message: `Back-off restarting failed container app in pod ${API_POD_2.name}_shop(${API_POD_2.uid})`,
              count: 23,
              firstSeen: '2026-11-20T02:58:00Z',
              lastSeen: '2026-11-20T03:11:40Z',
              objects: [apiRef(API_POD_1.name), apiRef(API_POD_2.name)],
              source: 'kubelet',
            },
          ],
        },
      ],
      hiddenRoutine: 0,
      hiddenOld: 0,
    });
  });

  it('does not fold messages that differ in more than the pod', () => {
    const result = digest(
      [
        podEvent(API_POD_1, {
          type: 'Warning',
          reason: 'Failed',
          message: 'Error: ErrImagePull',
          count: 3,
          first: '2026-11-20T03:00:00Z',
          last: '2026-11-20T03:05:00Z',
        }),
        podEvent(API_POD_2, {
          type: 'Warning',
          reason: 'Failed',
          message: 'Error: ImagePullBackOff',
          count: 8,
          first: '2026-11-20T03:00:10Z',
          last: '2026-11-20T03:06:00Z',
        }),
      ],
      { includeRoutine: false },
    );
    expect(result.groups.map((group) => group.events.map((event) => [event.message, event.count]))).toEqual([
      [
        ['Error: ImagePullBackOff', 8],
        ['Error: ErrImagePull', 3],
      ],
    ]);
  });

  it('does not fold the same message across two Deployments: each gets its group', () => {
    const result = digest(
      [
        backOff(API_POD_1, 5, '2026-11-20T03:00:00Z', '2026-11-20T03:10:00Z'),
        backOff(WEB_POD, 2, '2026-11-20T03:04:00Z', '2026-11-20T03:11:00Z'),
      ],
      { includeRoutine: false },
    );
    expect(
      result.groups.map((group) => [group.object.name, group.events.map((event) => event.count)]),
    ).toEqual([
      ['web', [2]],
      ['api', [5]],
    ]);
  });

  it('puts Warnings before Normal events even when the Normal one is newer, then the newest first', () => {
    const result = digest(
      [
        podEvent(API_POD_1, {
          type: 'Normal',
          reason: 'Killing',
          message: 'Container app failed liveness probe, will be restarted',
          count: 4,
          first: '2026-11-20T03:02:00Z',
          last: '2026-11-20T03:11:50Z',
        }),
        podEvent(API_POD_1, {
          type: 'Warning',
          reason: 'Unhealthy',
          message: 'Liveness probe failed: HTTP probe failed with statuscode: 500',
          count: 12,
          first: '2026-11-20T03:01:00Z',
          last: '2026-11-20T03:11:30Z',
        }),
        backOff(API_POD_1, 6, '2026-11-20T03:03:00Z', '2026-11-20T03:08:00Z'),
      ],
      { includeRoutine: false },
    );
    expect(result.groups[0]?.events.map((event) => [event.type, event.reason])).toEqual([
      ['Warning', 'Unhealthy'],
      ['Warning', 'BackOff'],
      ['Normal', 'Killing'],
    ]);
  });

  it('orders groups: those with a Warning first, the most recent Warning first among them', () => {
    const result = digest(
      [
        // web has only a newer, non-routine Normal event.
        podEvent(WEB_POD, {
          type: 'Normal',
          reason: 'Killing',
          message: 'Stopping container app',
          count: 1,
          first: '2026-11-20T03:11:59Z',
          last: '2026-11-20T03:11:59Z',
        }),
        backOff(API_POD_1, 3, '2026-11-20T03:00:00Z', '2026-11-20T03:05:00Z'),
      ],
      { includeRoutine: false },
    );
    expect(result.groups.map((group) => group.object.name)).toEqual(['api', 'web']);
  });

  it('hides routine Normal events and counts them, unless asked to include them', () => {
    const pulled = podEvent(API_POD_1, {
      type: 'Normal',
      reason: 'Pulled',
      message: 'Container image "registry.example.com/api:1.15" already present on machine',
      count: 14,
      first: '2026-11-20T03:01:00Z',
      last: '2026-11-20T03:09:00Z',
    });
    const started = podEvent(API_POD_2, {
      type: 'Normal',
      reason: 'Started',
      message: 'Started container app',
      count: 9,
      first: '2026-11-20T02:58:00Z',
      last: '2026-11-20T03:11:40Z',
    });
    const warning = backOff(API_POD_1, 14, '2026-11-20T03:01:00Z', '2026-11-20T03:09:00Z');

    const quiet = digest([pulled, started, warning], { includeRoutine: false });
    expect(quiet.hiddenRoutine).toBe(2);
    expect(quiet.groups.flatMap((group) => group.events.map((event) => event.reason))).toEqual(['BackOff']);

    const everything = digest([pulled, started, warning], { includeRoutine: true });
    expect(everything.hiddenRoutine).toBe(0);
    expect(everything.groups.flatMap((group) => group.events.map((event) => event.reason))).toEqual([
      'BackOff',
      'Started',
      'Pulled',
    ]);
  });

  it('leaves out events last seen before --since and counts them; an old routine event counts as old', () => {
    // What `events --since 15m` computes from the capture's moment.
    const since = new Date(Date.parse('2026-11-20T03:12:00Z') - 15 * 60_000).toISOString();
    const result = digest(
      [
        backOff(API_POD_1, 40, '2026-11-20T01:00:00Z', '2026-11-20T02:56:59Z'),
        // Started long ago but still happening: it stays.
        backOff(WEB_POD, 7, '2026-11-20T01:00:00Z', '2026-11-20T03:10:00Z'),
        // Seen exactly at the boundary: it stays.
        podEvent(API_POD_2, {
          type: 'Warning',
          reason: 'Unhealthy',
          message: 'Readiness probe failed: Get "http://10.244.1.7:8080/ready": context deadline exceeded',
          count: 1,
          first: '2026-11-20T02:57:00Z',
          last: '2026-11-20T02:57:00Z',
        }),
        podEvent(API_POD_2, {
          type: 'Normal',
          reason: 'Pulled',
          message: 'Container image "registry.example.com/api:1.15" already present on machine',
          count: 1,
          first: '2026-11-20T02:40:00Z',
          last: '2026-11-20T02:40:00Z',
        }),
      ],
      { includeRoutine: false, sinceMs: Date.parse(since) },
    );
    expect(result.hiddenOld).toBe(2);
    expect(result.hiddenRoutine).toBe(0);
    expect(
      result.groups.map((group) => [group.object.name, group.events.map((event) => event.reason)]),
    ).toEqual([
      ['web', ['BackOff']],
      ['api', ['Unhealthy']],
    ]);
  });

  it('keeps only events about the objects asked for, without counting the others as hidden', () => {
    const result = digest(
      [
        backOff(API_POD_1, 5, '2026-11-20T03:00:00Z', '2026-11-20T03:10:00Z'),
        backOff(API_POD_2, 4, '2026-11-20T03:00:00Z', '2026-11-20T03:11:00Z'),
        backOff(WEB_POD, 2, '2026-11-20T03:04:00Z', '2026-11-20T03:11:00Z'),
      ],
      { includeRoutine: false, onlyObjects: new Set([`Pod/shop/${API_POD_2.name}`]) },
    );
    expect(result).toEqual({
      groups: [
        {
          object: { kind: 'Deployment', namespace: 'shop', name: 'api' },
          events: [
            {
              type: 'Warning',
              reason: 'BackOff',
              message: `Back-off restarting failed container app in pod ${API_POD_2.name}_shop(${API_POD_2.uid})`,
              count: 4,
              firstSeen: '2026-11-20T03:00:00Z',
              lastSeen: '2026-11-20T03:11:00Z',
              objects: [apiRef(API_POD_2.name)],
              source: 'kubelet',
            },
          ],
        },
      ],
      hiddenRoutine: 0,
      hiddenOld: 0,
    });
  });

  it('returns no groups for no events', () => {
    expect(digest([], { includeRoutine: true })).toEqual({ groups: [], hiddenRoutine: 0, hiddenOld: 0 });
  });
});
