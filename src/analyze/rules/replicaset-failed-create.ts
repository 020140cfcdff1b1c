import type { EventRecord } from '../../core/event-record.js';
import type { Evidence, Finding, Fix } from '../../core/finding.js';
import { formatList } from '../../core/format-list.js';
import type { KubeObject } from '../../core/kube-object.js';
import type { DaemonSet, Job, ResourceQuota, WebhookConfiguration, Workload } from '../../core/kube-types.js';
import { formatRef, refOf, type ResourceRef } from '../../core/resource-ref.js';
import type { Snapshot } from '../../core/snapshot.js';
import { notReadText, referenceState } from '../reference-state.js';
import { timeMs } from '../../core/time.js';
import { CONTROLLER_KINDS } from '../../core/kinds.js';
import { topOwner } from '../../events/top-owner.js';
import { nsFlag } from '../pod-refs.js';
import { setResourcesCommand } from '../pod-workload.js';
import { formatQuotaValue, quotaValue } from '../quota-figures.js';
import { defineRule } from '../rule.js';

/** The controllers' prefixes before the API server's error (RealPodControl; the StatefulSet controller). */
const CONTROLLER_PREFIX = /^(?:Error creating: |.*? in StatefulSet \S+ failed error: )/;
/** `pods "api-7d9f8c-x2x9q" is forbidden: …`: the API server's Forbidden, around the admission error. */
const FORBIDDEN = /^(\S+) "([^"]*)" is forbidden: /;
const QUOTA_EXCEEDED = /exceeded quota: ([^,]+), requested: (.+?), used: (.+?), limited: (.+)$/;
const QUOTA_REQUIRES = /failed quota: ([^:]+): must specify (.+)$/;
const WEBHOOK_DENIED = /admission webhook "([^"]+)" denied the request:?\s*(.*)$/s;
const WEBHOOK_UNREACHABLE = /failed calling webhook "([^"]+)"/;
const SERVICE_ACCOUNT =
  /error looking up service account ([^/\s]+)\/([^:\s]+): serviceaccount "[^"]*" not found/;
const POD_SECURITY = /violates PodSecurity "([^"]+)": (.*)$/s;
/** The LimitRanger's words: `maximum cpu usage per Container is 500m, but limit is 1`. */
const LIMIT_RANGE =
  /(minimum|maximum) (\S+) usage per (Container|Pod|PersistentVolumeClaim) is (\S+?)(?:, but (request|limit) is ([^,\]]+)|\.\s+No (request|limit) is specified)/g;
const LIMIT_RATIO =
  /(\S+) max limit to request ratio per (Container|Pod) is (\S+), but provided ratio is ([^,\]]+)/g;

/** What the API server refused, decoded: for the message, the evidence, the fix and the ranking. */
interface Cause {
  /** For the message: `ResourceQuota compute is used up for requests.cpu (…)`. */
  readonly text: string;
  readonly evidence: readonly Evidence[];
  readonly fix: Fix;
  readonly waitsOn?: readonly ResourceRef[];
  /**
   * The object to change when it is not the pod template: the quota or LimitRange that refuses
   * the pods, the ServiceAccount to create, the webhook's Service to bring back.
   */
  readonly fixObject?: ResourceRef;
}

/** Where commands point: the namespace flag, the object to change, and how many pods are missing. */
interface Target {
  readonly ns: string;
  readonly namespace: string;
  /** `deployment/api`: the top of the controller chain, whose template people edit. */
  readonly owner: string;
  /** What makes the pods: the object the fix changes. */
  readonly ownerRef: ResourceRef;
  readonly missing: number;
}

/**
 * A controller whose pods the API server refuses to create (FailedCreate events; a ReplicaSet's
 * ReplicaFailure condition): the ReplicaSet, and the StatefulSet, DaemonSet, Job and
 * ReplicationController controllers alike. The refusal is decoded: an exceeded ResourceQuota
 * (which quota, which resource, requested against used and hard), a quota that requires requests
 * or limits the pods lack, an admission webhook that denied the pod or could not be called, a
 * ServiceAccount that does not exist, a PodSecurity level the pod violates.
 *
 * The finding is on the controller, not on the quota or webhook: the Deployment above a
 * ReplicaSet owns it, so the Deployment's unavailability ranks under this. Not a symptom: the
 * refusal is the cause. Critical when the workload has no ready pod left, warning otherwise (a
 * rollout's new ReplicaSet stuck while the old one still serves). Stale events (the controller
 * has all its pods now) are ignored.
 */
