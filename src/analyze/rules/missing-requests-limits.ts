import type { Finding } from '../../core/finding.js';
import type { Container, Pod } from '../../core/kube-types.js';
import { refOf, type ResourceRef } from '../../core/resource-ref.js';
import { formatBytesQuantity, parseBytes } from '../../core/resource-quantity.js';
import { CONTROLLER_KINDS } from '../../core/kinds.js';
import { containerStatuses } from '../pod-refs.js';
import { podWorkload, setResourcesCommand } from '../pod-workload.js';
import { defineRule } from '../rule.js';

/** The kubelet's eviction message: the resource the node ran low on, and each container's use of it. */
const NODE_LOW = /The node was low on resource: ([^.]+)\./;
const CONTAINER_USE =
  /Container (\S+) was using (\S+), request is (\S+), has larger consumption of ([^.]+)\./g;

/** How the pod failed, and which resource's requests and limits matter for it. */
interface Failure {
  /** `was OOMKilled`, `was evicted for node memory pressure`. */
  readonly how: string;
  readonly resource: string;
  /** The containers it concerns (the OOM-killed ones; every app container for an eviction). */
  readonly containers: ReadonlySet<string>;
  /** Whether a missing limit matters too (an OOM kill), or only the request (an eviction ranks by use above request). */
  readonly limits: boolean;
  /** What each container was using when evicted, from the kubelet's message. */
  readonly using: ReadonlyMap<string, string>;
}

/**
 * Containers of pods that already failed for want of resources, and have no request or limit for
 * that resource: an OOM-killed container without a memory request or limit (the scheduler counts
 * it as using nothing, and nothing caps it before the node runs out), or containers of a pod
 * evicted for node pressure without a request of the resource under pressure (the kubelet evicts
 * first the pods using most above their requests). Healthy pods are not nagged. A Pending pod short
 * of a resource already requests it, so there is nothing missing to point at there.
 *
 * Warning, on the pod, naming the container, with a `kubectl set resources` for its workload:
 * figures from what the kubelet saw it use when it has them, placeholders otherwise.
 */
export const missingRequestsLimits = defineRule({
  id: 'missing-requests-limits',
  summary:
    'requests or limits missing on pods that failed for want of them (OOM-killed, evicted for pressure)',
  reads: [...CONTROLLER_KINDS],
  kinds: ['Pod'],
  fixInTemplate: true,
  detect(pod, { snapshot }) {
    const failure = failureOf(pod);
    if (failure === undefined) return [];
    const ref = refOf(pod);
    const owner = podWorkload(pod, snapshot);
    const findings: Finding[] = [];
    const containers: readonly (Container & { init?: boolean })[] = [
      ...(pod.spec?.initContainers ?? []).map((c) => ({ ...c, init: true })),
      ...(pod.spec?.containers ?? []),
    ];
    for (const container of containers) {
      if (!failure.containers.has(container.name)) continue;
      const { resource } = failure;
      const request = container.resources?.requests?.[resource];
      const limit = container.resources?.limits?.[resource];
      const missing = [
        ...(request === undefined ? [`no ${resource} request`] : []),
        ...(failure.limits && limit === undefined ? [`no ${resource} limit`] : []),
      ];
      if (missing.length === 0) continue;
      const kind = container.init === true ? 'init container' : 'container';
      findings.push({
        ruleId: this.id,
        severity: 'warning',
        resource: ref,
        message: `${kind} ${container.name} has ${missing.join(' and ')}, and its pod ${failure.how}`,
        evidence: [
          {
            source: 'spec',
            text: `${kind} ${container.name}: ${resource} request ${request ?? 'none'}, limit ${limit ?? 'none'}`,
          },
        ],
        fix: fixFor(ref, owner, container.name, failure, request, limit),
      });
    }
    return findings;
  },
});

function failureOf(pod: Pod): Failure | undefined {
  const killed = containerStatuses(pod)
    .filter((s) => [s.state?.terminated, s.lastState?.terminated].some((t) => t?.reason === 'OOMKilled'))
    .map((s) => s.name);
  if (killed.length > 0)
    return {
      how: 'was OOMKilled',
      resource: 'memory',
      containers: new Set(killed),
      limits: true,
      using: new Map(),
    };
  if (pod.status?.phase === 'Failed' && pod.status.reason === 'Evicted') {
    const message = pod.status.message ?? '';
    const resource = NODE_LOW.exec(message)?.[1]?.trim();
    // Evictions for a container's own ephemeral-storage limit, or a node condition, name no pressure to request against.
    if (resource !== 'memory' && resource !== 'ephemeral-storage') return undefined;
    const using = new Map(
      [...message.matchAll(CONTAINER_USE)]
        .filter((m) => m[4] === resource)
        .map((m): [string, string] => [m[1] ?? '', m[2] ?? '']),
    );
    return {
      how: `was evicted for node ${resource} pressure`,
      resource,
      // Init containers have finished: the kubelet ranks a pod by what its running containers use.
      containers: new Set((pod.spec?.containers ?? []).map((c) => c.name)),
      limits: false,
      using,
    };
  }
  return undefined;
}

function fixFor(
  ref: ResourceRef,
  owner: ResourceRef,
  container: string,
  failure: Failure,
  request: string | undefined,
  limit: string | undefined,
): Finding['fix'] {
  const { resource } = failure;
  const used = failure.using.get(container);
  const figure = used === undefined ? undefined : usedFigure(used);
  const requestValue = request ?? figure ?? limit ?? 'REQUEST';
  const limitValue = limit ?? 'LIMIT';
  const flags = [
    ...(request === undefined ? [`--requests=${resource}=${requestValue}`] : []),
    ...(failure.limits && limit === undefined ? [`--limits=${resource}=${limitValue}`] : []),
  ].join(' ');
  const placeholders = flags.includes('REQUEST') || flags.includes('LIMIT');
  const summary = failure.limits
    ? `give container ${container} a ${resource} request of what it uses and a limit above its peak, so the scheduler reserves it and a leak stops at the container`
    : `give container ${container} a ${resource} request${figure === undefined ? ' of what it uses' : ` of what it used (${figure})`}, so the scheduler reserves it and it is not evicted first`;
  const hint = placeholders
    ? `  # ${failure.limits ? 'REQUEST: what it uses; LIMIT: above its peak' : 'REQUEST: what it uses'}`
    : '';
  return {
    summary,
    commands: [
      // Re-created from a manifest (a pod, a Job), the placeholders are in the comment already.
      `${setResourcesCommand(owner, container, flags)}${owner.kind === 'Pod' || owner.kind === 'Job' ? '' : hint}`,
    ],
  };
}

/** What the kubelet saw a container use (`1200Mi`, `1.2Gi`), as a manifest figure; undefined if unreadable. */
function usedFigure(text: string): string | undefined {
  try {
    return formatBytesQuantity(parseBytes(text));
  } catch {
    return undefined;
  }
}
