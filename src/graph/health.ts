import type {
  Condition,
  EndpointSlice,
  Node,
  PersistentVolume,
  PersistentVolumeClaim,
  Pod,
  ResourceQuota,
  Workload,
} from '../core/kube-types.js';
import { parseQuantity } from '../core/resource-quantity.js';
import type { KubeObject } from '../core/kube-object.js';
import { readExperiment } from './chaos/chaos-experiment.js';
import type { DependencyGraph, GraphNode } from './dependency-graph.js';

/** How a node looks at a glance. `ready` also covers objects with no state of their own that exist. */
export const HEALTH_STATES = ['ready', 'progressing', 'degraded', 'failing', 'missing', 'unknown'] as const;
export type HealthState = (typeof HEALTH_STATES)[number];

export interface Health {
  readonly state: HealthState;
  /** A few words on why, when it is not simply ready: `CrashLoopBackOff`, `1/3 ready`, `NotReady`. */
  readonly reason?: string;
}

/** Container waiting reasons that mean the container will not start without a change. */
const FAILING_WAIT_REASONS = new Set([
  'CrashLoopBackOff',
  'ImagePullBackOff',
  'ErrImagePull',
  'InvalidImageName',
  'CreateContainerConfigError',
  'CreateContainerError',
  'RunContainerError',
  'PreStartHookError',
  'PostStartHookError',
]);

/** The health of one node of the graph. Pure: reads the object's status and its neighbours. */
export function healthOf(node: GraphNode, graph: DependencyGraph): Health {
  switch (node.presence) {
    case 'missing':
      return { state: 'missing' };
    case 'unknown':
      return { state: 'unknown', reason: 'not read' };
    case 'external':
      return { state: 'ready' };
    case 'present':
      return node.object === undefined ? { state: 'unknown' } : objectHealth(node.object, node.key, graph);
  }
}

function objectHealth(object: KubeObject, key: string, graph: DependencyGraph): Health {
  switch (object.kind) {
    case 'Pod':
      return podHealth(object);
    case 'Deployment':
    case 'StatefulSet':
    case 'ReplicaSet':
    case 'ReplicationController':
      return replicaHealth(object);
    case 'DaemonSet': {
      const status = (object as Workload).status;
      return countHealth(status?.numberReady ?? 0, status?.desiredNumberScheduled ?? 0);
    }
    case 'Job':
      return jobHealth(object);
    case 'Node':
      return nodeHealth(object);
    case 'PersistentVolumeClaim':
      return phaseHealth((object as PersistentVolumeClaim).status?.phase, {
        Bound: 'ready',
        Pending: 'progressing',
        Lost: 'failing',
      });
    case 'PersistentVolume':
      return phaseHealth((object as PersistentVolume).status?.phase, {
        Bound: 'ready',
        Available: 'ready',
        Pending: 'progressing',
        Released: 'degraded',
        Failed: 'failing',
      });
    case 'Service':
      return serviceHealth(key, graph);
    case 'EndpointSlice': {
      const endpoints = (object as EndpointSlice).endpoints ?? [];
      const ready = endpoints.filter((endpoint) => endpoint.conditions?.ready !== false).length;
      return ready > 0 || endpoints.length === 0
        ? { state: 'ready' }
        : { state: 'failing', reason: `0/${endpoints.length} endpoints ready` };
    }
    case 'ResourceQuota':
      return quotaHealth(object);
    default:
      return experimentHealth(object, key, graph) ?? { state: 'ready' };
  }
}

/**
 * A chaos experiment faulting pods now (the graph links them to it, having judged it active at
 * the snapshot's moment) is degraded on purpose, and says what it does; one faulting nothing is
 * ready. Not an experiment: undefined.
 */
function experimentHealth(object: KubeObject, key: string, graph: DependencyGraph): Health | undefined {
  const experiment = readExperiment(object, new Date(0));
  if (experiment === undefined) return undefined;
  const faulted = graph.incoming(key).filter((edge) => edge.kind === 'disrupted-by').length;
  // Faulting none of the pods read is not faulting none where pods were not read.
  const unread = experiment.targets
    .flatMap((target) => (target.by === 'selector' ? target.namespaces : [target.namespace]))
    .some((namespace) => !graph.coverage.covers('Pod', namespace));
  if (faulted === 0 && unread) return { state: 'unknown', reason: 'pods not read' };
  return faulted === 0
    ? { state: 'ready' }
    : {
        state: 'degraded',
        reason: `injecting ${experiment.fault} (${String(faulted)} target${faulted === 1 ? '' : 's'})`,
      };
}

/** A quota with a resource used up is degraded: what needs more of it is refused. */
function quotaHealth(quota: ResourceQuota): Health {
  const used = quota.status?.used ?? {};
  const full = Object.entries(quota.status?.hard ?? {})
    .filter(([resource, hard]) => {
      const limit = quantityOrUndefined(hard);
      const usage = quantityOrUndefined(used[resource] ?? '0');
      return limit !== undefined && usage !== undefined && limit > 0 && usage >= limit;
    })
    .map(([resource, hard]) => `${resource} ${used[resource] ?? '0'}/${hard}`)
    .sort();
  return full.length === 0
    ? { state: 'ready' }
    : { state: 'degraded', reason: `used up: ${full.join(', ')}` };
}

