import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../core/kube-object.js';
import { contextOf } from '../../../test/support/analyzer-context.js';
import { missingDependency } from './missing-dependency.js';
import { pvcPending } from './pvc-pending.js';

const NOW = new Date('2026-11-20T03:12:00Z');

const claim = (spec: object, phase = 'Pending', metadata: object = {}): KubeObject => ({
  apiVersion: 'v1',
  kind: 'PersistentVolumeClaim',
  metadata: {
    name: 'data-postgres-0',
    namespace: 'shop',
    uid: '4b1c9a2e-8d7f-4e3a-9c61-2f5d8e7a1b30',
    creationTimestamp: '2026-11-20T02:50:00Z',
    labels: { app: 'postgres' },
    ...metadata,
  },
  spec: {
    accessModes: ['ReadWriteOnce'],
    resources: { requests: { storage: '10Gi' } },
    volumeMode: 'Filesystem',
    ...spec,
  },
  status: { phase },
});
const storageClass = (
  name: string,
  provisioner: string,
  extra: object = {},
  isDefault = false,
): KubeObject => ({
  apiVersion: 'storage.k8s.io/v1',
  kind: 'StorageClass',
  metadata: {
    name,
    ...(isDefault ? { annotations: { 'storageclass.kubernetes.io/is-default-class': 'true' } } : {}),
  },
  provisioner,
  reclaimPolicy: 'Delete',
  volumeBindingMode: 'Immediate',
  ...extra,
});
const podUsing = (scheduled: boolean): KubeObject => ({
  kind: 'Pod',
  metadata: { name: 'postgres-0', namespace: 'shop', labels: { app: 'postgres' } },
  spec: {
    ...(scheduled ? { nodeName: 'ip-10-0-1-23.ec2.internal' } : {}),
    containers: [{ name: 'postgres', image: 'postgres:16' }],
    volumes: [{ name: 'data', persistentVolumeClaim: { claimName: 'data-postgres-0' } }],
  },
  status: { phase: 'Pending' },
});
const event = (reason: string, type: string, message: string, count: number, source: string): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Event',
  metadata: { name: `data-postgres-0.${reason.toLowerCase()}`, namespace: 'shop' },
  involvedObject: {
    kind: 'PersistentVolumeClaim',
    namespace: 'shop',
    name: 'data-postgres-0',
    uid: '4b1c9a2e-8d7f-4e3a-9c61-2f5d8e7a1b30',
    apiVersion: 'v1',
  },
  reason,
  message,
  type,
  count,
  firstTimestamp: '2026-11-20T02:50:01Z',
  lastTimestamp: '2026-11-20T03:11:40Z',
  source: { component: source },
});
const volume = (name: string, spec: object, phase = 'Available'): KubeObject => ({
  kind: 'PersistentVolume',
  metadata: { name },
  spec: {
    capacity: { storage: '10Gi' },
    accessModes: ['ReadWriteOnce'],
    persistentVolumeReclaimPolicy: 'Retain',
    volumeMode: 'Filesystem',
    nfs: { server: '10.0.0.5', path: `/exports/${name}` },
    ...spec,
  },
  status: { phase },
});

