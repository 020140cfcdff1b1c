import { describe, expect, it } from 'vitest';
import { Coverage } from '../core/coverage.js';
import type { KubeObject, OwnerReference } from '../core/kube-object.js';
import { Snapshot } from '../core/snapshot.js';
import { topOwner } from './top-owner.js';

const owner = (kind: string, name: string, uid: string, apiVersion = 'apps/v1'): OwnerReference => ({
  apiVersion,
  kind,
  name,
  uid,
  controller: true,
});
const object = (
  kind: string,
  namespace: string | undefined,
  name: string,
  uid: string,
  owners: OwnerReference[] = [],
): KubeObject => ({
  apiVersion: kind === 'Pod' || kind === 'Node' ? 'v1' : 'apps/v1',
  kind,
  metadata: {
    name,
    ...(namespace === undefined ? {} : { namespace }),
    uid,
    ...(owners.length === 0 ? {} : { ownerReferences: owners }),
  },
});

const deployment = object('Deployment', 'shop', 'api', 'uid-deploy-api');
const replicaSet = object('ReplicaSet', 'shop', 'api-7d9f8c', 'uid-rs-api', [
  owner('Deployment', 'api', 'uid-deploy-api'),
]);
const pod = object('Pod', 'shop', 'api-7d9f8c-x2x9q', 'uid-pod-x2x9q', [
  owner('ReplicaSet', 'api-7d9f8c', 'uid-rs-api'),
]);
const statefulSet = object('StatefulSet', 'shop', 'db', 'uid-sts-db');
const snapshotOf = (...objects: KubeObject[]): Snapshot =>
  new Snapshot({ objects, coverage: new Coverage(), capturedAt: new Date('2026-11-20T03:12:00Z') });

const podRef = { kind: 'Pod', namespace: 'shop', name: 'api-7d9f8c-x2x9q' };

describe('topOwner', () => {
  it('climbs Pod → ReplicaSet → Deployment by uid', () => {
    const snapshot = snapshotOf(deployment, replicaSet, pod);
    expect(topOwner(podRef, snapshot, 'uid-pod-x2x9q')).toEqual({
      kind: 'Deployment',
      namespace: 'shop',
      name: 'api',
    });
    expect(topOwner(podRef, snapshot)).toEqual({ kind: 'Deployment', namespace: 'shop', name: 'api' });
  });

  it('matches a pod that is gone to its ReplicaSet by name, then climbs on', () => {
    expect(topOwner(podRef, snapshotOf(deployment, replicaSet), 'uid-pod-x2x9q')).toEqual({
      kind: 'Deployment',
      namespace: 'shop',
      name: 'api',
    });
    const bareReplicaSet = object('ReplicaSet', 'shop', 'api-7d9f8c', 'uid-rs-api');
    expect(topOwner(podRef, snapshotOf(bareReplicaSet))).toEqual({
      kind: 'ReplicaSet',
      namespace: 'shop',
      name: 'api-7d9f8c',
    });
  });

  it('matches a StatefulSet pod that is gone to its StatefulSet by name', () => {
    expect(topOwner({ kind: 'Pod', namespace: 'shop', name: 'db-0' }, snapshotOf(statefulSet))).toEqual({
      kind: 'StatefulSet',
      namespace: 'shop',
      name: 'db',
    });
    expect(topOwner({ kind: 'Pod', namespace: 'shop', name: 'db-12' }, snapshotOf(statefulSet))).toEqual({
      kind: 'StatefulSet',
      namespace: 'shop',
      name: 'db',
    });
  });

  it('does not match by name across namespaces', () => {
    expect(topOwner({ kind: 'Pod', namespace: 'staging', name: 'db-0' }, snapshotOf(statefulSet))).toEqual({
      kind: 'Pod',
      namespace: 'staging',
      name: 'db-0',
    });
  });

  it('names an owner the snapshot lacks from the owner reference, in the object’s namespace', () => {
    expect(topOwner(podRef, snapshotOf(pod))).toEqual({
      kind: 'ReplicaSet',
      namespace: 'shop',
      name: 'api-7d9f8c',
    });
    expect(topOwner(podRef, snapshotOf(replicaSet, pod))).toEqual({
      kind: 'Deployment',
      namespace: 'shop',
      name: 'api',
    });
  });

  it('names the Deployment of a ReplicaSet it lacks when the pod carries the hash the name ends in', () => {
    // How the Deployment controller names them: ReplicaSet `<deployment>-<pod-template-hash>`.
    const hashed: KubeObject = {
      ...pod,
      metadata: { ...pod.metadata, labels: { app: 'api', 'pod-template-hash': '7d9f8c' } },
    };
    expect(topOwner(podRef, snapshotOf(hashed))).toEqual({
      kind: 'Deployment',
      namespace: 'shop',
      name: 'api',
    });
    // A hash the ReplicaSet's name does not end in: a ReplicaSet made by hand, named as it is.
    const other: KubeObject = {
      ...pod,
      metadata: { ...pod.metadata, labels: { 'pod-template-hash': 'abc12' } },
    };
    expect(topOwner(podRef, snapshotOf(other))).toEqual({
      kind: 'ReplicaSet',
      namespace: 'shop',
      name: 'api-7d9f8c',
    });
  });

  it('climbs a CronJob → Job → Pod chain', () => {
    const cronJob = object('CronJob', 'batch', 'nightly-report', 'uid-cj');
    const job = object('Job', 'batch', 'nightly-report-29402880', 'uid-job', [
      owner('CronJob', 'nightly-report', 'uid-cj', 'batch/v1'),
    ]);
    const jobPod = object('Pod', 'batch', 'nightly-report-29402880-7kq2m', 'uid-job-pod', [
      owner('Job', 'nightly-report-29402880', 'uid-job', 'batch/v1'),
    ]);
    expect(
      topOwner(
        { kind: 'Pod', namespace: 'batch', name: 'nightly-report-29402880-7kq2m' },
        snapshotOf(cronJob, job, jobPod),
      ),
    ).toEqual({ kind: 'CronJob', namespace: 'batch', name: 'nightly-report' });
  });

  it('gives a static pod’s Node, which has no namespace', () => {
    // The kubelet makes mirror pods controlled by their Node.
    const mirror = object('Pod', 'kube-system', 'kube-apiserver-control-plane', 'uid-mirror', [
      owner('Node', 'control-plane', 'uid-node', 'v1'),
    ]);
    expect(
      topOwner(
        { kind: 'Pod', namespace: 'kube-system', name: 'kube-apiserver-control-plane' },
        snapshotOf(mirror),
      ),
    ).toEqual({ kind: 'Node', name: 'control-plane' });
  });

  it('ignores owner references that are not the controller', () => {
    // A debugging pod a tool tied to the pod it inspects, for garbage collection only.
    const adopted = object('Pod', 'shop', 'debug-tools', 'uid-debug', [
      { apiVersion: 'v1', kind: 'Pod', name: 'api-7d9f8c-x2x9q', uid: 'uid-pod-x2x9q', controller: false },
    ]);
    expect(topOwner({ kind: 'Pod', namespace: 'shop', name: 'debug-tools' }, snapshotOf(adopted))).toEqual({
      kind: 'Pod',
      namespace: 'shop',
      name: 'debug-tools',
    });
  });

  it('returns the reference itself when nothing is known about it', () => {
    expect(topOwner(podRef, snapshotOf())).toEqual(podRef);
    expect(topOwner({ kind: 'Node', name: 'worker-1' }, snapshotOf())).toEqual({
      kind: 'Node',
      name: 'worker-1',
    });
  });
});
