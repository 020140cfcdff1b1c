import { formatAge } from '../../core/duration.js';
import type { Evidence, Finding, Fix } from '../../core/finding.js';
import { formatList } from '../../core/format-list.js';
import type { DeletionMetadata, Node, Pod } from '../../core/kube-types.js';
import { refOf, type ResourceRef } from '../../core/resource-ref.js';
import type { Snapshot } from '../../core/snapshot.js';
import { timeMs } from '../../core/time.js';
import { eventText } from '../container-spec.js';
import { nsFlag } from '../pod-refs.js';
import { defineRule } from '../rule.js';

/** How long past its grace period a pod may take to go before it counts as stuck. */
const MARGIN_MS = 5 * 60_000;
/** The kubelet's Warning events while it stops a pod. */
const STOP_EVENTS = new Set(['FailedKillPod', 'ExceededGracePeriod', 'FailedPreStopHook']);

/** Why the pod is still there: what has not let go of it. */
type Holder =
  | { readonly kind: 'finalizers' }
  | { readonly kind: 'node-down'; readonly node: string }
  | { readonly kind: 'node-gone'; readonly node: string }
  | { readonly kind: 'kubelet'; readonly node: string | undefined };

/**
 * A pod stuck Terminating: more than five minutes past the moment it should have been gone (the
 * API server sets deletionTimestamp to the deletion request plus the grace period). Names what
 * holds it: finalizers still on it (listed), its node NotReady or gone so no kubelet confirms its
 * containers stopped, or the kubelet on a Ready node that has not confirmed. The fix removes the
 * finalizers or deletes the pod by force, with what that skips. A symptom: a NotReady node is the
 * cause the ranking puts above it.
 */
export const podStuckTerminating = defineRule({
  id: 'pod-stuck-terminating',
  summary:
    'pods Terminating past their grace period: finalizers, a NotReady or gone node, a kubelet that does not confirm',
  reads: ['Event', 'Node'],
  kinds: ['Pod'],
  symptom: true,
  detect(pod, { snapshot, now }) {
    const meta: DeletionMetadata = pod.metadata;
    const dueMs = timeMs(meta.deletionTimestamp);
    if (dueMs === undefined || now.getTime() - dueMs <= MARGIN_MS) return [];
    const ref = refOf(pod);
    const finalizers = meta.finalizers ?? [];
    const grace = meta.deletionGracePeriodSeconds;
    const nodeName = pod.spec?.nodeName;

    // The kubelet confirms the containers stopped by deleting with a grace period of 0; until then
    // the pod waits for it, whatever the finalizers do.
    const holders: Holder[] = [];
    if (grace !== 0) {
      const node: Node | undefined =
        nodeName === undefined ? undefined : snapshot.get({ kind: 'Node', name: nodeName });
      const ready = node?.status?.conditions?.find((c) => c.type === 'Ready');
      if (nodeName !== undefined && node === undefined && snapshot.coverage.covers('Node', undefined))
        holders.push({ kind: 'node-gone', node: nodeName });
      else if (nodeName !== undefined && ready !== undefined && ready.status !== 'True')
        holders.push({ kind: 'node-down', node: nodeName });
      else if (finalizers.length === 0 || nodeName !== undefined)
        holders.push({ kind: 'kubelet', node: nodeName });
    }
    if (finalizers.length > 0) holders.push({ kind: 'finalizers' });
    if (holders.length === 0) return [];

    const requestedMs = grace === undefined ? undefined : dueMs - grace * 1000;
    const evidence: Evidence[] = [
      {
        source: 'status',
        text: `deletionTimestamp ${meta.deletionTimestamp ?? '?'}${grace === undefined ? '' : ` (grace period ${String(grace)}s, deleted ${formatAge(now.getTime() - (requestedMs ?? dueMs))} ago)`}`,
      },
    ];
    if (finalizers.length > 0)
      evidence.push({ source: 'spec', text: `finalizers: ${finalizers.join(', ')}` });
    for (const holder of holders) evidence.push(...holderEvidence(holder, pod, snapshot));
    for (const event of snapshot.eventsAbout(ref))
      if (event.type === 'Warning' && STOP_EVENTS.has(event.reason))
        evidence.push({ source: 'event', text: eventText(event) });

    const reasons = holders.map((holder) => reasonOf(holder, finalizers));
    return [
      {
        ruleId: this.id,
        severity: 'warning',
        resource: ref,
        message: `pod is stuck Terminating, ${formatAge(now.getTime() - dueMs)} past its grace period: ${reasons.join('; and ')}`,
        evidence,
        fix: fixOf(ref, holders, finalizers),
      } satisfies Finding,
    ];
  },
});

