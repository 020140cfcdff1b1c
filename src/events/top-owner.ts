import type { KubeObject, OwnerReference } from '../core/kube-object.js';
import { isNamespaced } from '../core/kinds.js';
import { refOf, type ResourceRef } from '../core/resource-ref.js';
import type { Snapshot } from '../core/snapshot.js';

/**
 * The object a person thinks of when an event is about a pod: the top of its controller chain
 * (Pod → ReplicaSet → Deployment gives the Deployment). A pod that is gone (events outlive pods)
 * is matched to a ReplicaSet or StatefulSet by its name, as the controllers name their pods.
 */
export function topOwner(ref: ResourceRef, snapshot: Snapshot, uid?: string): ResourceRef {
  let object: KubeObject | undefined =
    (uid === undefined ? undefined : snapshot.byUid(uid)) ??
    snapshot.get(ref) ??
    ownerByPodName(ref, snapshot);
  if (object === undefined) return ref;
  for (let hops = 0; hops < 10; hops++) {
    const controller: OwnerReference | undefined = object.metadata.ownerReferences?.find(
      (owner) => owner.controller === true,
    );
    if (controller === undefined) break;
    const namespace: string | undefined = isNamespaced(controller.kind)
      ? object.metadata.namespace
      : undefined;
    const owner: KubeObject | undefined =
      (controller.uid === undefined ? undefined : snapshot.byUid(controller.uid)) ??
      snapshot.get(
        namespace === undefined
          ? { kind: controller.kind, name: controller.name }
          : { kind: controller.kind, namespace, name: controller.name },
      );
    if (owner === undefined)
      return namespace === undefined
        ? { kind: controller.kind, name: controller.name }
        : (deploymentOfReplicaSet(object, controller, namespace) ?? {
            kind: controller.kind,
            namespace,
            name: controller.name,
          });
    object = owner;
  }
  return refOf(object);
}

/**
 * The Deployment above a ReplicaSet that was not read, when the names say so: the Deployment
 * controller names each ReplicaSet `<deployment>-<pod-template-hash>` and labels its pods with the
 * hash, so a pod labelled `pod-template-hash=7d9f8c` owned by ReplicaSet `api-7d9f8c` is
 * Deployment `api`'s. A ReplicaSet made by hand carries no such pair.
 */
function deploymentOfReplicaSet(
  object: KubeObject,
  controller: OwnerReference,
  namespace: string,
): ResourceRef | undefined {
  if (controller.kind !== 'ReplicaSet') return undefined;
  const hash = object.metadata.labels?.['pod-template-hash'];
  if (hash === undefined || hash === '' || !controller.name.endsWith(`-${hash}`)) return undefined;
  return { kind: 'Deployment', namespace, name: controller.name.slice(0, -hash.length - 1) };
}

/** `api-7d9f8c-x2x9q` → ReplicaSet `api-7d9f8c`; `db-0` → StatefulSet `db`, when the snapshot has them. */
function ownerByPodName(ref: ResourceRef, snapshot: Snapshot): KubeObject | undefined {
  if (ref.kind !== 'Pod' || ref.namespace === undefined) return undefined;
  const replicaSet = /^(.+)-[a-z0-9]{5}$/.exec(ref.name)?.[1];
  const statefulSet = /^(.+)-\d+$/.exec(ref.name)?.[1];
  const namespace = ref.namespace;
  return (
    (replicaSet === undefined
      ? undefined
      : snapshot.get({ kind: 'ReplicaSet', namespace, name: replicaSet })) ??
    (statefulSet === undefined
      ? undefined
      : snapshot.get({ kind: 'StatefulSet', namespace, name: statefulSet }))
  );
}
