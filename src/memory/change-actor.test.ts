import { describe, expect, it } from 'vitest';
import { parseFieldPath, type FieldPathSegment } from '../core/change.js';
import type { KubeObject } from '../core/kube-object.js';
import { actorOf, ownsPath, reasonOf, rolloutOf, type ManagedFieldsEntry } from './change-actor.js';
import { diffObjects } from './field-diff.js';
import { makeChange } from './make-change.js';
import { copy, getIn, realDeployment, realPod, setIn, written } from '../../test/support/memory-fixtures.js';

const CONTAINER = ['spec', 'template', 'spec', 'containers', 0];
const CONTAINERS_V1 = ['fieldsV1', 'f:spec', 'f:template', 'f:spec', 'f:containers'];

function entries(object: KubeObject): ManagedFieldsEntry[] {
  return getIn(object, ['metadata', 'managedFields']) as ManagedFieldsEntry[];
}

function entry(object: KubeObject, manager: string): ManagedFieldsEntry {
  const found = entries(object).find((candidate) => candidate.manager === manager);
  if (found === undefined) throw new Error(`no managedFields entry of ${manager}`);
  return found;
}

function path(text: string): FieldPathSegment[] {
  const segments = parseFieldPath(text);
  if (segments === undefined) throw new Error(`not a path: ${text}`);
  return segments;
}

/**
 * metrics-server after `kubectl scale --replicas=3`: the scale subresource write takes spec.replicas
 * from kubectl-client-side-apply into a new `kubectl` entry; the controller then updates status a
 * few seconds later (a newer time, but it owns nothing that moved in spec).
 */
function scaled(): { before: KubeObject; after: KubeObject } {
  const before = realDeployment('metrics-server');
  const after = copy(before);
  setIn(after, ['spec', 'replicas'], 3);
  const apply = entry(after, 'kubectl-client-side-apply');
  setIn(apply, ['fieldsV1', 'f:spec', 'f:replicas'], undefined);
  entries(after).push({
    manager: 'kubectl',
    operation: 'Update',
    apiVersion: 'apps/v1',
    time: '2021-12-17T19:02:10Z',
    fieldsType: 'FieldsV1',
    fieldsV1: { 'f:spec': { 'f:replicas': {} } },
    subresource: 'scale',
  });
  written(after, '9050', 'kube-controller-manager', '2021-12-17T19:02:14Z');
  return { before, after };
}

