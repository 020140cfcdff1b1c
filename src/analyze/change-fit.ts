import { parseFieldPath, type Change, type FieldChange, type JsonValue } from '../core/change.js';
import { CONTROLLER_KINDS } from '../core/kinds.js';
import { parseQuantity } from '../core/resource-quantity.js';
import type { FailureClass } from './failure-onset.js';

/**
 * What a recorded change did, in the terms of what it can break: a container's image, its
 * environment or command, its memory limit, a probe, the pod template's placement, a workload
 * scaled to zero, a node tainted or cordoned, a Service's selector, a NetworkPolicy, a quota…
 * Metadata (labels and annotations of anything but a node), status and bookkeeping are none.
 */
export const ASPECTS = [
  'image',
  'containers',
  'env',
  'command',
  'memory-limit',
  'cpu-limit',
  'requests',
  'readiness-probe',
  'liveness-probe',
  'dns',
  'placement',
  'volumes',
  'identity',
  'pull-secrets',
  'security',
  'ports',
  'template-labels',
  'template-other',
  'scaled-to-zero',
  'scaled-down',
  'scaled-up',
  'taint',
  'cordon',
  'node-labels',
  'content',
  'deleted-config',
  'deleted-storage',
  'deleted-service',
  'service-selector',
  'service-ports',
  'service-other',
  'network-policy',
  'quota',
  'limits',
  'storage',
  'rbac',
  'autoscaling',
] as const;
export type AspectName = (typeof ASPECTS)[number];

/** One thing a change did, with the field it was read from (none for the object as a whole). */
export interface Aspect {
  readonly name: AspectName;
  readonly field?: FieldChange;
  /** The container whose field it is. */
  readonly container?: string;
}

const H = 1;
const M = 0.6;
const L = 0.3;

/**
 * How well each kind of change explains each way of failing, from 0 (not at all) to 1: an image
 * change explains an image pull error or a crash loop, a lowered memory limit an OOM kill, a probe
 * a pod not ready, a taint a pod the scheduler cannot place, a quota refused pods, a NetworkPolicy
 * pods not ready and their callers failing, a workload scaled to zero a Service without endpoints
 * and its callers. What a row leaves out, it does not explain.
 */
const FIT: Readonly<Record<AspectName, Partial<Record<FailureClass, number>>>> = {
  image: { crash: H, image: H, config: M, unready: M, liveness: M, 'no-endpoints': M, caller: M, oom: L },
  containers: { crash: M, config: M, image: M, unready: M, liveness: L, 'no-endpoints': L, caller: L },
  env: { crash: H, config: H, unready: M, liveness: M, 'no-endpoints': M, oom: L, caller: L },
  command: { crash: H, config: M, unready: M, liveness: M, 'no-endpoints': M, caller: L },
  'memory-limit': {
    oom: H,
    crash: M,
    'pending-resources': M,
    pending: M,
    'failed-create': M,
    liveness: L,
  },
  'cpu-limit': { liveness: M, unready: M, 'failed-create': M, crash: L },
  requests: { 'pending-resources': H, 'failed-create': H, pending: M, oom: L },
  'readiness-probe': { unready: H, 'no-endpoints': H, caller: M },
  'liveness-probe': { liveness: H, crash: M, 'no-endpoints': L },
  dns: { crash: M, unready: M, liveness: L, 'no-endpoints': L, caller: L },
  placement: { 'pending-placement': H, 'pending-taint': H, pending: M, 'pending-resources': L },
  volumes: { config: H, 'pending-volume': H, crash: M, pending: L },
  identity: { 'failed-create': H, crash: M, config: M, image: M },
  'pull-secrets': { image: H },
  security: { config: H, crash: M, 'failed-create': M },
  ports: { unready: M, 'no-endpoints': M, caller: M },
  'template-labels': { 'no-endpoints': H, caller: M },
  'template-other': { crash: L, config: L, unready: L, image: L },
  'scaled-to-zero': { 'no-endpoints': H, caller: H },
  'scaled-down': { 'no-endpoints': L, caller: L },
  'scaled-up': { 'failed-create': M, 'pending-resources': L },
  taint: { 'pending-taint': H, pending: M },
  cordon: { 'pending-cordon': H, pending: M },
  'node-labels': { 'pending-placement': H, pending: M },
  content: { crash: H, config: H, unready: M, liveness: M, 'no-endpoints': M, caller: L },
  'deleted-config': { config: H, image: H, 'failed-create': H, crash: M },
  'deleted-storage': { 'pending-volume': H, pending: M, config: L },
  'deleted-service': { caller: H },
  'service-selector': { 'no-endpoints': H, caller: H },
  'service-ports': { caller: H, 'no-endpoints': M },
  'service-other': { caller: L },
  'network-policy': { unready: H, caller: H, crash: M, liveness: M, 'no-endpoints': M },
  quota: { 'failed-create': H, pending: L },
  limits: { 'failed-create': H, oom: M, 'pending-resources': M },
  storage: { 'pending-volume': H, pending: M, config: L },
  rbac: { crash: M, config: L, 'failed-create': L, unready: L, caller: L },
  autoscaling: { 'no-endpoints': L, caller: L, 'failed-create': L },
};

