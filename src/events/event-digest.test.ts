import { describe, expect, it } from 'vitest';
import { Coverage } from '../core/coverage.js';
import type { KubeObject } from '../core/kube-object.js';
import { Snapshot } from '../core/snapshot.js';
import { digestEvents } from './event-digest.js';

// A Deployment with a ReplicaSet and two pods, owner references as the controllers write them.
const deployment: KubeObject = {
  kind: 'Deployment',
  apiVersion: 'apps/v1',
  metadata: { name: 'api', namespace: 'shop', uid: 'd1' },
};
const replicaSet: KubeObject = {
  kind: 'ReplicaSet',
  apiVersion: 'apps/v1',
  metadata: {
    name: 'api-7d9f8c',
    namespace: 'shop',
    uid: 'r1',
    ownerReferences: [
      { apiVersion: 'apps/v1', kind: 'Deployment', name: 'api', uid: 'd1', controller: true },
    ],
  },
};
const pod = (name: string, uid: string): KubeObject => ({
  kind: 'Pod',
  apiVersion: 'v1',
  metadata: {
    name,
    namespace: 'shop',
    uid,
    ownerReferences: [
      { apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'api-7d9f8c', uid: 'r1', controller: true },
    ],
  },
});
const statefulSet: KubeObject = {
  kind: 'StatefulSet',
  apiVersion: 'apps/v1',
  metadata: { name: 'db', namespace: 'shop', uid: 's1' },
};

let seq = 0;
const event = (
  pod: string,
  type: string,
  reason: string,
  message: string,
  first: string,
  last: string,
  count: number,
): KubeObject => ({
  kind: 'Event',
  apiVersion: 'v1',
  metadata: { name: `${pod}.${String(seq++)}`, namespace: 'shop' },
  involvedObject: { kind: 'Pod', namespace: 'shop', name: pod },
  type,
  reason,
  message,
  firstTimestamp: first,
  lastTimestamp: last,
  count,
  source: { component: 'kubelet' },
});

function snapshotOf(objects: KubeObject[]): Snapshot {
  return new Snapshot({ objects, coverage: new Coverage(), capturedAt: new Date('2026-11-20T03:12:00Z') });
}

const objects = [
  deployment,
  replicaSet,
  pod('api-7d9f8c-aaaaa', '3f1c2a7e-5b9d-4e8f-a1c2-0d9e8f7a6b51'),
  pod('api-7d9f8c-bbbbb', '8a2b4c6d-1e3f-4a5b-9c8d-7e6f5a4b3c22'),
  statefulSet,
  event(
    'api-7d9f8c-aaaaa',
    'Warning',
    'BackOff',
    'Back-off restarting failed container api in pod api-7d9f8c-aaaaa_shop(3f1c2a7e-5b9d-4e8f-a1c2-0d9e8f7a6b51)',
    '2026-11-20T03:04:00Z',
    '2026-11-20T03:11:00Z',
    10,
  ),
  event(
    'api-7d9f8c-bbbbb',
    'Warning',
    'BackOff',
    'Back-off restarting failed container api in pod api-7d9f8c-bbbbb_shop(8a2b4c6d-1e3f-4a5b-9c8d-7e6f5a4b3c22)',
    '2026-11-20T03:05:00Z',
    '2026-11-20T03:11:30Z',
    7,
  ),
  event(
    'api-7d9f8c-aaaaa',
    'Normal',
    'Pulled',
    'Container image "api:1.15" already present on machine',
    '2026-11-20T03:04:00Z',
    '2026-11-20T03:11:00Z',
    10,
  ),
  event(
    'api-7d9f8c-aaaaa',
    'Normal',
    'Killing',
    'Stopping container api',
    '2026-11-20T03:03:00Z',
    '2026-11-20T03:03:00Z',
    1,
  ),
  // A pod that is gone: its events still belong to the ReplicaSet (by name) and so the Deployment.
  event(
    'api-7d9f8c-ccccc',
    'Warning',
    'BackOff',
    'Back-off restarting failed container api in pod api-7d9f8c-ccccc_shop(c0ffee00-1234-4abc-8def-0123456789ab)',
    '2026-11-20T02:00:00Z',
    '2026-11-20T02:30:00Z',
    4,
  ),
  event(
    'db-0',
    'Warning',
    'Unhealthy',
    'Readiness probe failed: connection refused',
    '2026-11-20T03:10:00Z',
    '2026-11-20T03:10:30Z',
    3,
  ),
];