describe('actorOf on real managedFields', () => {
  it('finds the scale subresource writer, not the controller that wrote later', () => {
    const { before, after } = scaled();
    const fields = diffObjects(before, after);
    expect(fields).toEqual([{ path: 'spec.replicas', op: 'changed', old: 1, new: 3 }]);
    expect(actorOf(after, fields)).toEqual({ manager: 'kubectl', operation: 'Update', subresource: 'scale' });
  });

  it('finds `kubectl set image` by the container’s k:{"name":…} key, then the controller’s revision bump', () => {
    // Two writes, two watch events: kubectl-set changes the image, then the controller stamps the revision.
    const before = realDeployment('metrics-server');
    const imaged = copy(before);
    setIn(imaged, [...CONTAINER, 'image'], 'k8s.gcr.io/metrics-server/metrics-server:v0.4.1');
    setIn(
      entry(imaged, 'kubectl-client-side-apply'),
      [...CONTAINERS_V1, 'k:{"name":"metrics-server"}', 'f:image'],
      undefined,
    );
    const setImage: ManagedFieldsEntry = {
      manager: 'kubectl-set',
      operation: 'Update',
      apiVersion: 'apps/v1',
      time: '2021-12-17T19:10:00Z',
      fieldsType: 'FieldsV1',
    };
    setIn(setImage, [...CONTAINERS_V1, 'k:{"name":"metrics-server"}', 'f:image'], {});
    entries(imaged).push(setImage);
    setIn(imaged, ['metadata', 'resourceVersion'], '9300');
    const imageFields = diffObjects(before, imaged);
    expect(imageFields.map((field) => field.path)).toEqual([
      'spec.template.spec.containers[metrics-server].image',
    ]);
    expect(actorOf(imaged, imageFields)).toEqual({ manager: 'kubectl-set', operation: 'Update' });

    const revised = copy(imaged);
    setIn(revised, ['metadata', 'annotations', 'deployment.kubernetes.io/revision'], '2');
    written(revised, '9301', 'kube-controller-manager', '2021-12-17T19:10:01Z');
    const revisionFields = diffObjects(imaged, revised);
    expect(revisionFields.map((field) => field.path)).toEqual([
      'metadata.annotations["deployment.kubernetes.io/revision"]',
    ]);
    expect(actorOf(revised, revisionFields)).toEqual({
      manager: 'kube-controller-manager',
      operation: 'Update',
    });
  });

  it('gives a status change to the controller that owns status', () => {
    const before = realDeployment('coredns');
    const after = copy(before);
    setIn(after, ['status', 'readyReplicas'], 1);
    setIn(after, ['status', 'availableReplicas'], 1);
    written(after, '8123', 'kube-controller-manager', '2021-12-18T08:00:00Z');
    expect(actorOf(after, diffObjects(before, after))).toEqual({
      manager: 'kube-controller-manager',
      operation: 'Update',
    });
  });

  it('gives a pod’s container status to the kubelet through the status subresource (real Job pod)', () => {
    const after = realPod('troubleshoot_oomkilled-job-pod_podlist.json');
    const before = copy(after);
    setIn(before, ['status', 'phase'], 'Running');
    setIn(before, ['status', 'containerStatuses', 0, 'state'], {
      running: { startedAt: '2023-07-11T04:43:25Z' },
    });
    expect(actorOf(after, diffObjects(before, after))).toEqual({
      manager: 'kubelet',
      operation: 'Update',
      subresource: 'status',
    });
  });

  it('falls back to the newest entry when nobody owns what moved (a field removed)', () => {
    const before = copy(realDeployment('metrics-server'));
    setIn(before, [...CONTAINER, 'args'], ['--cert-dir=/tmp']);
    const after = copy(before);
    setIn(after, [...CONTAINER, 'args'], undefined);
    setIn(
      entry(after, 'kubectl-client-side-apply'),
      [...CONTAINERS_V1, 'k:{"name":"metrics-server"}', 'f:args'],
      undefined,
    );
    entries(after).push({
      manager: 'kubectl-edit',
      operation: 'Update',
      apiVersion: 'apps/v1',
      time: '2021-12-17T19:20:00Z',
      fieldsType: 'FieldsV1',
      fieldsV1: { 'f:metadata': { 'f:labels': { 'f:tier': {} } } },
    });
    const fields = diffObjects(before, after);
    expect(fields).toEqual([
      { path: 'spec.template.spec.containers[metrics-server].args', op: 'removed', old: ['--cert-dir=/tmp'] },
    ]);
    expect(actorOf(after, fields)).toEqual({ manager: 'kubectl-edit', operation: 'Update' });
  });

  it('names the creator of a new object: its first write, not the status writers after it', () => {
    expect(
      actorOf(realDeployment('coredns'), diffObjects(undefined, realDeployment('coredns')), 'added'),
    ).toEqual({
      manager: 'kubeadm',
      operation: 'Update',
    });
    const pod = realPod('troubleshoot_oomkilled-job-pod_podlist.json');
    expect(actorOf(pod, [], 'added')).toEqual({ manager: 'kube-controller-manager', operation: 'Update' });
  });

  it('keeps server-side apply’s operation', () => {
    const before = realDeployment('coredns');
    const after = copy(before);
    setIn(after, ['spec', 'replicas'], 4);
    setIn(entry(after, 'kubeadm'), ['fieldsV1', 'f:spec', 'f:replicas'], undefined);
    entries(after).push({
      manager: 'argocd-controller',
      operation: 'Apply',
      apiVersion: 'apps/v1',
      time: '2021-12-18T09:00:00Z',
      fieldsType: 'FieldsV1',
      fieldsV1: { 'f:spec': { 'f:replicas': {} } },
    });
    expect(actorOf(after, diffObjects(before, after))).toEqual({
      manager: 'argocd-controller',
      operation: 'Apply',
    });
  });

  it('is undefined without managedFields', () => {
    expect(actorOf({ kind: 'ConfigMap', metadata: { name: 'x' } }, [])).toBeUndefined();
  });
});

