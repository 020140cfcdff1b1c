import { describe, expect, it } from 'vitest';
import { Coverage } from './coverage.js';
import type { KubeObject } from './kube-object.js';
import { Snapshot, type ContainerLog } from './snapshot.js';

// A Deployment, its ReplicaSet and two pods, with owner references as the controllers write them,
// a look-alike pod in another namespace, a Node, and a StatefulSet pod that was recreated.
const deployment: KubeObject = {
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: {
    name: 'api',
    namespace: 'shop',
    uid: 'a1f0c3d2-0001-4000-8000-000000000001',
    labels: { app: 'api' },
  },
};
const replicaSet: KubeObject = {
  apiVersion: 'apps/v1',
  kind: 'ReplicaSet',
  metadata: {
    name: 'api-7d9f8c',
    namespace: 'shop',
    uid: 'a1f0c3d2-0002-4000-8000-000000000002',
    labels: { app: 'api', 'pod-template-hash': '7d9f8c' },
    ownerReferences: [
      {
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        name: 'api',
        uid: 'a1f0c3d2-0001-4000-8000-000000000001',
        controller: true,
      },
    ],
  },
};
const apiPod = (name: string, uid: string): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: {
    name,
    namespace: 'shop',
    uid,
    labels: { app: 'api', 'pod-template-hash': '7d9f8c' },
    ownerReferences: [
      {
        apiVersion: 'apps/v1',
        kind: 'ReplicaSet',
        name: 'api-7d9f8c',
        uid: 'a1f0c3d2-0002-4000-8000-000000000002',
        controller: true,
      },
    ],
  },
  spec: { containers: [{ name: 'api', image: 'registry.example.com/api:1.15' }] },
});
const podA = apiPod('api-7d9f8c-x2x9q', 'a1f0c3d2-0003-4000-8000-000000000003');
const podB = apiPod('api-7d9f8c-k4m2p', 'a1f0c3d2-0004-4000-8000-000000000004');
const stagingPod: KubeObject = {
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: {
    name: 'api-6b5c4d-zz9lp',
    namespace: 'staging',
    uid: 'a1f0c3d2-0005-4000-8000-000000000005',
    labels: { app: 'api' },
  },
};
const node: KubeObject = {
  apiVersion: 'v1',
  kind: 'Node',
  metadata: {
    name: 'worker-1',
    uid: 'a1f0c3d2-0006-4000-8000-000000000006',
    labels: { 'kubernetes.io/hostname': 'worker-1' },
  },
};
const statefulSet: KubeObject = {
  apiVersion: 'apps/v1',
  kind: 'StatefulSet',
  metadata: { name: 'db', namespace: 'shop', uid: 'a1f0c3d2-0007-4000-8000-000000000007' },
};
const dbPod = (uid: string, revision: string): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: {
    name: 'db-0',
    namespace: 'shop',
    uid,
    labels: { app: 'db', 'controller-revision-hash': revision },
    ownerReferences: [
      {
        apiVersion: 'apps/v1',
        kind: 'StatefulSet',
        name: 'db',
        uid: 'a1f0c3d2-0007-4000-8000-000000000007',
        controller: true,
      },
    ],
  },
});
const dbPodBefore = dbPod('a1f0c3d2-0008-4000-8000-000000000008', 'db-5d8f7b9c6');
const dbPodAfter = dbPod('a1f0c3d2-0009-4000-8000-000000000009', 'db-6c9e8a7b5');
const backOff: KubeObject = {
  apiVersion: 'v1',
  kind: 'Event',
  metadata: { name: 'api-7d9f8c-x2x9q.17e1a3c4d5e6f7a8', namespace: 'shop' },
  involvedObject: {
    apiVersion: 'v1',
    kind: 'Pod',
    namespace: 'shop',
    name: 'api-7d9f8c-x2x9q',
    uid: 'a1f0c3d2-0003-4000-8000-000000000003',
    fieldPath: 'spec.containers{api}',
  },
  reason: 'BackOff',
  message:
    'Back-off restarting failed container api in pod api-7d9f8c-x2x9q_shop(a1f0c3d2-0003-4000-8000-000000000003)',
  source: { component: 'kubelet', host: 'worker-1' },
  firstTimestamp: '2026-11-20T03:04:10Z',
  lastTimestamp: '2026-11-20T03:11:42Z',
  count: 31,
  type: 'Warning',
};
const aboutNothing: KubeObject = {
  apiVersion: 'v1',
  kind: 'Event',
  metadata: { name: 'broken.1', namespace: 'shop' },
};
const logs: ContainerLog[] = [
  {
    namespace: 'shop',
    pod: 'api-7d9f8c-x2x9q',
    container: 'api',
    previous: false,
    text: 'starting api 1.15',
  },
  {
    namespace: 'shop',
    pod: 'api-7d9f8c-x2x9q',
    container: 'api',
    previous: true,
    text: 'panic: invalid CACHE_SIZE "unlimited"',
  },
];

const build = (): Snapshot =>
  new Snapshot({
    objects: [
      deployment,
      replicaSet,
      podA,
      podB,
      stagingPod,
      node,
      statefulSet,
      dbPodBefore,
      dbPodAfter,
      backOff,
      aboutNothing,
    ],
    logs,
    coverage: new Coverage(),
    capturedAt: new Date('2026-11-20T03:12:00Z'),
  });