describe('digestEvents', () => {
  it('folds sibling pods’ repeats under the Deployment, Warnings first, routine churn hidden', () => {
    const snapshot = snapshotOf(objects);
    expect(digestEvents(snapshot.events(), snapshot, { includeRoutine: false })).toEqual({
      groups: [
        {
          object: { kind: 'Deployment', namespace: 'shop', name: 'api' },
          events: [
            {
              type: 'Warning',
              reason: 'BackOff',
              message:
                'Back-off restarting failed container api in pod api-7d9f8c-bbbbb_shop(8a2b4c6d-1e3f-4a5b-9c8d-7e6f5a4b3c22)',
              count: 21,
              firstSeen: '2026-11-20T02:00:00Z',
              lastSeen: '2026-11-20T03:11:30Z',
              objects: [
                { kind: 'Pod', namespace: 'shop', name: 'api-7d9f8c-aaaaa' },
                { kind: 'Pod', namespace: 'shop', name: 'api-7d9f8c-bbbbb' },
                { kind: 'Pod', namespace: 'shop', name: 'api-7d9f8c-ccccc' },
              ],
              source: 'kubelet',
            },
            {
              type: 'Normal',
              reason: 'Killing',
              message: 'Stopping container api',
              count: 1,
              firstSeen: '2026-11-20T03:03:00Z',
              lastSeen: '2026-11-20T03:03:00Z',
              objects: [{ kind: 'Pod', namespace: 'shop', name: 'api-7d9f8c-aaaaa' }],
              source: 'kubelet',
            },
          ],
        },
        {
          // db-0 is not in the snapshot, but StatefulSet db is: the pod belongs to it by name.
          object: { kind: 'StatefulSet', namespace: 'shop', name: 'db' },
          events: [
            {
              type: 'Warning',
              reason: 'Unhealthy',
              message: 'Readiness probe failed: connection refused',
              count: 3,
              firstSeen: '2026-11-20T03:10:00Z',
              lastSeen: '2026-11-20T03:10:30Z',
              objects: [{ kind: 'Pod', namespace: 'shop', name: 'db-0' }],
              source: 'kubelet',
            },
          ],
        },
      ],
      hiddenRoutine: 1,
      hiddenOld: 0,
    });
  });

  it('keeps routine events with includeRoutine, drops old ones with since, and filters by object', () => {
    const snapshot = snapshotOf(objects);
    const all = digestEvents(snapshot.events(), snapshot, { includeRoutine: true });
    expect(all.hiddenRoutine).toBe(0);
    expect(all.groups[0]?.events.map((e) => e.reason)).toEqual(['BackOff', 'Pulled', 'Killing']);

    const recent = digestEvents(snapshot.events(), snapshot, {
      includeRoutine: false,
      sinceMs: Date.parse('2026-11-20T03:00:00Z'),
    });
    expect(recent.hiddenOld).toBe(1);
    expect(recent.groups[0]?.events[0]).toMatchObject({ count: 17, firstSeen: '2026-11-20T03:04:00Z' });

    const onlyDb = digestEvents(snapshot.events(), snapshot, {
      includeRoutine: false,
      onlyObjects: new Set(['Pod/shop/db-0']),
    });
    expect(onlyDb.groups.map((g) => g.object.name)).toEqual(['db']);
  });

  it('folds a ReplicaSet’s "Created pod" events that differ only by the pod’s generated suffix', () => {
    const created = (podName: string): KubeObject => ({
      kind: 'Event',
      metadata: { name: `rs.${podName}`, namespace: 'shop' },
      involvedObject: { kind: 'ReplicaSet', namespace: 'shop', name: 'api-7d9f8c', uid: 'r1' },
      type: 'Normal',
      reason: 'SuccessfulCreate',
      message: `Created pod: ${podName}`,
      count: 1,
      lastTimestamp: '2026-11-20T03:04:00Z',
    });
    const snapshot = snapshotOf([
      deployment,
      replicaSet,
      created('api-7d9f8c-aaaaa'),
      created('api-7d9f8c-bbbbb'),
      created('api-7d9f8c-ccccc'),
    ]);
    const digest = digestEvents(snapshot.events(), snapshot, { includeRoutine: true });
    expect(digest.groups).toHaveLength(1);
    expect(digest.groups[0]?.events).toHaveLength(1);
    expect(digest.groups[0]?.events[0]?.count).toBe(3);
  });

  it('orders by time, not by how the time is written (fractional seconds)', () => {
    const at = (name: string, reason: string, time: string): KubeObject => ({
      kind: 'Event',
      metadata: { name, namespace: 'shop' },
      involvedObject: { kind: 'Pod', namespace: 'shop', name: 'db-0' },
      type: 'Normal',
      reason,
      message: reason,
      eventTime: time,
    });
    // 44.764227 is later than 44, though "44Z" sorts after "44.7…Z" as text.
    const snapshot = snapshotOf([
      statefulSet,
      at('a', 'Whole', '2023-07-11T05:34:44Z'),
      at('b', 'Fraction', '2023-07-11T05:34:44.764227Z'),
    ]);
    const digest = digestEvents(snapshot.events(), snapshot, { includeRoutine: true });
    expect(digest.groups[0]?.events.map((e) => e.reason)).toEqual(['Fraction', 'Whole']);
  });
});
