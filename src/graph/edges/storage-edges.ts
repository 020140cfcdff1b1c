import type { PersistentVolume, PersistentVolumeClaim } from '../../core/kube-types.js';
import { refOf } from '../../core/resource-ref.js';
import type { EdgeExtractor } from './edge-sink.js';

/** PVC → PV it is bound to → StorageClass; a PVC also names its StorageClass directly. */
export const storageEdges: EdgeExtractor = (object, sink) => {
  if (object.kind === 'PersistentVolumeClaim') {
    const claim = object as PersistentVolumeClaim;
    const volumeName = claim.spec?.volumeName;
    if (volumeName !== undefined && volumeName !== '') {
      sink.link(refOf(object), { kind: 'PersistentVolume', name: volumeName }, 'bound-to');
    }
    const className = claim.spec?.storageClassName;
    if (className !== undefined && className !== '') {
      sink.link(refOf(object), { kind: 'StorageClass', name: className }, 'uses-storage-class');
    }
  } else if (object.kind === 'PersistentVolume') {
    const className = (object as PersistentVolume).spec?.storageClassName;
    if (className !== undefined && className !== '') {
      sink.link(refOf(object), { kind: 'StorageClass', name: className }, 'uses-storage-class');
    }
  }
};