function reasonOf(holder: Holder, finalizers: readonly string[]): string {
  switch (holder.kind) {
    case 'finalizers':
      return `finalizer${finalizers.length === 1 ? '' : 's'} ${formatList(finalizers)} ${finalizers.length === 1 ? 'is' : 'are'} still on it, waiting for ${finalizers.length === 1 ? 'its controller' : 'their controllers'} to remove ${finalizers.length === 1 ? 'it' : 'them'}`;
    case 'node-down':
      return `node ${holder.node} is not Ready, so no kubelet confirms its containers stopped`;
    case 'node-gone':
      return `its node ${holder.node} no longer exists, so no kubelet confirms its containers stopped`;
    case 'kubelet':
      return holder.node === undefined
        ? 'no kubelet has confirmed its containers stopped'
        : `the kubelet on node ${holder.node} has not confirmed its containers stopped`;
    default:
      return holder satisfies never;
  }
}

function holderEvidence(holder: Holder, pod: Pod, snapshot: Snapshot): Evidence[] {
  switch (holder.kind) {
    case 'finalizers':
      return [];
    case 'node-gone':
      return [
        { source: 'graph', text: `Pod/${pod.metadata.name} runs-on → Node/${holder.node} (not found)` },
      ];
    case 'node-down': {
      const node: Node | undefined = snapshot.get({ kind: 'Node', name: holder.node });
      const ready = node?.status?.conditions?.find((c) => c.type === 'Ready');
      return ready === undefined
        ? []
        : [
            {
              source: 'status',
              resource: { kind: 'Node', name: holder.node },
              text: `Ready=${ready.status}${ready.reason === undefined ? '' : ` ${ready.reason}`}${ready.message === undefined ? '' : `: ${ready.message}`}${ready.lastHeartbeatTime === undefined ? '' : ` (last heartbeat ${ready.lastHeartbeatTime})`}`,
            },
          ];
    }
    case 'kubelet': {
      const running = [
        ...(pod.status?.initContainerStatuses ?? []),
        ...(pod.status?.containerStatuses ?? []),
      ].filter((status) => status.state?.running !== undefined);
      return running.length === 0
        ? []
        : [{ source: 'status', text: `containers still running: ${formatList(running.map((s) => s.name))}` }];
    }
    default:
      return holder satisfies never;
  }
}

function fixOf(ref: ResourceRef, holders: readonly Holder[], finalizers: readonly string[]): Fix {
  const ns = nsFlag(ref);
  const force = `kubectl ${ns}delete pod ${ref.name} --grace-period=0 --force`;
  const removeFinalizers = `kubectl ${ns}patch pod ${ref.name} --type=json -p '[{"op":"remove","path":"/metadata/finalizers"}]'`;
  const summaries: string[] = [];
  const commands: string[] = [];
  for (const holder of holders) {
    switch (holder.kind) {
      case 'finalizers':
        summaries.push(
          `find why the controller behind ${formatList(finalizers)} does not finish; if it is gone, remove the finalizers (what they guard is then skipped)`,
        );
        commands.push(removeFinalizers);
        break;
      case 'node-down':
        summaries.push(
          `if node ${holder.node} is really down, its containers are gone with it: mark it out of service (its pods are deleted and their volumes detached) or delete the pod by force; for a StatefulSet pod be sure first, or two pods may run with one identity`,
        );
        commands.push(
          `kubectl taint nodes ${holder.node} node.kubernetes.io/out-of-service=nodeshutdown:NoExecute  # only when the node is really off`,
          `${force}  # only when node ${holder.node} is really off`,
        );
        break;
      case 'node-gone':
        summaries.push(`node ${holder.node} is gone, and its containers with it: delete the pod by force`);
        commands.push(force);
        break;
      case 'kubelet':
        summaries.push(
          `see why the kubelet${holder.node === undefined ? '' : ` on ${holder.node}`} cannot stop the containers (the container runtime, a hung process); deleting by force removes only the object, the containers may keep running`,
        );
        commands.push(
          ...(holder.node === undefined ? [] : [`kubectl describe node ${holder.node}`]),
          `${force}  # removes the object only`,
        );
        break;
      default:
        holder satisfies never;
    }
  }
  return { summary: summaries.join('; then '), commands };
}