export const replicaSetFailedCreate = defineRule({
  id: 'replicaset-failed-create',
  summary:
    'a ReplicaSet (or other controller) that cannot create pods: quota exceeded, LimitRange bounds, admission webhook or PodSecurity refusal, missing ServiceAccount',
  reads: [
    'Event',
    'ResourceQuota',
    'ServiceAccount',
    'Service',
    'ValidatingWebhookConfiguration',
    'MutatingWebhookConfiguration',
    'LimitRange',
    ...CONTROLLER_KINDS,
  ],
  kinds: ['ReplicaSet', 'StatefulSet', 'DaemonSet', 'Job', 'ReplicationController'],
  fixInTemplate: true,
  detect(object: Workload, { snapshot }) {
    const ref = refOf(object);
    const condition = object.status?.conditions?.find(
      (c) => c.type === 'ReplicaFailure' && c.status === 'True',
    );
    if (condition === undefined && !shortOfPods(object)) return [];
    const events = snapshot.eventsAbout(ref).filter((event) => event.reason === 'FailedCreate');
    // Newest first, one per refusal: three pods refused by one quota are one cause, counted.
    const byCause = new Map<string, { latest: EventRecord; count: number }>();
    for (const event of [...events].sort((a, b) => (timeMs(b.lastSeen) ?? 0) - (timeMs(a.lastSeen) ?? 0))) {
      const key = refusalOf(event.message).replace(FORBIDDEN, '');
      const seen = byCause.get(key);
      if (seen === undefined) byCause.set(key, { latest: event, count: event.count });
      else seen.count += event.count;
    }
    const refusals: { error: string; evidence: Evidence[] }[] = [...byCause].map(([, { latest, count }]) => ({
      error: refusalOf(latest.message),
      evidence: [
        {
          source: 'event',
          text: `FailedCreate (x${String(count)}${latest.lastSeen === undefined ? '' : `, last ${latest.lastSeen}`}): ${latest.message}`,
        },
      ],
    }));
    if (refusals.length === 0 && condition?.message !== undefined)
      refusals.push({ error: condition.message, evidence: [] });
    if (refusals.length === 0) return [];

    const ownerRef = topOwner(ref, snapshot, object.metadata.uid);
    const owner = snapshot.get(ownerRef) ?? object;
    const readiness = readinessOf(owner);
    const target: Target = {
      ns: nsFlag(ref),
      namespace: ref.namespace ?? '',
      owner: `${ownerRef.kind.toLowerCase()}/${ownerRef.name}`,
      ownerRef,
      missing: Math.max(1, missingPods(object)),
    };
    const severity = readiness?.ready === 0 ? 'critical' : 'warning';
    return refusals.map(({ error, evidence }): Finding => {
      const cause = decode(error, target, snapshot);
      const all: Evidence[] = [...evidence];
      if (condition !== undefined)
        all.push({
          source: 'status',
          text: `ReplicaFailure=True ${condition.reason ?? ''}: ${condition.message ?? ''}`.trim(),
        });
      all.push(...cause.evidence);
      if (readiness !== undefined)
        all.push({
          source: 'status',
          ...(owner === object ? {} : { resource: ownerRef }),
          text: `${formatRef(ownerRef)}: ${String(readiness.ready)} of ${String(readiness.desired)} pods ready`,
        });
      return {
        ruleId: this.id,
        severity,
        resource: ref,
        message: `${object.kind} ${object.metadata.name} cannot create pods: ${cause.text}`,
        evidence: all,
        fix: cause.fix,
        ...(cause.waitsOn === undefined ? {} : { waitsOn: cause.waitsOn }),
        ...(cause.fixObject === undefined ? {} : { fixObject: cause.fixObject }),
      };
    });
  },
});

/** The API server's error inside the controller's event message. */
function refusalOf(message: string): string {
  return message.replace(CONTROLLER_PREFIX, '').trim();
}

