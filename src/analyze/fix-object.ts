import type { Finding } from '../core/finding.js';
import type { Pod } from '../core/kube-types.js';
import { objectId, type ResourceRef } from '../core/resource-ref.js';
import type { Snapshot } from '../core/snapshot.js';
import { topOwner } from '../events/top-owner.js';
import { configSourceNamed } from './config-source.js';

/** {@link FixPlace.objectFrom} of an owner whose pod template carries the fault. */
export const FROM_POD_TEMPLATE = 'pod template';

/** Kinds made from a template their owner carries, and the owners themselves. */
const TEMPLATED: ReadonlySet<string> = new Set([
  'Pod',
  'ReplicaSet',
  'ReplicationController',
  'Job',
  'Deployment',
  'StatefulSet',
  'DaemonSet',
  'CronJob',
]);

/** Where a problem is fixed: the object to change, its top owner, and what linked them. */
export interface FixPlace {
  /** The object to change, `namespace/Kind/name` (`Kind/name` when cluster-scoped). */
  readonly object: string;
  /** The top of that object's controller chain (the object itself when it has none), same form. */
  readonly topOwner: string;
  /**
   * What named the object when the finding is on another: `file /etc/app/config.yaml` (a failing
   * line quotes a file of the ConfigMap mounted there), `env LOG_LEVEL`, `pod template`.
   */
  readonly objectFrom?: string;
}

/**
 * The object a person changes to fix what `finding` found, at the level of the fix (DESIGN.md
 * §7.2; docs/commands.md "The object to change"):
 * - the finding's own {@link Finding.fixObject}, when its rule knew better (a quota, a claim's
 *   StatefulSet, the Service a webhook calls);
 * - for a rule that finds faults of pod templates, the ConfigMap or Secret that a failing line
 *   points at (a file under its mount, a variable taken from it): its content is what is wrong;
 * - else, for such a rule, the top owner whose template made the pod (Deployment, StatefulSet,
 *   DaemonSet, CronJob, or the Job), the pod itself when nothing owns it;
 * - else the finding's own object (a Node, a Service, a PVC, a quota).
 */
export function fixPlaceOf(
  finding: Finding,
  snapshot: Snapshot,
  templateRules: ReadonlySet<string>,
): FixPlace {
  const { ref, from } = objectToChange(finding, snapshot, templateRules);
  return {
    object: objectId(ref),
    topOwner: objectId(topOwner(ref, snapshot)),
    ...(from === undefined ? {} : { objectFrom: from }),
  };
}

function objectToChange(
  finding: Finding,
  snapshot: Snapshot,
  templateRules: ReadonlySet<string>,
): { ref: ResourceRef; from?: string } {
  if (finding.fixObject !== undefined) return { ref: finding.fixObject };
  if (!templateRules.has(finding.ruleId) || !TEMPLATED.has(finding.resource.kind))
    return { ref: finding.resource };
  if (finding.resource.kind === 'Pod') {
    const pod: Pod | undefined = snapshot.get(finding.resource);
    const source = pod === undefined ? undefined : configSourceOf(pod, finding, snapshot);
    if (source !== undefined)
      return {
        ref: source.ref,
        from: source.key === undefined ? source.via : `${source.via}, key ${source.key}`,
      };
  }
  const owner = topOwner(finding.resource, snapshot);
  return owner.kind === finding.resource.kind && owner.name === finding.resource.name
    ? { ref: owner }
    : { ref: owner, from: FROM_POD_TEMPLATE };
}

/** The ConfigMap or Secret the finding's failing lines (logs, termination messages) point at. */
function configSourceOf(pod: Pod, finding: Finding, snapshot: Snapshot) {
  const lines = finding.evidence
    .filter((item) => item.source === 'log' || item.source === 'status')
    .map((item) => item.text);
  if (lines.length === 0) return undefined;
  const containers = [...(pod.spec?.initContainers ?? []), ...(pod.spec?.containers ?? [])];
  for (const container of containers) {
    const source = configSourceNamed(pod, container.name, lines, snapshot);
    if (source !== undefined) return source;
  }
  return undefined;
}