/** How well a kind of change explains a way of failing, 0 to 1. */
export function fitOf(aspect: AspectName, failure: FailureClass): number {
  return FIT[aspect][failure] ?? 0;
}

const WORKLOADS: ReadonlySet<string> = new Set(CONTROLLER_KINDS);
const RESTARTED_AT = 'kubectl.kubernetes.io/restartedAt';
/** Taints the control plane sets to mirror a node's conditions: effects, reported by node-not-ready. */
const CONDITION_TAINT = /^node\.(kubernetes\.io|cloudprovider\.kubernetes\.io)\//;
/** Kinds whose creation can break what was running: a policy, a quota, defaults. */
const BREAKS_WHEN_ADDED: ReadonlyMap<string, AspectName> = new Map([
  ['NetworkPolicy', 'network-policy'],
  ['ResourceQuota', 'quota'],
  ['LimitRange', 'limits'],
]);
/** What the deletion of an object of a kind others reference breaks. */
const BREAKS_WHEN_DELETED: ReadonlyMap<string, AspectName> = new Map([
  ['ConfigMap', 'deleted-config'],
  ['Secret', 'deleted-config'],
  ['ServiceAccount', 'deleted-config'],
  ['PersistentVolumeClaim', 'deleted-storage'],
  ['PersistentVolume', 'deleted-storage'],
  ['StorageClass', 'deleted-storage'],
  ['Service', 'deleted-service'],
  ['PriorityClass', 'placement'],
  ['RuntimeClass', 'placement'],
  ['Role', 'rbac'],
  ['ClusterRole', 'rbac'],
  ['RoleBinding', 'rbac'],
  ['ClusterRoleBinding', 'rbac'],
]);

/**
 * What a recorded change did that can break something, field by field (a creation or deletion as
 * a whole). Metadata-only changes (labels and annotations, bar a node's labels and a pod template's),
 * status, a rollout restart's annotation and controllers' bookkeeping give none.
 */
export function aspectsOf(change: Change): Aspect[] {
  const { kind } = change.object;
  if (change.action === 'deleted') {
    const aspect = BREAKS_WHEN_DELETED.get(kind);
    return aspect === undefined ? [] : [{ name: aspect }];
  }
  if (change.action === 'added') {
    const aspect = BREAKS_WHEN_ADDED.get(kind);
    return aspect === undefined ? [] : [{ name: aspect }];
  }
  return change.fields.flatMap((field) => {
    const names = parseFieldPath(field.path)?.map((segment) =>
      'key' in segment ? segment.key : 'item' in segment ? segment.item : String(segment.index),
    );
    if (names === undefined) return [];
    const aspect = fieldAspect(kind, names, field);
    return aspect === undefined ? [] : [{ ...aspect, field }];
  });
}

function fieldAspect(
  kind: string,
  path: readonly string[],
  field: FieldChange,
): Omit<Aspect, 'field'> | undefined {
  const [top, second] = path;
  if (top === 'status' || top === 'apiVersion' || top === 'kind') return undefined;
  if (top === 'metadata') return kind === 'Node' && second === 'labels' ? { name: 'node-labels' } : undefined;
  if (WORKLOADS.has(kind)) return workloadAspect(path, field);
  switch (kind) {
    case 'Node':
      if (second === 'taints') return taintAdded(field) ? { name: 'taint' } : undefined;
      if (second === 'unschedulable') return field.new === true ? { name: 'cordon' } : undefined;
      return undefined;
    case 'ConfigMap':
    case 'Secret':
      return top === 'data' || top === 'binaryData' || top === 'stringData' ? { name: 'content' } : undefined;
    case 'Service':
      if (top !== 'spec') return undefined;
      if (second === 'selector') return { name: 'service-selector' };
      if (second === 'ports') return { name: 'service-ports' };
      return { name: 'service-other' };
    case 'NetworkPolicy':
      return top === 'spec' ? { name: 'network-policy' } : undefined;
    case 'ResourceQuota':
      return top === 'spec' && second === 'hard' && lowered(field) ? { name: 'quota' } : undefined;
    case 'LimitRange':
      return top === 'spec' ? { name: 'limits' } : undefined;
    case 'PersistentVolumeClaim':
    case 'PersistentVolume':
    case 'StorageClass':
      return { name: 'storage' };
    case 'ServiceAccount':
      if (top === 'imagePullSecrets') return { name: 'pull-secrets' };
      return top === 'automountServiceAccountToken' ? { name: 'identity' } : undefined;
    case 'Role':
    case 'ClusterRole':
      return top === 'rules' ? { name: 'rbac' } : undefined;
    case 'RoleBinding':
    case 'ClusterRoleBinding':
      return top === 'subjects' || top === 'roleRef' ? { name: 'rbac' } : undefined;
    case 'HorizontalPodAutoscaler':
      return top === 'spec' ? { name: 'autoscaling' } : undefined;
    case 'PriorityClass':
    case 'RuntimeClass':
      return { name: 'placement' };
    default:
      return undefined;
  }
}