function quantityOrUndefined(text: string): number | undefined {
  try {
    return parseQuantity(text);
  } catch {
    return undefined;
  }
}

function podHealth(pod: Pod): Health {
  const status = pod.status;
  if (pod.metadata.deletionTimestamp !== undefined) return { state: 'degraded', reason: 'Terminating' };
  const statuses = [...(status?.initContainerStatuses ?? []), ...(status?.containerStatuses ?? [])];
  for (const container of statuses) {
    const waiting = container.state?.waiting?.reason;
    if (waiting !== undefined && FAILING_WAIT_REASONS.has(waiting))
      return { state: 'failing', reason: waiting };
    const terminated = container.state?.terminated;
    if (
      terminated?.reason === 'OOMKilled' ||
      (terminated !== undefined && (terminated.exitCode ?? 0) !== 0)
    ) {
      return { state: 'failing', reason: terminated.reason ?? `exit ${terminated.exitCode ?? '?'}` };
    }
  }
  if (status === undefined) return { state: 'unknown', reason: 'no status' };
  switch (status.phase ?? '') {
    case 'Succeeded':
      return { state: 'ready', reason: 'Completed' };
    case 'Failed':
      return { state: 'failing', reason: status.reason ?? 'Failed' };
    case 'Pending': {
      const scheduled = findCondition(status.conditions, 'PodScheduled');
      if (scheduled?.status === 'False')
        return { state: 'failing', reason: scheduled.reason ?? 'Unschedulable' };
      return { state: 'progressing', reason: 'Pending' };
    }
    case 'Running': {
      const ready = findCondition(status.conditions, 'Ready');
      return ready?.status === 'True' ? { state: 'ready' } : { state: 'degraded', reason: 'not Ready' };
    }
    default:
      return { state: 'unknown', reason: status.phase ?? 'no phase' };
  }
}

function replicaHealth(workload: Workload): Health {
  const desired = workload.spec?.replicas ?? 1;
  const ready = workload.status?.readyReplicas ?? 0;
  const stuck = findCondition(workload.status?.conditions, 'Progressing');
  if (stuck?.reason === 'ProgressDeadlineExceeded')
    return { state: 'failing', reason: 'ProgressDeadlineExceeded' };
  return countHealth(ready, desired);
}

function countHealth(ready: number, desired: number): Health {
  if (ready >= desired) return desired === 0 ? { state: 'ready', reason: 'scaled to 0' } : { state: 'ready' };
  return { state: ready === 0 ? 'failing' : 'degraded', reason: `${ready}/${desired} ready` };
}

function jobHealth(job: Workload): Health {
  const conditions = job.status?.conditions;
  const failed = findCondition(conditions, 'Failed');
  if (failed?.status === 'True') return { state: 'failing', reason: failed.reason ?? 'Failed' };
  if (findCondition(conditions, 'Complete')?.status === 'True') return { state: 'ready', reason: 'Complete' };
  return { state: 'progressing', reason: 'running' };
}

function nodeHealth(node: Node): Health {
  const ready = findCondition(node.status?.conditions, 'Ready');
  if (ready !== undefined && ready.status !== 'True') return { state: 'failing', reason: 'NotReady' };
  if (node.spec?.unschedulable === true) return { state: 'degraded', reason: 'cordoned' };
  const pressure = node.status?.conditions?.find((c) => c.type.endsWith('Pressure') && c.status === 'True');
  if (pressure !== undefined) return { state: 'degraded', reason: pressure.type };
  return ready === undefined ? { state: 'unknown', reason: 'no Ready condition' } : { state: 'ready' };
}

function serviceHealth(key: string, graph: DependencyGraph): Health {
  const pods = graph.outgoing(key).filter((edge) => edge.kind === 'selects');
  const selector = (graph.nodeByKey(key)?.object as { spec?: { selector?: object } } | undefined)?.spec
    ?.selector;
  if (selector === undefined || Object.keys(selector).length === 0) return { state: 'ready' };
  if (pods.length === 0) {
    const namespace = graph.nodeByKey(key)?.ref.namespace;
    return graph.coverage.covers('Pod', namespace)
      ? { state: 'failing', reason: 'selects no pods' }
      : { state: 'unknown', reason: 'pods not read' };
  }
  const readyPods = pods.filter((edge) => {
    const pod = graph.nodeByKey(edge.to);
    return pod !== undefined && healthOf(pod, graph).state === 'ready';
  }).length;
  return readyPods === 0 ? { state: 'failing', reason: 'no ready pods' } : { state: 'ready' };
}

function phaseHealth(phase: string | undefined, states: Readonly<Record<string, HealthState>>): Health {
  if (phase === undefined) return { state: 'unknown', reason: 'no phase' };
  const state = states[phase] ?? 'unknown';
  return state === 'ready' ? { state } : { state, reason: phase };
}

function findCondition(conditions: readonly Condition[] | undefined, type: string): Condition | undefined {
  return conditions?.find((condition) => condition.type === type);
}