describe('ownsPath', () => {
  const coredns = realDeployment('coredns');
  const kubeadm = entry(coredns, 'kubeadm').fieldsV1;
  const controller = entry(coredns, 'kube-controller-manager').fieldsV1;
  const container = 'spec.template.spec.containers[coredns]';

  it('follows f: keys and k: list keys, matching a keyed item by its fields in the object', () => {
    expect(ownsPath(kubeadm, path('spec.replicas'), coredns)).toBe(true);
    expect(ownsPath(kubeadm, path(`${container}.image`), coredns)).toBe(true);
    // Ports are named items to the diff, {containerPort, protocol} keys to managedFields.
    expect(ownsPath(kubeadm, path(`${container}.ports[dns].name`), coredns)).toBe(true);
    expect(ownsPath(kubeadm, path(`${container}.volumeMounts[/etc/coredns].readOnly`), coredns)).toBe(true);
    expect(ownsPath(kubeadm, path('spec.template.spec.volumes[config-volume].configMap.name'), coredns)).toBe(
      true,
    );
    expect(ownsPath(kubeadm, path('metadata.labels.k8s-app'), coredns)).toBe(true);
    expect(ownsPath(controller, path('status.conditions[Available].status'), coredns)).toBe(true);
    expect(ownsPath(controller, path('status.readyReplicas'), coredns)).toBe(true);
  });

  it('owns a whole atomic value at a leaf, and nothing it does not list', () => {
    expect(ownsPath(kubeadm, path(`${container}.args`), coredns)).toBe(true);
    expect(
      ownsPath(kubeadm, path('spec.template.spec.tolerations[CriticalAddonsOnly:*].operator'), coredns),
    ).toBe(true);
    expect(ownsPath(kubeadm, path('status.readyReplicas'), coredns)).toBe(false);
    expect(ownsPath(controller, path('spec.replicas'), coredns)).toBe(false);
    expect(ownsPath(kubeadm, path('spec.template.spec.containers[sidecar].image'), coredns)).toBe(false);
    expect(ownsPath({}, path('spec.replicas'), coredns)).toBe(false);
  });
});

describe('reasonOf and rolloutOf', () => {
  it('reads change-cause and why, and the rollout of a Deployment (real revision)', () => {
    const after = copy(realDeployment('coredns'));
    setIn(after, ['metadata', 'annotations', 'kubernetes.io/change-cause'], 'kubectl scale --replicas=4');
    setIn(after, ['metadata', 'annotations', 'ops.kubectl-smart.io/why'], 'DNS latency during the sale');
    expect(reasonOf(after, [{ path: 'spec.replicas', op: 'changed', old: 2, new: 4 }])).toEqual({
      changeCause: 'kubectl scale --replicas=4',
      why: 'DNS latency during the sale',
      rollout: 'Deployment/coredns revision 1',
    });
    // A controller's status update is not what the people's reason explains; the rollout still is.
    expect(reasonOf(after, [{ path: 'status.readyReplicas', op: 'changed', old: 1, new: 2 }])).toEqual({
      rollout: 'Deployment/coredns revision 1',
    });
  });

  it('puts a ReplicaSet under its Deployment, and has no reason for objects that give none', () => {
    const replicaSet: KubeObject = {
      kind: 'ReplicaSet',
      metadata: {
        name: 'coredns-f9fd979d6',
        namespace: 'kube-system',
        annotations: { 'deployment.kubernetes.io/revision': '7' },
        ownerReferences: [{ apiVersion: 'apps/v1', kind: 'Deployment', name: 'coredns', controller: true }],
      },
    };
    expect(rolloutOf(replicaSet)).toBe('Deployment/coredns revision 7');
    expect(reasonOf(realPod('troubleshoot_errimagepull_podlist.json'), [])).toBeUndefined();
  });
});

describe('makeChange', () => {
  it('puts diff, summary, actor and reason together for a real scale', () => {
    const { before, after } = scaled();
    expect(makeChange({ at: '2021-12-17T19:02:11Z', before, after })).toEqual({
      at: '2021-12-17T19:02:11Z',
      object: {
        kind: 'Deployment',
        namespace: 'kube-system',
        name: 'metrics-server',
        uid: getIn(before, ['metadata', 'uid']),
      },
      resourceVersion: '9050',
      action: 'modified',
      fields: [{ path: 'spec.replicas', op: 'changed', old: 1, new: 3 }],
      summary: ['scaled 1→3'],
      actor: { manager: 'kubectl', operation: 'Update', subresource: 'scale' },
      reason: { rollout: 'Deployment/metrics-server revision 1' },
    });
  });

  it('records nothing when only churn moved, and a deletion without actor', () => {
    const before = realDeployment('coredns');
    const heartbeat = copy(before);
    written(heartbeat, '8200', 'kube-controller-manager', '2021-12-18T08:00:00Z');
    setIn(heartbeat, ['status', 'conditions', 1, 'lastUpdateTime'], '2021-12-18T08:00:00Z');
    expect(makeChange({ at: '2021-12-18T08:00:01Z', before, after: heartbeat })).toBeUndefined();
    expect(makeChange({ at: '2021-12-18T09:00:00Z', before, resourceVersion: '8300' })).toEqual({
      at: '2021-12-18T09:00:00Z',
      object: {
        kind: 'Deployment',
        namespace: 'kube-system',
        name: 'coredns',
        uid: getIn(before, ['metadata', 'uid']),
      },
      resourceVersion: '8300',
      action: 'deleted',
      fields: [],
      summary: ['deleted: 2 replicas, image k8s.gcr.io/coredns:1.7.0'],
      reason: { rollout: 'Deployment/coredns revision 1' },
    });
  });
});
