import type { ResourceRef } from '../core/resource-ref.js';
import type { Snapshot } from '../core/snapshot.js';

/**
 * The StatefulSet whose `volumeClaimTemplates` made a claim, when it was read: the StatefulSet
 * controller names each claim `<template>-<statefulset>-<ordinal>`, so the claim's spec (its
 * StorageClass, its size) is changed in that template, not on the claim. Undefined for a claim
 * made by hand.
 */
export function claimTemplateOwner(claim: ResourceRef, snapshot: Snapshot): ResourceRef | undefined {
  if (claim.kind !== 'PersistentVolumeClaim' || claim.namespace === undefined) return undefined;
  const { namespace } = claim;
  for (const statefulSet of snapshot.ofKind('StatefulSet')) {
    if (statefulSet.metadata.namespace !== namespace) continue;
    const name = statefulSet.metadata.name;
    for (const template of statefulSet.spec?.volumeClaimTemplates ?? []) {
      const prefix = `${template.metadata?.name ?? ''}-${name}-`;
      if (claim.name.startsWith(prefix) && /^\d+$/.test(claim.name.slice(prefix.length)))
        return { kind: 'StatefulSet', namespace, name };
    }
  }
  return undefined;
}
