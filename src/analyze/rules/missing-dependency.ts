import type { Finding } from '../../core/finding.js';
import { refKey, refOf } from '../../core/resource-ref.js';
import type { DependencyGraph } from '../../graph/dependency-graph.js';
import type { EdgeKind } from '../../graph/edge.js';
import { healthOf } from '../../graph/health.js';
import type { Snapshot } from '../../core/snapshot.js';
import type { ResourceRef } from '../../core/resource-ref.js';
import { topOwner } from '../../events/top-owner.js';
import { claimTemplateOwner } from '../claim-template.js';
import { createMissing } from '../create-missing.js';
import { defineRule } from '../rule.js';

/** References whose target must exist for the referrer to work. */
const NEEDED: ReadonlySet<EdgeKind> = new Set<EdgeKind>([
  'uses-config-map',
  'uses-secret',
  'runs-as',
  'pulls-with',
  'mounts-claim',
  'uses-priority-class',
  'uses-runtime-class',
  'routes-to',
  'terminates-tls-with',
  'uses-ingress-class',
  'uses-storage-class',
  'calls',
]);

/**
 * Cluster-wide classes that a workload names by a name of its own choosing: when one does not
 * exist, the name is what is wrong (a typo, another cluster's class), so the referrer is what
 * gets changed, not the class created.
 */
const CLASS_KINDS: ReadonlySet<string> = new Set([
  'StorageClass',
  'IngressClass',
  'PriorityClass',
  'RuntimeClass',
]);

/**
 * A reference to something that is not there (the graph's `missing` nodes, read where they would
 * be): a deleted pull Secret, a ServiceAccount never created, an Ingress backend Service that is
 * gone, a Service a pod's configuration or logs name (`calls`). The finding is on the missing object, so whatever depends on it ranks under it. Optional
 * references are left alone.
 */
export const missingDependency = defineRule({
  id: 'missing-dependency',
  summary:
    'a reference to something absent: pull Secret, ServiceAccount, ConfigMap, claim, Ingress backend, TLS Secret, class, a Service a pod dials',
  reads: ['StatefulSet'],
  kinds: [
    'Pod',
    'Deployment',
    'StatefulSet',
    'DaemonSet',
    'Job',
    'CronJob',
    'ReplicaSet',
    'Ingress',
    'PersistentVolumeClaim',
  ],
  detect(object, { graph, snapshot }) {
    const ref = refOf(object);
    const key = refKey(ref);
    const from = graph.nodeByKey(key);
    const failing =
      from !== undefined && ['failing', 'degraded', 'progressing'].includes(healthOf(from, graph).state);
    const findings: Finding[] = [];
    for (const edge of graph.outgoing(key)) {
      if (!NEEDED.has(edge.kind) || edge.detail?.optional === true) continue;
      const target = graph.nodeByKey(edge.to);
      if (target?.presence !== 'missing') continue;
      const how = [
        edge.kind,
        edge.detail?.via,
        edge.detail?.port === undefined ? undefined : `port ${edge.detail.port}`,
      ]
        .filter((part) => part !== undefined)
        .join(' ');
      findings.push({
        ruleId: this.id,
        severity: failing || object.kind === 'Ingress' ? 'critical' : 'warning',
        resource: target.ref,
        message: `${target.ref.kind} ${target.ref.name} does not exist, and ${object.kind === 'Pod' ? 'pods' : `${object.kind} objects`} reference it`,
        evidence: [
          {
            source: 'graph',
            resource: ref,
            text: `${object.kind}/${object.metadata.name} ${how} → ${target.ref.kind}/${target.ref.name} (not found)`,
          },
        ],
        ...classFix(target.ref, ref, graph, snapshot),
      });
    }
    return findings;
  },
});

/** The fix, and for a missing class the referrer to change (a claim's StatefulSet, a pod's owner). */
function classFix(
  missing: ResourceRef,
  referrer: ResourceRef,
  graph: DependencyGraph,
  snapshot: Snapshot,
): Pick<Finding, 'fix' | 'fixObject'> {
  const fix = createMissing(missing, graph);
  if (!CLASS_KINDS.has(missing.kind)) return { fix };
  const fixObject = referrerToChange(referrer, snapshot);
  if (fixObject.kind !== 'StatefulSet' || missing.kind !== 'StorageClass') return { fix, fixObject };
  const ns = `-n ${fixObject.namespace ?? ''} `;
  return {
    fixObject,
    fix: {
      summary: `a StatefulSet's volumeClaimTemplates cannot be changed: recreate StatefulSet ${fixObject.name} with a storageClassName that exists (orphaning keeps its pods running), then delete its Pending claims so they are made again; or create StorageClass ${missing.name}`,
      commands: [
        'kubectl get storageclass',
        `kubectl ${ns}get statefulset ${fixObject.name} -o yaml > statefulset.yaml  # set volumeClaimTemplates[].spec.storageClassName`,
        `kubectl ${ns}delete statefulset ${fixObject.name} --cascade=orphan && kubectl ${ns}apply -f statefulset.yaml`,
        `kubectl ${ns}delete pvc ${referrer.name}`,
      ],
    },
  };
}

/** Where a reference is changed: a claim's StatefulSet template, a pod's top owner, else itself. */
function referrerToChange(ref: ResourceRef, snapshot: Snapshot): ResourceRef {
  if (ref.kind === 'PersistentVolumeClaim') return claimTemplateOwner(ref, snapshot) ?? ref;
  return ref.kind === 'Pod' || ref.kind === 'ReplicaSet' || ref.kind === 'Job'
    ? topOwner(ref, snapshot)
    : ref;
}