function decode(error: string, target: Target, snapshot: Snapshot): Cause {
  const { ns, namespace, owner } = target;
  const quota = QUOTA_EXCEEDED.exec(error);
  if (quota !== null) return quotaExceeded(quota, target, snapshot);

  const required = QUOTA_REQUIRES.exec(error);
  if (required !== null) {
    const [, name = '', what = ''] = required;
    return {
      text: `ResourceQuota ${name} requires ${what}`,
      evidence: [],
      fix: {
        summary: `set the requests and limits the quota names in the pod template, or give the namespace a LimitRange with defaults`,
        commands: [
          // A Job is re-created from its manifest: the command's own comment says what to set.
          `${setResourcesCommand(target.ownerRef, undefined, '--requests=cpu=100m,memory=128Mi --limits=memory=256Mi')}${target.ownerRef.kind === 'Job' ? '' : '  # values that fit the pods'}`,
        ],
      },
      waitsOn: [{ kind: 'ResourceQuota', namespace, name }],
    };
  }

  const denied = WEBHOOK_DENIED.exec(error);
  if (denied !== null) {
    const [, webhook = '', reason = ''] = denied;
    const config = webhookConfiguration(snapshot, webhook);
    return {
      text: `admission webhook ${webhook} denied them${reason === '' ? '' : `: ${reason.trim()}`}`,
      evidence:
        config === undefined
          ? []
          : [
              {
                source: 'spec',
                resource: config.ref,
                text: `webhook ${webhook} is in ${formatRef(config.ref)}`,
              },
            ],
      fix: {
        summary: `change the pod template so the webhook's policy admits it, or ask the webhook's owners for an exception`,
        commands: [
          config === undefined
            ? 'kubectl get validatingwebhookconfigurations,mutatingwebhookconfigurations'
            : `kubectl get ${config.ref.kind.toLowerCase()} ${config.ref.name} -o yaml`,
          `kubectl ${ns}edit ${owner}`,
        ],
      },
      ...(config === undefined ? {} : { waitsOn: [config.ref] }),
    };
  }

  const unreachable = WEBHOOK_UNREACHABLE.exec(error);
  if (unreachable !== null) {
    const [, webhook = ''] = unreachable;
    const config = webhookConfiguration(snapshot, webhook);
    const service = config?.service;
    const waitsOn = service ?? config?.ref;
    return {
      text: `admission webhook ${webhook} could not be called${service === undefined ? '' : ` (Service ${service.namespace ?? ''}/${service.name})`}, and it fails closed`,
      evidence:
        config === undefined
          ? []
          : [
              {
                source: 'spec',
                resource: config.ref,
                text: `webhook ${webhook} is in ${formatRef(config.ref)}`,
              },
            ],
      fix: {
        summary: `bring the webhook's backend back (its Service needs ready endpoints); until then no pod it matches can be created`,
        commands:
          service === undefined
            ? ['kubectl get validatingwebhookconfigurations,mutatingwebhookconfigurations']
            : [
                `kubectl -n ${service.namespace ?? ''} get endpoints ${service.name}`,
                `kubectl -n ${service.namespace ?? ''} get pods -o wide`,
              ],
      },
      ...(waitsOn === undefined ? {} : { waitsOn: [waitsOn], fixObject: waitsOn }),
    };
  }

  const limits = limitRangeRefusal(error, target, snapshot);
  if (limits !== undefined) return limits;

  const account = SERVICE_ACCOUNT.exec(error);
  if (account !== null) {
    const [, accountNamespace = namespace, name = ''] = account;
    const accountRef = { kind: 'ServiceAccount', namespace: accountNamespace, name };
    // The controller did not find it when it tried; it does not exist is ours to say only where
    // ServiceAccounts were read. Created since: the controller's next try succeeds.
    const state = referenceState(snapshot, accountRef);
    return {
      text:
        state === 'not-read'
          ? `the controller found no ServiceAccount ${name} (${notReadText('ServiceAccount', accountNamespace)})`
          : state === 'present'
            ? `the controller found no ServiceAccount ${name} (it exists now: its next try should succeed)`
            : `ServiceAccount ${name} does not exist`,
      evidence: [],
      fix: {
        summary: `create ServiceAccount ${name}, or point the pod template at one that exists`,
        commands: [`kubectl -n ${accountNamespace} create serviceaccount ${name}`],
      },
      waitsOn: [{ kind: 'ServiceAccount', namespace: accountNamespace, name }],
      fixObject: { kind: 'ServiceAccount', namespace: accountNamespace, name },
    };
  }

  const security = POD_SECURITY.exec(error);
  if (security !== null) {
    const [, level = '', details = ''] = security;
    const checks = topLevelParts(details).map((part) => part.replace(/\s*\(.*$/s, '').trim());
    return {
      text: `they violate the namespace's PodSecurity level "${level}": ${formatList(checks, 6)}`,
      evidence: [],
      fix: {
        summary: `set what it names in the pod template's securityContext (runAsNonRoot: true, allowPrivilegeEscalation: false, capabilities.drop: [ALL], seccompProfile.type: RuntimeDefault); relax the namespace's level only if the workload truly needs the privilege`,
        commands: [
          `kubectl ${ns}edit ${owner}`,
          `kubectl label namespace ${namespace} pod-security.kubernetes.io/enforce=baseline --overwrite  # only if it must run privileged`,
        ],
      },
    };
  }

  return {
    text: error,
    evidence: [],
    fix: { summary: 'fix what the API server refused (above)', commands: [`kubectl ${ns}describe ${owner}`] },
  };
}

/** An exceeded quota: which, on what, and the hard limit that would let the missing pods in. */
function quotaExceeded(match: RegExpExecArray, target: Target, snapshot: Snapshot): Cause {
  const [, name = '', requestedText = '', usedText = '', limitedText = ''] = match;
  const requested = pairs(requestedText);
  const used = pairs(usedText);
  const limited = pairs(limitedText);
  const quotaRef: ResourceRef = { kind: 'ResourceQuota', namespace: target.namespace, name };
  const quota: ResourceQuota | undefined = snapshot.get(quotaRef);
  const resources = [...requested.keys()];
  const parts = resources.map(
    (resource) =>
      `${resource}: a pod requests ${requested.get(resource) ?? '?'}, ${used.get(resource) ?? '?'} of ${limited.get(resource) ?? '?'} is used`,
  );
  const evidence: Evidence[] = [];
  if (quota?.status !== undefined)
    evidence.push({
      source: 'status',
      resource: quotaRef,
      text: resources
        .map(
          (resource) =>
            `${resource} used ${quota.status?.used?.[resource] ?? '?'} of hard ${quota.status?.hard?.[resource] ?? '?'}`,
        )
        .join('; '),
    });
  const hard: Record<string, string> = {};
  for (const resource of resources) {
    const usedNow = used.get(resource);
    const asked = requested.get(resource);
    if (usedNow === undefined || asked === undefined) continue;
    hard[resource] = formatQuotaValue(resource, quotaValue(usedNow) + quotaValue(asked) * target.missing);
  }
  return {
    text: `ResourceQuota ${name} is used up (${parts.join('; ')})`,
    evidence,
    fix: {
      summary: `raise ResourceQuota ${name}'s hard limit to let the ${target.missing === 1 ? 'missing pod' : `${String(target.missing)} missing pods`} in, lower the pods' requests, or free quota by scaling other workloads in the namespace down`,
      commands: [
        `kubectl ${target.ns}describe resourcequota ${name}`,
        ...(Object.keys(hard).length === 0
          ? []
          : [
              `kubectl ${target.ns}patch resourcequota ${name} --type=merge -p '${JSON.stringify({ spec: { hard } })}'`,
            ]),
      ],
    },
    waitsOn: [quotaRef],
    fixObject: quotaRef,
  };
}

/**
 * A LimitRange that refuses the pods: a container's request or limit outside its minimum or
 * maximum, or a limit too far above the request. The refusal does not name the LimitRange; the
 * one of the namespace that sets that bound does, when LimitRanges were read.
 */
function limitRangeRefusal(error: string, target: Target, snapshot: Snapshot): Cause | undefined {
  const bounds = [...error.matchAll(LIMIT_RANGE)].map(
    ([, side = '', resource = '', per = '', bound = '', what, asked, unset]) => ({
      field: side === 'minimum' ? 'min' : 'max',
      resource,
      per,
      text: `${side} ${resource} per ${per} is ${bound}, ${asked === undefined ? `the pod sets no ${unset ?? 'value'}` : `the pod's ${what ?? 'value'} is ${asked.trim()}`}`,
    }),
  );
  const ratios = [...error.matchAll(LIMIT_RATIO)].map(
    ([, resource = '', per = '', bound = '', asked = '']) => ({
      field: 'maxLimitRequestRatio',
      resource,
      per,
      text: `${resource} limit may be at most ${bound}× the request per ${per}, the pod's is ${asked.trim()}`,
    }),
  );
  const refused = [...bounds, ...ratios];
  if (refused.length === 0) return undefined;
  const setting = (range: KubeObject): boolean => {
    const limits = (range as { spec?: { limits?: readonly Record<string, unknown>[] } }).spec?.limits ?? [];
    return refused.some(({ field, resource, per }) =>
      limits.some(
        (limit) =>
          limit.type === per &&
          (limit[field] as Record<string, unknown> | undefined)?.[resource] !== undefined,
      ),
    );
  };
  const ranges = snapshot
    .ofKind('LimitRange')
    .filter((range) => range.metadata.namespace === target.namespace && setting(range))
    .map((range) => refOf(range));
  const [range] = ranges;
  const name = range === undefined ? 'a LimitRange' : `LimitRange ${range.name}`;
  return {
    text: `${name} refuses them: ${refused.map((r) => r.text).join('; ')}`,
    evidence: ranges.map((ref) => ({
      source: 'spec',
      resource: ref,
      text: `${formatRef(ref)} sets the bound it refuses`,
    })),
    fix: {
      summary: `bring the pod template's requests and limits within ${name}'s bounds, or change the LimitRange if the workload needs more`,
      commands: [
        range === undefined
          ? `kubectl ${target.ns}get limitrange -o yaml`
          : `kubectl ${target.ns}get limitrange ${range.name} -o yaml`,
        `kubectl ${target.ns}edit ${target.owner}`,
      ],
    },
    ...(range === undefined ? {} : { waitsOn: [range], fixObject: range }),
  };
}

/** `requests.cpu=1,requests.memory=1Gi` (the quota admission's prettyPrint) as a map. */
function pairs(text: string): Map<string, string> {
  const map = new Map<string, string>();
  for (const part of text.split(',')) {
    const at = part.indexOf('=');
    if (at > 0) map.set(part.slice(0, at).trim(), part.slice(at + 1).trim());
  }
  return map;
}

/** `a (x, y), b, c (z)` split at the commas outside parentheses, brackets and quotes. */
function topLevelParts(text: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let quoted = false;
  let current = '';
  for (const char of text) {
    if (char === '"') quoted = !quoted;
    else if (!quoted && (char === '(' || char === '[')) depth++;
    else if (!quoted && (char === ')' || char === ']')) depth = Math.max(0, depth - 1);
    if (char === ',' && depth === 0 && !quoted) {
      parts.push(current.trim());
      current = '';
    } else current += char;
  }
  if (current.trim() !== '') parts.push(current.trim());
  return parts;
}

/** The webhook configuration that holds a webhook of this name, and the Service it calls. */
function webhookConfiguration(
  snapshot: Snapshot,
  webhook: string,
): { ref: ResourceRef; service?: ResourceRef } | undefined {
  for (const kind of ['ValidatingWebhookConfiguration', 'MutatingWebhookConfiguration'] as const) {
    for (const object of snapshot.ofKind(kind)) {
      const configuration: WebhookConfiguration = object;
      const found = configuration.webhooks?.find((w) => w.name === webhook);
      if (found === undefined) continue;
      const service = found.clientConfig?.service;
      return {
        ref: refOf(object),
        ...(service?.name === undefined || service.namespace === undefined
          ? {}
          : { service: { kind: 'Service', namespace: service.namespace, name: service.name } }),
      };
    }
  }
  return undefined;
}

/** The controller has fewer pods than it wants: FailedCreate events about it are current. */
function shortOfPods(object: KubeObject): boolean {
  return missingPods(object) > 0;
}

function missingPods(object: KubeObject): number {
  switch (object.kind) {
    case 'DaemonSet': {
      const status = (object as DaemonSet).status;
      return (status?.desiredNumberScheduled ?? 0) - (status?.currentNumberScheduled ?? 0);
    }
    case 'Job': {
      const job = object as Job;
      const finished = (job.status?.conditions ?? []).some(
        (c) => (c.type === 'Complete' || c.type === 'Failed') && c.status === 'True',
      );
      return finished || job.spec?.suspend === true
        ? 0
        : (job.spec?.parallelism ?? 1) - (job.status?.active ?? 0);
    }
    default: {
      const workload = object as Workload;
      return (workload.spec?.replicas ?? 1) - (workload.status?.replicas ?? 0);
    }
  }
}

/** Ready against desired pods of the workload people think of (the Deployment above a ReplicaSet). */
function readinessOf(object: KubeObject): { ready: number; desired: number } | undefined {
  switch (object.kind) {
    case 'Deployment':
    case 'ReplicaSet':
    case 'StatefulSet':
    case 'ReplicationController': {
      const workload = object as Workload;
      return { ready: workload.status?.readyReplicas ?? 0, desired: workload.spec?.replicas ?? 1 };
    }
    case 'DaemonSet': {
      const status = (object as DaemonSet).status;
      return { ready: status?.numberReady ?? 0, desired: status?.desiredNumberScheduled ?? 0 };
    }
    case 'Job': {
      const job = object as Job;
      return { ready: job.status?.ready ?? job.status?.active ?? 0, desired: job.spec?.parallelism ?? 1 };
    }
    default:
      return undefined;
  }
}
