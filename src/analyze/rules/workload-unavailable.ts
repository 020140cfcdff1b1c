import type { Evidence } from '../../core/finding.js';
import type { Workload } from '../../core/kube-types.js';
import { refOf } from '../../core/resource-ref.js';
import { nsFlag } from '../pod-refs.js';
import { defineRule } from '../rule.js';

/**
 * A Deployment, StatefulSet or DaemonSet with fewer ready pods than it wants: the symptom an
 * engineer is paged for. The ranking puts it above the pod failure that explains it; a stuck
 * rollout (ProgressDeadlineExceeded) is said so, with the way back.
 */
export const workloadUnavailable = defineRule({
  id: 'workload-unavailable',
  summary:
    'Deployment/StatefulSet/DaemonSet below desired, drilled down to the failing pod; stuck rollouts (ProgressDeadlineExceeded)',
  reads: [],
  symptom: true,
  kinds: ['Deployment', 'StatefulSet', 'DaemonSet'],
  detect(workload: Workload) {
    const desired =
      workload.kind === 'DaemonSet'
        ? (workload.status?.desiredNumberScheduled ?? 0)
        : (workload.spec?.replicas ?? 1);
    const ready =
      workload.kind === 'DaemonSet'
        ? (workload.status?.numberReady ?? 0)
        : (workload.status?.readyReplicas ?? 0);
    if (desired === 0 || ready >= desired) return [];
    const ref = refOf(workload);
    const conditions = workload.status?.conditions ?? [];
    const stuck = conditions.find((c) => c.type === 'Progressing' && c.reason === 'ProgressDeadlineExceeded');
    const evidence: Evidence[] = [
      { source: 'status', text: `${String(ready)}/${String(desired)} ready` },
      ...conditions
        .filter((c) => c.status !== 'True' || c.reason === 'ProgressDeadlineExceeded')
        .map((c) => ({
          source: 'status' as const,
          text: `${c.type}=${c.status} ${c.reason ?? ''}: ${c.message ?? ''}`.trim(),
        })),
    ];
    const kind = workload.kind.toLowerCase();
    return [
      {
        ruleId: this.id,
        severity: ready === 0 ? 'critical' : 'warning',
        resource: ref,
        message: `${workload.kind} ${workload.metadata.name} has ${String(ready)} of ${String(desired)} pods ready${stuck === undefined ? '' : ', and its rollout is stuck'}`,
        evidence,
        fix: {
          summary:
            stuck === undefined
              ? 'fix what keeps its pods from being ready (below)'
              : 'roll back the stuck rollout, then fix its cause',
          commands:
            stuck === undefined || workload.kind === 'DaemonSet'
              ? [`kubectl ${nsFlag(ref)}rollout status ${kind}/${workload.metadata.name}`]
              : [`kubectl ${nsFlag(ref)}rollout undo ${kind}/${workload.metadata.name}`],
        },
      },
    ];
  },
});