describe('Snapshot indexes', () => {
  const snapshot = build();

  it('finds an object by reference, namespaced or cluster-scoped', () => {
    expect(snapshot.get({ kind: 'Pod', namespace: 'shop', name: 'api-7d9f8c-x2x9q' })).toBe(podA);
    expect(snapshot.get({ kind: 'Node', name: 'worker-1' })).toBe(node);
    expect(snapshot.get({ kind: 'Pod', namespace: 'staging', name: 'api-7d9f8c-x2x9q' })).toBeUndefined();
    expect(snapshot.get({ kind: 'ReplicaSet', namespace: 'shop', name: 'api' })).toBeUndefined();
  });

  it('finds an object by uid and the objects an owner controls', () => {
    expect(snapshot.byUid('a1f0c3d2-0002-4000-8000-000000000002')).toBe(replicaSet);
    expect(snapshot.ownedBy('a1f0c3d2-0002-4000-8000-000000000002')).toEqual([podA, podB]);
    expect(snapshot.ownedBy('a1f0c3d2-0001-4000-8000-000000000001')).toEqual([replicaSet]);
    expect(snapshot.ownedBy('a1f0c3d2-0003-4000-8000-000000000003')).toEqual([]);
  });

  it('lists objects of a kind, in one namespace or all', () => {
    expect(snapshot.ofKind('Pod', 'shop')).toEqual([podA, podB, dbPodAfter]);
    expect(snapshot.ofKind('Pod')).toEqual([podA, podB, stagingPod, dbPodAfter]);
    expect(snapshot.ofKind('Pod', 'billing')).toEqual([]);
    expect(snapshot.ofKind('ConfigMap')).toEqual([]);
  });

  it('finds objects of a kind carrying a label, in one namespace or all', () => {
    expect(snapshot.withLabel('Pod', 'shop', 'app', 'api')).toEqual([podA, podB]);
    expect(snapshot.withLabel('Pod', undefined, 'app', 'api')).toEqual([podA, podB, stagingPod]);
    expect(snapshot.withLabel('ReplicaSet', 'shop', 'app', 'api')).toEqual([replicaSet]);
    expect(snapshot.withLabel('Pod', 'shop', 'app', 'web')).toEqual([]);
    expect(snapshot.withLabel('Node', undefined, 'kubernetes.io/hostname', 'worker-1')).toEqual([node]);
  });

  it('keeps only the later copy of an object seen twice, in every index', () => {
    expect(snapshot.size).toBe(10);
    expect(snapshot.get({ kind: 'Pod', namespace: 'shop', name: 'db-0' })).toBe(dbPodAfter);
    expect(snapshot.ownedBy('a1f0c3d2-0007-4000-8000-000000000007')).toEqual([dbPodAfter]);
    expect(snapshot.byUid('a1f0c3d2-0009-4000-8000-000000000009')).toBe(dbPodAfter);
    expect(snapshot.byUid('a1f0c3d2-0008-4000-8000-000000000008')).toBeUndefined();
    expect(snapshot.withLabel('Pod', 'shop', 'controller-revision-hash', 'db-5d8f7b9c6')).toEqual([]);
    expect(snapshot.withLabel('Pod', 'shop', 'controller-revision-hash', 'db-6c9e8a7b5')).toEqual([
      dbPodAfter,
    ]);
    expect([...snapshot.all()].filter((o) => o.metadata.name === 'db-0')).toEqual([dbPodAfter]);
  });

  it('normalises events once, leaving out events about no object', () => {
    const events = snapshot.events();
    expect(snapshot.events()).toBe(events);
    expect(events).toEqual([
      {
        name: 'api-7d9f8c-x2x9q.17e1a3c4d5e6f7a8',
        namespace: 'shop',
        type: 'Warning',
        reason: 'BackOff',
        message:
          'Back-off restarting failed container api in pod api-7d9f8c-x2x9q_shop(a1f0c3d2-0003-4000-8000-000000000003)',
        involved: {
          kind: 'Pod',
          namespace: 'shop',
          name: 'api-7d9f8c-x2x9q',
          uid: 'a1f0c3d2-0003-4000-8000-000000000003',
          fieldPath: 'spec.containers{api}',
        },
        count: 31,
        firstSeen: '2026-11-20T03:04:10Z',
        lastSeen: '2026-11-20T03:11:42Z',
        source: 'kubelet',
      },
    ]);
  });

  it('tells the current log of a container from the previous one', () => {
    expect(snapshot.log('shop', 'api-7d9f8c-x2x9q', 'api', false)).toEqual(logs[0]);
    expect(snapshot.log('shop', 'api-7d9f8c-x2x9q', 'api', true)).toEqual(logs[1]);
    expect(snapshot.log('shop', 'api-7d9f8c-k4m2p', 'api', false)).toBeUndefined();
    expect(snapshot.log('staging', 'api-7d9f8c-x2x9q', 'api', false)).toBeUndefined();
    expect([...snapshot.logs()]).toEqual(logs);
  });

  it('has no events and no logs when none were read', () => {
    const empty = new Snapshot({ objects: [node], coverage: new Coverage(), capturedAt: new Date(0) });
    expect([empty.events(), [...empty.logs()], empty.size]).toEqual([[], [], 1]);
  });
});
