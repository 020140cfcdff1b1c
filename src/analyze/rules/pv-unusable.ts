import { formatAge } from '../../core/duration.js';
import type { Evidence } from '../../core/finding.js';
import { refOf, type ResourceRef } from '../../core/resource-ref.js';
import type { Snapshot } from '../../core/snapshot.js';
import { timeMs } from '../../core/time.js';
import { eventText } from '../container-spec.js';
import { defineRule } from '../rule.js';

/** What the PV controller reports when reclaiming a volume fails. */
const RECLAIM_EVENTS = new Set(['VolumeFailedDelete', 'VolumeFailedRecycle', 'VolumeUnknownReclaimPolicy']);

/**
 * A PersistentVolume no claim can use. Failed (critical): reclaiming it after its claim went
 * away did not work (status.message and the VolumeFailedDelete/VolumeFailedRecycle events say
 * why, often a Delete policy on a volume no plugin can delete, such as a hand-made NFS volume), so
 * its storage may linger and the object stays. Released (warning): its claim was deleted; with
 * reclaimPolicy Retain it keeps the data but binds no new claim until someone clears its claimRef
 * (a claim recreated under the same name does not get it back); with Delete, its provisioner has
 * not deleted it yet. Not a symptom: the volume's state is the cause.
 */
export const pvUnusable = defineRule({
  id: 'pv-unusable',
  summary: 'a PersistentVolume Released (its claim gone) or Failed (reclaim did not work)',
  reads: ['Event', 'PersistentVolumeClaim'],
  kinds: ['PersistentVolume'],
  detect(pv, { snapshot, now }) {
    const phase = pv.status?.phase;
    if (phase !== 'Failed' && phase !== 'Released') return [];
    const ref = refOf(pv);
    const name = pv.metadata.name;
    const policy = pv.spec?.persistentVolumeReclaimPolicy ?? 'Retain';
    const claimRef = pv.spec?.claimRef;
    const claimText =
      claimRef?.name === undefined ? 'its claim' : `claim ${claimRef.namespace ?? ''}/${claimRef.name}`;
    const since = pv.status?.lastPhaseTransitionTime;
    const sinceMs = timeMs(since);
    const status: Evidence = {
      source: 'status',
      text: `phase ${phase}${sinceMs === undefined ? '' : ` since ${since ?? ''} (${formatAge(now.getTime() - sinceMs)})`}${pv.status?.message === undefined || pv.status.message === '' ? '' : `: ${pv.status.message}`}`,
    };
    const spec: Evidence = {
      source: 'spec',
      text: `persistentVolumeReclaimPolicy ${policy}${claimRef?.name === undefined ? '' : `, claimRef ${claimRef.namespace ?? ''}/${claimRef.name}`}`,
    };
    const events = snapshot
      .eventsAbout(ref)
      .filter((e) => e.type === 'Warning' && RECLAIM_EVENTS.has(e.reason))
      .map((e): Evidence => ({ source: 'event', text: eventText(e) }));
    const unclaim = `kubectl patch pv ${name} --type=json -p '[{"op":"remove","path":"/spec/claimRef"}]'`;

    if (phase === 'Failed')
      return [
        {
          ruleId: this.id,
          severity: 'critical',
          resource: ref,
          message: `PersistentVolume ${name} is Failed: reclaiming it (policy ${policy}) after ${claimText} went away did not work${pv.status?.message === undefined || pv.status.message === '' ? '' : `: ${pv.status.message}`}`,
          evidence: [status, spec, ...events],
          fix: {
            summary:
              policy === 'Retain'
                ? `fix what the message says; to reuse the volume, clear its claimRef once its data is safe, or delete it`
                : `nothing will delete its storage on its own: clean up the backing storage by hand if needed, then delete the PersistentVolume (or, to keep the data, set its reclaim policy to Retain and clear its claimRef)`,
            commands:
              policy === 'Retain'
                ? [unclaim, `kubectl delete pv ${name}`]
                : [
                    `kubectl delete pv ${name}`,
                    `kubectl patch pv ${name} -p '{"spec":{"persistentVolumeReclaimPolicy":"Retain"}}'`,
                  ],
          },
        },
      ];

    const recreated = claimRecreated(claimRef, snapshot);
    const evidence = [status, spec, ...events];
    if (recreated !== undefined)
      evidence.push({
        source: 'graph',
        resource: recreated,
        text: `PersistentVolumeClaim ${recreated.namespace ?? ''}/${recreated.name} exists again, but the volume is held for the deleted one`,
      });
    return [
      {
        ruleId: this.id,
        severity: 'warning',
        resource: ref,
        message:
          policy === 'Delete'
            ? `PersistentVolume ${name} is Released: ${claimText} was deleted and its reclaim policy is Delete, but the volume has not been deleted`
            : `PersistentVolume ${name} is Released: ${claimText} was deleted, and with reclaim policy ${policy} it keeps its data but binds no new claim`,
        evidence,
        fix:
          policy === 'Delete'
            ? {
                summary:
                  'its provisioner should delete it: check that the provisioner runs and what the events say, or delete it by hand',
                commands: [`kubectl describe pv ${name}`, `kubectl delete pv ${name}`],
              }
            : {
                summary: `save its data if it matters, then clear spec.claimRef to make it Available again${recreated === undefined ? '' : ` (the recreated claim then binds it)`}, or delete it (with Retain the backing storage stays)`,
                commands: [unclaim, `kubectl delete pv ${name}`],
              },
      },
    ];
  },
});

/** The claim the volume was held for, when a claim of that name exists again (a new uid). */
function claimRecreated(
  claimRef: { readonly name?: string; readonly namespace?: string; readonly uid?: string } | undefined,
  snapshot: Snapshot,
): ResourceRef | undefined {
  if (claimRef?.name === undefined || claimRef.namespace === undefined) return undefined;
  const ref: ResourceRef = {
    kind: 'PersistentVolumeClaim',
    namespace: claimRef.namespace,
    name: claimRef.name,
  };
  const claim = snapshot.get(ref);
  if (claim === undefined) return undefined;
  return claimRef.uid === undefined || claim.metadata.uid === claimRef.uid ? undefined : ref;
}
