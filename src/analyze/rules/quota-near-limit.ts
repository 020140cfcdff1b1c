import type { Evidence } from '../../core/finding.js';
import type { Container, Pod } from '../../core/kube-types.js';
import { formatRef, refOf } from '../../core/resource-ref.js';
import { formatBytes, formatCpu, parseQuantity } from '../../core/resource-quantity.js';
import type { Snapshot } from '../../core/snapshot.js';
import { CONTROLLER_KINDS } from '../../core/kinds.js';
import { topOwner } from '../../events/top-owner.js';
import { nsFlag } from '../pod-refs.js';
import { formatQuotaValue, quotaUnit, quotaValue } from '../quota-figures.js';
import { defineRule } from '../rule.js';

/** Share of a hard limit from which a quota is near its limit. */
const NEAR = 0.9;
/** A suggested hard limit leaves this share of it free. */
const HEADROOM = 0.2;
const TOP_USERS = 3;
/** Pod resources a quota can name bare; `requests.storage` and the like belong to claims. */
const BARE_POD_RESOURCES = new Set(['cpu', 'memory', 'ephemeral-storage']);

/** One resource at or near its hard limit. */
interface Tight {
  readonly resource: string;
  readonly used: string;
  readonly hard: string;
  readonly usedValue: number;
  readonly share: number;
}

/**
 * A ResourceQuota with a resource at 90% or more of its hard limit (status.used against
 * status.hard): warning; at 100%, critical, since the API server refuses anything that needs more
 * of it (a Deployment's new pods fail to be created). Names the resource, used and hard, and, for
 * pod resources of an unscoped quota, the workloads that use most of it (the namespace's pods,
 * read once per quota). A hard limit of 0 forbids the resource on purpose and is left alone.
 */
export const quotaNearLimit = defineRule({
  id: 'quota-near-limit',
  summary: 'a ResourceQuota at 90% or more of a limit',
  reads: ['Pod', ...CONTROLLER_KINDS],
  kinds: ['ResourceQuota'],
  detect(quota, { snapshot }) {
    const ref = refOf(quota);
    const hard = quota.status?.hard ?? {};
    const used = quota.status?.used ?? {};
    const tight: Tight[] = [];
    for (const [resource, hardText] of Object.entries(hard).sort(([a], [b]) => a.localeCompare(b))) {
      const hardValue = quotaValue(hardText);
      if (hardValue <= 0) continue;
      const usedText = used[resource] ?? '0';
      const usedValue = quotaValue(usedText);
      const share = usedValue / hardValue;
      if (share >= NEAR) tight.push({ resource, used: usedText, hard: hardText, usedValue, share });
    }
    if (tight.length === 0) return [];
    const full = tight.filter((t) => t.share >= 1);
    const name = quota.metadata.name;
    const scoped = (quota.spec?.scopes?.length ?? 0) > 0 || quota.spec?.scopeSelector !== undefined;
    const evidence: Evidence[] = [];
    for (const t of tight) {
      evidence.push({
        source: 'status',
        text: `${t.resource} used ${t.used} of hard ${t.hard} (${String(Math.floor(t.share * 100))}%)`,
      });
      const users = scoped ? undefined : topUsers(snapshot, ref.namespace ?? '', t.resource);
      if (users !== undefined && users !== '')
        evidence.push({ source: 'spec', text: `most ${t.resource}: ${users}` });
    }
    const podsOnly = full.every((t) => isPodResource(t.resource));
    const raised = Object.fromEntries(
      tight.map((t) => [t.resource, formatQuotaValue(t.resource, t.usedValue / (1 - HEADROOM))]),
    );
    return [
      {
        ruleId: this.id,
        severity: full.length > 0 ? 'critical' : 'warning',
        resource: ref,
        message: `ResourceQuota ${name} is ${full.length > 0 ? 'used up' : 'nearly used up'}: ${tight
          .map((t) => `${t.resource} ${t.used} of ${t.hard}`)
          .join(
            ', ',
          )}${full.length === 0 ? '' : `; new ${podsOnly ? 'pods' : 'objects'} that need more of ${full.map((t) => t.resource).join(', ')} are refused`}`,
        evidence,
        fix: {
          summary:
            'raise the hard limits, or free quota: lower the requests of its biggest users, scale down or delete what is not needed',
          commands: [
            `kubectl ${nsFlag(ref)}describe resourcequota ${name}`,
            `kubectl ${nsFlag(ref)}patch resourcequota ${name} --type=merge -p '${JSON.stringify({ spec: { hard: raised } })}'  # leaves ${String(HEADROOM * 100)}% free`,
          ],
        },
      },
    ];
  },
});

function isPodResource(resource: string): boolean {
  return podField(resource) !== undefined || resource === 'pods' || resource === 'count/pods';
}

/** `requests.cpu` → requests of cpu; `limits.memory` → limits of memory; bare `cpu` → requests. */
function podField(resource: string): { field: 'requests' | 'limits'; name: string } | undefined {
  if (BARE_POD_RESOURCES.has(resource)) return { field: 'requests', name: resource };
  const match = /^(requests|limits)\.(.+)$/.exec(resource);
  if (match === null || match[2] === 'storage' || (match[2] ?? '').includes('storageclass.storage.k8s.io'))
    return undefined;
  return { field: match[1] === 'limits' ? 'limits' : 'requests', name: match[2] ?? '' };
}

/**
 * The workloads whose live pods use most of a pod resource, as `Deployment/api 2 cores (6 pods)`;
 * undefined for a resource pods do not use. Pods that finished do not count against a quota.
 */
function topUsers(snapshot: Snapshot, namespace: string, resource: string): string | undefined {
  const countsPods = resource === 'pods' || resource === 'count/pods';
  const field = podField(resource);
  if (!countsPods && field === undefined) return undefined;
  const byOwner = new Map<string, { amount: number; pods: number }>();
  for (const object of snapshot.ofKind('Pod', namespace)) {
    const pod = object;
    const phase = pod.status?.phase;
    if (phase === 'Succeeded' || phase === 'Failed') continue;
    const amount = field === undefined ? 1 : podAmount(pod, field.field, field.name);
    if (amount === 0) continue;
    const owner = formatRef(topOwner(refOf(pod), snapshot, pod.metadata.uid));
    const entry = byOwner.get(owner) ?? { amount: 0, pods: 0 };
    entry.amount += amount;
    entry.pods += 1;
    byOwner.set(owner, entry);
  }
  return [...byOwner]
    .sort(([a, x], [b, y]) => y.amount - x.amount || a.localeCompare(b))
    .slice(0, TOP_USERS)
    .map(
      ([owner, { amount, pods }]) =>
        `${owner} ${countsPods ? '' : `${formatAmount(resource, amount)} `}(${String(pods)} pod${pods === 1 ? '' : 's'})`,
    )
    .join(', ');
}

/** A pod's figure as a quota counts it: its containers' sum, or its largest init container if more. */
function podAmount(pod: Pod, field: 'requests' | 'limits', name: string): number {
  const of = (containers: readonly Container[] | undefined): number[] =>
    (containers ?? []).map((c) => {
      const text = c.resources?.[field]?.[name];
      return text === undefined ? 0 : parseQuantity(text);
    });
  return Math.max(
    of(pod.spec?.containers).reduce((a, b) => a + b, 0),
    ...of(pod.spec?.initContainers),
  );
}

function formatAmount(resource: string, amount: number): string {
  switch (quotaUnit(resource)) {
    case 'cpu':
      return formatCpu(Math.round(amount * 1000));
    case 'bytes':
      return formatBytes(amount);
    case 'count':
      return String(amount);
  }
}