describe('pvc-pending', () => {
  it('finds nothing for a bound claim, or one whose provisioner has had less than five minutes', () => {
    const bound = claim({ storageClassName: 'gp3', volumeName: 'pvc-4b1c9a2e' }, 'Bound');
    const gp3 = storageClass('gp3', 'ebs.csi.aws.com');
    expect(pvcPending.detect(bound, contextOf([bound, gp3], NOW))).toEqual([]);
    const fresh = claim({ storageClassName: 'gp3' }, 'Pending', {
      creationTimestamp: '2026-11-20T03:10:30Z',
    });
    const waiting = event(
      'ExternalProvisioning',
      'Normal',
      "Waiting for a volume to be created either by the external provisioner 'ebs.csi.aws.com' or manually by the system administrator. If volume creation is delayed, please verify that the provisioner is running and correctly registered.",
      3,
      'persistentvolume-controller',
    );
    expect(pvcPending.detect(fresh, contextOf([fresh, gp3, waiting], NOW))).toEqual([]);
  });

  it('finds nothing for a claim without a class when a default class will be given to it', () => {
    const pvc = claim({});
    const objects = [pvc, storageClass('standard', 'rancher.io/local-path', {}, true)];
    expect(pvcPending.detect(pvc, contextOf(objects, NOW))).toEqual([]);
  });

  it('finds nothing for a static claim an Available volume fits', () => {
    const pvc = claim({ storageClassName: '' });
    const objects = [pvc, volume('nfs-pv-01', { storageClassName: '' })];
    expect(pvcPending.detect(pvc, contextOf(objects, NOW))).toEqual([]);
  });

  it('says a claim without a class, in a cluster without a default class, can bind nothing', () => {
    const pvc = claim({});
    const objects = [
      pvc,
      storageClass('gp2', 'kubernetes.io/aws-ebs'),
      podUsing(false),
      event(
        'FailedBinding',
        'Normal',
        'no persistent volumes available for this claim and no storage class is set',
        87,
        'persistentvolume-controller',
      ),
    ];
    expect(pvcPending.detect(pvc, contextOf(objects, NOW))).toEqual([
      {
        ruleId: 'pvc-pending',
        severity: 'critical',
        resource: { kind: 'PersistentVolumeClaim', namespace: 'shop', name: 'data-postgres-0' },
        message:
          'PersistentVolumeClaim data-postgres-0 names no StorageClass and the cluster has no default one, so it can only bind to a PersistentVolume made by hand (10Gi, ReadWriteOnce), and there is none',
        evidence: [
          { source: 'spec', text: 'storageClassName: not set' },
          {
            source: 'graph',
            text: 'no StorageClass is marked default (storageclass.kubernetes.io/is-default-class=true); classes: gp2',
          },
          { source: 'graph', text: 'no PersistentVolume without a StorageClass' },
          {
            source: 'event',
            text: 'FailedBinding (x87, last 2026-11-20T03:11:40Z): no persistent volumes available for this claim and no storage class is set',
          },
          { source: 'graph', text: 'mounted by pod postgres-0' },
        ],
        fix: {
          summary:
            'mark a StorageClass as the default (the claim then gets it and is provisioned), or create a PersistentVolume that fits',
          commands: [
            'kubectl get storageclass',
            `kubectl patch storageclass gp2 -p '{"metadata":{"annotations":{"storageclass.kubernetes.io/is-default-class":"true"}}}'`,
          ],
        },
      },
    ]);
  });

  it('quotes the provisioner when provisioning fails', () => {
    const pvc = claim({ storageClassName: 'gp3' });
    const failed = event(
      'ProvisioningFailed',
      'Warning',
      'failed to provision volume with StorageClass "gp3": rpc error: code = Internal desc = Could not create volume "pvc-4b1c9a2e-8d7f-4e3a-9c61-2f5d8e7a1b30": could not create volume in EC2: UnauthorizedOperation: You are not authorized to perform this operation.',
      12,
      'ebs.csi.aws.com_ebs-csi-controller-6d9c7f8b5-x2x9k_0c1d2e3f',
    );
    const objects = [pvc, storageClass('gp3', 'ebs.csi.aws.com'), failed];
    expect(pvcPending.detect(pvc, contextOf(objects, NOW))).toEqual([
      {
        ruleId: 'pvc-pending',
        severity: 'warning',
        resource: { kind: 'PersistentVolumeClaim', namespace: 'shop', name: 'data-postgres-0' },
        message:
          'PersistentVolumeClaim data-postgres-0 cannot be provisioned: StorageClass gp3 (ebs.csi.aws.com) failed 12 times: failed to provision volume with StorageClass "gp3": rpc error: code = Internal desc = Could not create volume "pvc-4b1c9a2e-8d7f-4e3a-9c61-2f5d8e7a1b30": could not create volume in EC2: UnauthorizedOperation: You are not authorized to perform this operation.',
        evidence: [
          { source: 'spec', text: 'storageClassName: gp3' },
          {
            source: 'event',
            text: 'ProvisioningFailed (x12, last 2026-11-20T03:11:40Z): failed to provision volume with StorageClass "gp3": rpc error: code = Internal desc = Could not create volume "pvc-4b1c9a2e-8d7f-4e3a-9c61-2f5d8e7a1b30": could not create volume in EC2: UnauthorizedOperation: You are not authorized to perform this operation.',
          },
        ],
        fix: {
          summary:
            'fix what the provisioner reports (quoted above: permissions, quota, parameters of StorageClass gp3); it retries, and the claim binds once a volume is made',
          commands: ['kubectl -n shop describe pvc data-postgres-0', 'kubectl get storageclass gp3 -o yaml'],
        },
      },
    ]);
  });

  it('leaves a StorageClass that does not exist to missing-dependency', () => {
    const pvc = claim({ storageClassName: 'fast-ssd' });
    const context = contextOf([pvc, storageClass('gp3', 'ebs.csi.aws.com')], NOW);
    expect(pvcPending.detect(pvc, context)).toEqual([]);
    expect(missingDependency.detect(pvc, context).map((f) => f.message)).toEqual([
      'StorageClass fast-ssd does not exist, and PersistentVolumeClaim objects reference it',
    ]);
  });

  it('says a WaitForFirstConsumer claim no pod uses is waiting as designed (info)', () => {
    const pvc = claim({ storageClassName: 'standard' });
    const objects = [
      pvc,
      storageClass('standard', 'rancher.io/local-path', { volumeBindingMode: 'WaitForFirstConsumer' }, true),
      event(
        'WaitForFirstConsumer',
        'Normal',
        'waiting for first consumer to be created before binding',
        88,
        'persistentvolume-controller',
      ),
    ];
    expect(pvcPending.detect(pvc, contextOf(objects, NOW))).toEqual([
      {
        ruleId: 'pvc-pending',
        severity: 'info',
        resource: { kind: 'PersistentVolumeClaim', namespace: 'shop', name: 'data-postgres-0' },
        message:
          'PersistentVolumeClaim data-postgres-0 waits for a pod to use it (StorageClass standard binds WaitForFirstConsumer), and no pod mounts it yet',
        evidence: [
          {
            source: 'spec',
            resource: { kind: 'StorageClass', name: 'standard' },
            text: 'StorageClass standard: volumeBindingMode WaitForFirstConsumer',
          },
          {
            source: 'event',
            text: 'WaitForFirstConsumer (x88, last 2026-11-20T03:11:40Z): waiting for first consumer to be created before binding',
          },
        ],
        fix: {
          summary:
            'nothing to do: it is provisioned when a pod that mounts it is scheduled (delete it if nothing will)',
          commands: ['kubectl -n shop get pvc data-postgres-0'],
        },
      },
    ]);
  });

  it('says a WaitForFirstConsumer claim waits for its unscheduled pod (info)', () => {
    const pvc = claim({ storageClassName: 'standard' });
    const objects = [
      pvc,
      storageClass('standard', 'rancher.io/local-path', { volumeBindingMode: 'WaitForFirstConsumer' }, true),
      podUsing(false),
      event(
        'WaitForPodScheduled',
        'Normal',
        'waiting for pod postgres-0 to be scheduled',
        14,
        'persistentvolume-controller',
      ),
    ];
    const [finding] = pvcPending.detect(pvc, contextOf(objects, NOW));
    expect(finding?.severity).toBe('info');
    expect(finding?.message).toBe(
      'PersistentVolumeClaim data-postgres-0 waits for pod postgres-0 to be scheduled (StorageClass standard binds WaitForFirstConsumer): why the pod is Pending is the problem',
    );
    expect(finding?.fix?.commands).toEqual(['kubectl -n shop describe pod postgres-0']);
  });

  it('says an external provisioner silent for twenty minutes is probably not running', () => {
    const pvc = claim({ storageClassName: 'gp3' });
    const objects = [
      pvc,
      storageClass('gp3', 'ebs.csi.aws.com'),
      podUsing(false),
      event(
        'ExternalProvisioning',
        'Normal',
        "Waiting for a volume to be created either by the external provisioner 'ebs.csi.aws.com' or manually by the system administrator. If volume creation is delayed, please verify that the provisioner is running and correctly registered.",
        86,
        'persistentvolume-controller',
      ),
    ];
    expect(pvcPending.detect(pvc, contextOf(objects, NOW))).toEqual([
      {
        ruleId: 'pvc-pending',
        severity: 'critical',
        resource: { kind: 'PersistentVolumeClaim', namespace: 'shop', name: 'data-postgres-0' },
        message:
          'PersistentVolumeClaim data-postgres-0 has waited 22m for provisioner ebs.csi.aws.com (StorageClass gp3) to create its volume: the provisioner is probably not installed or not running',
        evidence: [
          { source: 'status', text: 'Pending since 2026-11-20T02:50:00Z (22m)' },
          {
            source: 'spec',
            resource: { kind: 'StorageClass', name: 'gp3' },
            text: 'StorageClass gp3: provisioner ebs.csi.aws.com',
          },
          {
            source: 'event',
            text: "ExternalProvisioning (x86, last 2026-11-20T03:11:40Z): Waiting for a volume to be created either by the external provisioner 'ebs.csi.aws.com' or manually by the system administrator. If volume creation is delayed, please verify that the provisioner is running and correctly registered.",
          },
          { source: 'graph', text: 'mounted by pod postgres-0' },
        ],
        fix: {
          summary:
            'install or restart the provisioner for ebs.csi.aws.com (its controller pods, and its CSIDriver registration); the claim binds once it makes the volume',
          commands: ['kubectl get csidriver ebs.csi.aws.com', 'kubectl get pods -A | grep -i ebs'],
        },
      },
    ]);
  });

  it('names why each hand-made volume does not fit a static claim', () => {
    const pvc = claim({
      storageClassName: '',
      accessModes: ['ReadWriteMany'],
      resources: { requests: { storage: '20Gi' } },
    });
    const objects = [
      pvc,
      volume('nfs-pv-01', { storageClassName: '', accessModes: ['ReadWriteMany'] }),
      volume('nfs-pv-02', { storageClassName: '', capacity: { storage: '50Gi' } }),
      volume(
        'nfs-pv-03',
        {
          storageClassName: '',
          capacity: { storage: '50Gi' },
          accessModes: ['ReadWriteMany'],
          claimRef: { namespace: 'crm', name: 'files' },
        },
        'Bound',
      ),
    ];
    expect(pvcPending.detect(pvc, contextOf(objects, NOW))).toEqual([
      {
        ruleId: 'pvc-pending',
        severity: 'warning',
        resource: { kind: 'PersistentVolumeClaim', namespace: 'shop', name: 'data-postgres-0' },
        message:
          'PersistentVolumeClaim data-postgres-0 binds only to a PersistentVolume made by hand without a StorageClass (20Gi, ReadWriteMany), and none of the 3 fits: it stays Pending',
        evidence: [
          { source: 'spec', text: 'storageClassName: "" (bind to an existing volume only)' },
          {
            source: 'graph',
            text: 'PersistentVolumes without a StorageClass: nfs-pv-01 (10Gi < 20Gi), nfs-pv-02 (no ReadWriteMany), nfs-pv-03 (is bound to claim crm/files)',
          },
        ],
        fix: {
          summary:
            'create a PersistentVolume without a StorageClass that fits (20Gi, ReadWriteMany), or recreate the claim with a StorageClass that provisions',
          commands: ['kubectl get pv'],
        },
      },
    ]);
  });

  it('says a claim recreated under the same name cannot take back its Released volume', () => {
    const pvc = claim({ storageClassName: '', volumeName: 'nfs-pv-01' });
    const released = volume(
      'nfs-pv-01',
      { storageClassName: '', claimRef: { namespace: 'shop', name: 'data-postgres-0', uid: '0d9e8f7a-old' } },
      'Released',
    );
    const [finding] = pvcPending.detect(pvc, contextOf([pvc, released, podUsing(false)], NOW));
    expect(finding?.severity).toBe('critical');
    expect(finding?.message).toBe(
      'PersistentVolumeClaim data-postgres-0 asks for PersistentVolume nfs-pv-01, which is still held for a deleted claim of the same name (phase Released): it stays Pending',
    );
    expect(finding?.fix).toEqual({
      summary:
        'PersistentVolume nfs-pv-01 is Released: once its data is safe, clear its claimRef so this claim can bind it',
      commands: [`kubectl patch pv nfs-pv-01 --type=json -p '[{"op":"remove","path":"/spec/claimRef"}]'`],
    });
  });

  it('says a claim names a volume that does not exist', () => {
    const pvc = claim({ storageClassName: '', volumeName: 'nfs-pv-09' });
    const [finding] = pvcPending.detect(pvc, contextOf([pvc], NOW));
    expect(finding?.message).toBe(
      'PersistentVolumeClaim data-postgres-0 asks for PersistentVolume nfs-pv-09, which does not exist: it stays Pending',
    );
  });
});
