import type { Finding } from '../../core/finding.js';
import { refKey, refOf } from '../../core/resource-ref.js';
import type { EdgeKind } from '../../graph/edge.js';
import { healthOf } from '../../graph/health.js';
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
 * A reference to something that is not there (the graph's `missing` nodes, read where they would
 * be): a deleted pull Secret, a ServiceAccount never created, an Ingress backend Service that is
 * gone, a Service a pod's configuration or logs name (`calls`). The finding is on the missing object, so whatever depends on it ranks under it. Optional
 * references are left alone.
 */
export const missingDependency = defineRule({
  id: 'missing-dependency',
  summary:
    'a reference to something absent: pull Secret, ServiceAccount, ConfigMap, claim, Ingress backend, TLS Secret, class, a Service a pod dials',
  reads: [],
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
  detect(object, { graph }) {
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
        fix: createMissing(target.ref, graph),
      });
    }
    return findings;
  },
});
