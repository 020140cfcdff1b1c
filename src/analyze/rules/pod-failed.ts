import type { Evidence, Finding } from '../../core/finding.js';
import { formatList } from '../../core/format-list.js';
import type { ContainerStatus, Job } from '../../core/kube-types.js';
import { refOf } from '../../core/resource-ref.js';
import { eventText } from '../container-spec.js';
import { exitCodeMeaning } from '../exit-codes.js';
import { containerStatuses, nsFlag } from '../pod-refs.js';
import { defineRule } from '../rule.js';

/** Terminations another rule explains in full: out-of-memory, container-create-error. */
const EXPLAINED_ELSEWHERE = new Set(['OOMKilled', 'ContainerCannotRun', 'StartError']);

/**
 * A pod in phase Failed: it stopped for good and nothing restarts it in place. Says how, from the
 * pod's reason and message (DeadlineExceeded, a node shutdown, an admission error) and each
 * container that ended non-zero (exit code and its meaning, reason, termination message), with the
 * Warning events about it. A finding whether or not its Job was read: the Job's own finding, when
 * there is one, ranks under it.
 *
 * Left to the rules that say more: an eviction (pod-evicted), an OOM kill (out-of-memory), an init
 * container that exited non-zero (init-container-failure), a container the runtime could not start
 * (container-create-error). A failed pod of a Job that read as Complete was retried and succeeded:
 * no finding. A bare pod is gone for good (critical); a controller's is replaced or retried
 * (warning).
 */
export const podFailed = defineRule({
  id: 'pod-failed',
  summary:
    'a pod in phase Failed (its Job read or not): the pod’s reason, each container that exited non-zero, its Warning events',
  reads: ['Event', 'Job'],
  kinds: ['Pod'],
  symptom: true,
  detect(pod, { snapshot }) {
    if (pod.status?.phase !== 'Failed' || pod.status.reason === 'Evicted') return [];
    const statuses = containerStatuses(pod);
    const ended = (status: ContainerStatus): ContainerStatus['state'] =>
      status.state?.terminated === undefined ? status.lastState : status.state;
    if (
      statuses.some((status) => {
        const reason = ended(status)?.terminated?.reason;
        return (
          (reason !== undefined && EXPLAINED_ELSEWHERE.has(reason)) ||
          (status.init && (status.state?.terminated?.exitCode ?? 0) !== 0)
        );
      })
    )
      return [];
    const owner = pod.metadata.ownerReferences?.find((o) => o.controller === true);
    const ref = refOf(pod);
    if (owner?.kind === 'Job') {
      const job: Job | undefined = snapshot.get({ kind: 'Job', ...inNamespaceOf(ref), name: owner.name });
      const complete = job?.status?.conditions?.some((c) => c.type === 'Complete' && c.status === 'True');
      if (complete === true) return [];
    }
    const failedContainers = statuses.flatMap((status) => {
      const terminated = status.state?.terminated;
      return terminated === undefined || terminated.exitCode === 0 ? [] : [{ status, terminated }];
    });
    const evidence: Evidence[] = [
      {
        source: 'status',
        text: `phase Failed${pod.status.reason === undefined ? '' : `, reason ${pod.status.reason}`}${pod.status.message === undefined ? '' : `: ${pod.status.message.trim()}`}`,
      },
      ...failedContainers.map(({ status, terminated }) => ({
        source: 'status' as const,
        text: [
          `${status.init ? 'init container' : 'container'} ${status.name}: ${terminated.reason ?? 'terminated'}`,
          `exit code ${String(terminated.exitCode ?? '?')}${terminated.exitCode === undefined ? '' : ` (${exitCodeMeaning(terminated.exitCode)})`}`,
          terminated.finishedAt === undefined ? undefined : `at ${terminated.finishedAt}`,
        ]
          .filter((part) => part !== undefined)
          .join(', ')
          .concat(
            terminated.message === undefined || terminated.message.trim() === ''
              ? ''
              : `: ${terminated.message.trim()}`,
          ),
      })),
      ...snapshot
        .eventsAbout(ref)
        .filter((event) => event.type === 'Warning')
        .map((event) => ({ source: 'event' as const, text: eventText(event) })),
    ];
    const [first] = failedContainers;
    const how =
      pod.status.reason !== undefined
        ? `${pod.status.reason}${pod.status.message === undefined ? '' : `: ${pod.status.message.trim()}`}`
        : first !== undefined
          ? `${failedContainers.length === 1 ? `container ${first.status.name}` : `containers ${formatList(failedContainers.map((f) => f.status.name))}`} exited with code ${String(first.terminated.exitCode ?? '?')}${first.terminated.exitCode === undefined ? '' : ` (${exitCodeMeaning(first.terminated.exitCode)})`}${first.terminated.reason === undefined ? '' : `, ${first.terminated.reason}`}`
          : 'its status says no more';
    const ns = nsFlag(ref);
    const finding: Finding = {
      ruleId: this.id,
      severity: owner === undefined ? 'critical' : 'warning',
      resource: ref,
      message: `pod failed${owner === undefined ? '' : ` (${owner.kind} ${owner.name})`}: ${how}`,
      evidence,
      fix: {
        summary:
          first === undefined
            ? 'read why it failed in its status and events, fix that, and run it again'
            : `read why container ${first.status.name} exited in its log, fix that, and run it again`,
        commands: [
          ...(first === undefined ? [] : [`kubectl ${ns}logs ${pod.metadata.name} -c ${first.status.name}`]),
          `kubectl ${ns}describe pod ${pod.metadata.name}`,
        ],
      },
    };
    return [finding];
  },
});

function inNamespaceOf(ref: { readonly namespace?: string }): { readonly namespace?: string } {
  return ref.namespace === undefined ? {} : { namespace: ref.namespace };
}