/** A workload's own fields: its pod template, its replicas. */
function workloadAspect(path: readonly string[], field: FieldChange): Omit<Aspect, 'field'> | undefined {
  if (path[0] !== 'spec') return undefined;
  if (path[1] === 'replicas' && path.length === 2) return scaled(field);
  const template =
    path[1] === 'template'
      ? path.slice(2)
      : path[1] === 'jobTemplate' && path[2] === 'spec' && path[3] === 'template'
        ? path.slice(4)
        : undefined;
  if (template === undefined) return undefined;
  const [part, name, ...rest] = template;
  if (part === 'metadata') {
    if (name === 'labels') return { name: 'template-labels' };
    // A rollout restart makes new pods of the same template: what they then pick up is the cause.
    if (name === 'annotations' && rest[0] === RESTARTED_AT) return undefined;
    return name === 'annotations' ? { name: 'template-other' } : undefined;
  }
  if (part !== 'spec' || name === undefined) return undefined;
  if ((name === 'containers' || name === 'initContainers') && rest.length > 0) {
    const [container, property, sub, resource] = rest;
    const aspect = containerAspect(property, sub, resource);
    return container === undefined ? { name: aspect } : { name: aspect, container };
  }
  if (name === 'containers' || name === 'initContainers') return { name: 'containers' };
  return { name: POD_SPEC_ASPECTS.get(name) ?? 'template-other' };
}

function containerAspect(
  property: string | undefined,
  sub: string | undefined,
  resource: string | undefined,
): AspectName {
  switch (property) {
    case undefined:
      return 'containers';
    case 'image':
    case 'imagePullPolicy':
      return 'image';
    case 'env':
    case 'envFrom':
      return 'env';
    case 'command':
    case 'args':
    case 'workingDir':
    case 'lifecycle':
      return 'command';
    case 'resources':
      if (sub === 'limits') return resource === 'memory' ? 'memory-limit' : 'cpu-limit';
      return 'requests';
    case 'readinessProbe':
      return 'readiness-probe';
    case 'livenessProbe':
    case 'startupProbe':
      return 'liveness-probe';
    case 'ports':
      return 'ports';
    case 'volumeMounts':
    case 'volumeDevices':
      return 'volumes';
    case 'securityContext':
      return 'security';
    default:
      return 'template-other';
  }
}

const POD_SPEC_ASPECTS: ReadonlyMap<string, AspectName> = new Map([
  ['dnsPolicy', 'dns'],
  ['dnsConfig', 'dns'],
  ['hostNetwork', 'dns'],
  ['hostAliases', 'dns'],
  ['nodeSelector', 'placement'],
  ['affinity', 'placement'],
  ['tolerations', 'placement'],
  ['topologySpreadConstraints', 'placement'],
  ['nodeName', 'placement'],
  ['schedulerName', 'placement'],
  ['priorityClassName', 'placement'],
  ['volumes', 'volumes'],
  ['serviceAccountName', 'identity'],
  ['serviceAccount', 'identity'],
  ['automountServiceAccountToken', 'identity'],
  ['imagePullSecrets', 'pull-secrets'],
  ['securityContext', 'security'],
  ['runtimeClassName', 'security'],
]);

function scaled(field: FieldChange): Omit<Aspect, 'field'> | undefined {
  const before = typeof field.old === 'number' ? field.old : 1;
  const after = typeof field.new === 'number' ? field.new : 1;
  if (after === 0 && before > 0) return { name: 'scaled-to-zero' };
  if (after < before) return { name: 'scaled-down' };
  return after > before ? { name: 'scaled-up' } : undefined;
}

/** A taint a person (or a tool) put on, not one the control plane mirrors a condition with. */
function taintAdded(field: FieldChange): boolean {
  if (field.op === 'removed') return false;
  const key =
    typeof field.new === 'object' && field.new !== null && !Array.isArray(field.new)
      ? (field.new as Readonly<Record<string, JsonValue>>)['key']
      : undefined;
  return typeof key !== 'string' || !CONDITION_TAINT.test(key);
}

/** A quota's hard limit made lower (or new): raising one breaks nothing. */
function lowered(field: FieldChange): boolean {
  if (field.op === 'added') return true;
  if (field.op === 'removed') return false;
  const quantity = (value: JsonValue | undefined): number | undefined => {
    if (typeof value !== 'string' && typeof value !== 'number') return undefined;
    try {
      return parseQuantity(String(value));
    } catch {
      return undefined;
    }
  };
  const before = quantity(field.old);
  const after = quantity(field.new);
  return before === undefined || after === undefined || after < before;
}
