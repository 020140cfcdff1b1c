import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../core/kube-object.js';
import { contextOf } from '../../../test/support/analyzer-context.js';
import { pvUnusable } from './pv-unusable.js';

const NOW = new Date('2026-11-20T03:12:00Z');

/** A hand-made NFS volume, as in a homelab: no plugin can delete it. */
const nfsVolume = (policy: string, phase: string, status: object = {}): KubeObject => ({
  apiVersion: 'v1',
  kind: 'PersistentVolume',
  metadata: { name: 'nfs-testing', labels: { type: 'nfs' } },
  spec: {
    capacity: { storage: '100Gi' },
    accessModes: ['ReadWriteMany'],
    persistentVolumeReclaimPolicy: policy,
    storageClassName: '',
    nfs: { server: '192.168.1.20', path: '/volume1/k8s/testing' },
    claimRef: {
      kind: 'PersistentVolumeClaim',
      namespace: 'testing',
      name: 'testing-storage',
      uid: '7e0f3c5a-1b2d-4c8e-9f6a-3d2b1c0e9f8a',
    },
  },
  status: { phase, lastPhaseTransitionTime: '2026-11-19T22:40:00Z', ...status },
});

describe('pv-unusable', () => {
  it('finds nothing for a Bound or Available volume', () => {
    const bound = nfsVolume('Retain', 'Bound');
    expect(pvUnusable.detect(bound, contextOf([bound], NOW))).toEqual([]);
    const available = nfsVolume('Retain', 'Available');
    expect(pvUnusable.detect(available, contextOf([available], NOW))).toEqual([]);
  });

  it('says a Failed volume could not be reclaimed, quoting the controller', () => {
    const message =
      'error getting deleter volume plugin for volume "nfs-testing": no deletable volume plugin matched';
    const pv = nfsVolume('Delete', 'Failed', { message });
    const failedDelete: KubeObject = {
      apiVersion: 'v1',
      kind: 'Event',
      metadata: { name: 'nfs-testing.1809c7a2f3b4d5e6', namespace: 'default' },
      involvedObject: { kind: 'PersistentVolume', name: 'nfs-testing', apiVersion: 'v1' },
      reason: 'VolumeFailedDelete',
      message,
      type: 'Warning',
      count: 1,
      firstTimestamp: '2026-11-19T22:40:00Z',
      lastTimestamp: '2026-11-19T22:40:00Z',
      source: { component: 'persistentvolume-controller' },
    };
    expect(pvUnusable.detect(pv, contextOf([pv, failedDelete], NOW))).toEqual([
      {
        ruleId: 'pv-unusable',
        severity: 'critical',
        resource: { kind: 'PersistentVolume', name: 'nfs-testing' },
        message:
          'PersistentVolume nfs-testing is Failed: reclaiming it (policy Delete) after claim testing/testing-storage went away did not work: error getting deleter volume plugin for volume "nfs-testing": no deletable volume plugin matched',
        evidence: [
          {
            source: 'status',
            text: 'phase Failed since 2026-11-19T22:40:00Z (4h): error getting deleter volume plugin for volume "nfs-testing": no deletable volume plugin matched',
          },
          { source: 'spec', text: 'persistentVolumeReclaimPolicy Delete, claimRef testing/testing-storage' },
          {
            source: 'event',
            text: 'VolumeFailedDelete (x1, last 2026-11-19T22:40:00Z): error getting deleter volume plugin for volume "nfs-testing": no deletable volume plugin matched',
          },
        ],
        fix: {
          summary:
            'nothing will delete its storage on its own: clean up the backing storage by hand if needed, then delete the PersistentVolume (or, to keep the data, set its reclaim policy to Retain and clear its claimRef)',
          commands: [
            'kubectl delete pv nfs-testing',
            `kubectl patch pv nfs-testing -p '{"spec":{"persistentVolumeReclaimPolicy":"Retain"}}'`,
          ],
        },
      },
    ]);
  });

  it('warns that a Released Retain volume keeps its data but binds no new claim, even one of the same name', () => {
    const pv = nfsVolume('Retain', 'Released');
    const recreated: KubeObject = {
      kind: 'PersistentVolumeClaim',
      metadata: {
        name: 'testing-storage',
        namespace: 'testing',
        uid: 'c1d2e3f4-0000-4a5b-8c7d-6e5f4a3b2c1d',
      },
      spec: { storageClassName: '', volumeName: 'nfs-testing', accessModes: ['ReadWriteMany'] },
      status: { phase: 'Pending' },
    };
    expect(pvUnusable.detect(pv, contextOf([pv, recreated], NOW))).toEqual([
      {
        ruleId: 'pv-unusable',
        severity: 'warning',
        resource: { kind: 'PersistentVolume', name: 'nfs-testing' },
        message:
          'PersistentVolume nfs-testing is Released: claim testing/testing-storage was deleted, and with reclaim policy Retain it keeps its data but binds no new claim',
        evidence: [
          { source: 'status', text: 'phase Released since 2026-11-19T22:40:00Z (4h)' },
          { source: 'spec', text: 'persistentVolumeReclaimPolicy Retain, claimRef testing/testing-storage' },
          {
            source: 'graph',
            resource: { kind: 'PersistentVolumeClaim', namespace: 'testing', name: 'testing-storage' },
            text: 'PersistentVolumeClaim testing/testing-storage exists again, but the volume is held for the deleted one',
          },
        ],
        fix: {
          summary:
            'save its data if it matters, then clear spec.claimRef to make it Available again (the recreated claim then binds it), or delete it (with Retain the backing storage stays)',
          commands: [
            `kubectl patch pv nfs-testing --type=json -p '[{"op":"remove","path":"/spec/claimRef"}]'`,
            'kubectl delete pv nfs-testing',
          ],
        },
      },
    ]);
  });

  it('says a Released Delete volume has not been deleted by its provisioner', () => {
    const pv = nfsVolume('Delete', 'Released');
    const [finding] = pvUnusable.detect(pv, contextOf([pv], NOW));
    expect(finding?.message).toBe(
      'PersistentVolume nfs-testing is Released: claim testing/testing-storage was deleted and its reclaim policy is Delete, but the volume has not been deleted',
    );
  });
});
