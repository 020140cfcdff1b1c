import { parseDurationMs } from '../../core/duration.js';
import type { KubeObject } from '../../core/kube-object.js';
import { parseSelector } from '../../core/label-selector.js';
import { refOf, type ResourceRef } from '../../core/resource-ref.js';
import { timeMs } from '../../core/time.js';
import {
  describeSelector,
  requirements,
  stringList,
  stringMap,
  type ChaosTarget,
  type SelectorTarget,
} from './chaos-targets.js';

/** Chaos Mesh's annotation that pauses an experiment (it recovers what it injected). */
export const CHAOS_MESH_PAUSE = 'experiment.chaos-mesh.org/pause';
/** The label Chaos Mesh puts on what a Schedule makes (its name). */
const SCHEDULE_LABEL = 'managed-by';
/** The label Chaos Mesh puts on what a Workflow makes (its name). */
const WORKFLOW_LABEL = 'chaos-mesh.org/workflow';

/**
 * Chaos Mesh's experiment kinds that fault pods, and the field a Schedule or a Workflow template
 * embeds each one's spec under (`spec.podChaos`). JVM, kernel and block chaos select pods too, and
 * are read when a Schedule or Workflow embeds them.
 */
const EMBEDDED_SPEC: Readonly<Record<string, string>> = {
  PodChaos: 'podChaos',
  NetworkChaos: 'networkChaos',
  StressChaos: 'stressChaos',
  HTTPChaos: 'httpChaos',
  IOChaos: 'ioChaos',
  DNSChaos: 'dnsChaos',
  TimeChaos: 'timeChaos',
  JVMChaos: 'jvmChaos',
  KernelChaos: 'kernelChaos',
  BlockChaos: 'blockChaos',
};

/** The kinds of Chaos Mesh (`chaos-mesh.org`) this reads, the experiments and what runs them. */
export const CHAOS_MESH_KINDS: readonly string[] = [...Object.keys(EMBEDDED_SPEC), 'Schedule', 'Workflow'];
/** PodChaos actions Chaos Mesh runs once (it kills, and is done): `IsOneShot`. */
const ONE_SHOT_ACTIONS = new Set(['pod-kill', 'container-kill']);
/** Workflow templates read at most: a bound on untrusted input. */
const MAX_TEMPLATES = 200;

/** Whether an experiment is injecting faults now, and why (or why not) in a few words. */
export interface ExperimentState {
  readonly active: boolean;
  /** `running`, `paused`, `finished: its duration 30s ended at …`, `stopped (engineState stop)`. */
  readonly why: string;
}

/** A chaos experiment as the graph and the rule read it. */
export interface ChaosExperiment {
  readonly ref: ResourceRef;
  readonly tool: 'Chaos Mesh' | 'LitmusChaos';
  /** What it does: `PodChaos pod-failure`, `PodChaos pod-kill on schedule @every 5s`, Litmus's `pod-delete`. */
  readonly fault: string;
  /** Chaos Mesh's mode (`one`, `all`, `fixed-percent 50`), when it has one. */
  readonly mode?: string;
  /** How long it runs, as its spec says (`30s`; Litmus: TOTAL_CHAOS_DURATION seconds). */
  readonly duration?: string;
  readonly targets: readonly ChaosTarget[];
  readonly state: ExperimentState;
  /** The Schedule or Workflow that made it: what to pause or delete so it does not come back. */
  readonly madeBy?: ResourceRef;
}

/**
 * Reads a Chaos Mesh experiment, Schedule or Workflow, or a LitmusChaos ChaosEngine, at the
 * moment `now`. Anything else (Argo's Workflow, Velero's Schedule, same kind names in other
 * groups) is undefined: objects are told apart by their API group.
 */
export function readExperiment(object: KubeObject, now: Date): ChaosExperiment | undefined {
  const group = (object.apiVersion ?? '').split('/')[0];
  if (group === 'chaos-mesh.org' && CHAOS_MESH_KINDS.includes(object.kind)) return chaosMesh(object, now);
  if (group === 'litmuschaos.io' && object.kind === 'ChaosEngine') return litmus(object);
  return undefined;
}

interface PodSelectorSpec {
  readonly selector?: Record<string, unknown>;
  readonly mode?: unknown;
  readonly value?: unknown;
}

function chaosMesh(object: KubeObject, now: Date): ChaosExperiment {
  const spec = record(object['spec']);
  const ref = refOf(object);
  const namespace = object.metadata.namespace ?? 'default';
  const base = { ref, tool: 'Chaos Mesh' as const, state: chaosMeshState(object, spec, now) };
  switch (object.kind) {
    case 'Schedule': {
      const type = typeof spec['type'] === 'string' ? spec['type'] : '';
      const embedded = record(spec[EMBEDDED_SPEC[type] ?? '']);
      const experiment = experimentOf(type, embedded, namespace, 'selector');
      const cron = typeof spec['schedule'] === 'string' ? ` on schedule ${spec['schedule']}` : '';
      return { ...base, ...experiment, fault: `${experiment.fault}${cron}` };
    }
    case 'Workflow': {
      const templates = Array.isArray(spec['templates']) ? spec['templates'].slice(0, MAX_TEMPLATES) : [];
      const parts = templates.flatMap((raw: unknown) => {
        const template = record(raw);
        const name = typeof template['name'] === 'string' ? template['name'] : '';
        const type = typeof template['templateType'] === 'string' ? template['templateType'] : '';
        const scheduled = type === 'Schedule' ? record(template['schedule']) : template;
        const scheduledType = typeof scheduled['type'] === 'string' ? scheduled['type'] : '';
        const chaosType = type === 'Schedule' ? scheduledType : type;
        const key = EMBEDDED_SPEC[chaosType];
        if (key === undefined) return [];
        return [experimentOf(chaosType, record(scheduled[key]), namespace, `template:${name} selector`)];
      });
      return {
        ...base,
        fault: `Workflow of ${[...new Set(parts.map((part) => part.fault))].join(', ') || 'no pod faults'}`,
        targets: parts.flatMap((part) => part.targets),
      };
    }
    default:
      return { ...base, ...experimentOf(object.kind, spec, namespace, 'selector'), ...madeByOf(object) };
  }
}

/** One Chaos Mesh experiment spec (its own, or embedded in a Schedule or Workflow). */
function experimentOf(
  type: string,
  spec: Record<string, unknown>,
  namespace: string,
  prefix: string,
): Pick<ChaosExperiment, 'fault' | 'mode' | 'duration' | 'targets'> {
  const action = typeof spec['action'] === 'string' ? spec['action'] : type === 'PodChaos' ? 'pod-kill' : '';
  const targets = selectorTarget(spec, namespace, prefix);
  // NetworkChaos's target pods are faulted too when the direction is from or both (trafficcontrol).
  const direction = spec['direction'];
  if (type === 'NetworkChaos' && (direction === 'from' || direction === 'both')) {
    targets.push(...selectorTarget(record(spec['target']), namespace, 'target'));
  }
  const mode = modeOf(spec);
  const duration = typeof spec['duration'] === 'string' ? spec['duration'] : undefined;
  return {
    fault: action === '' ? type : `${type} ${action}`,
    ...(mode === undefined ? {} : { mode }),
    ...(duration === undefined ? {} : { duration }),
    targets,
  };
}

function modeOf(spec: PodSelectorSpec): string | undefined {
  if (typeof spec.mode !== 'string') return undefined;
  return typeof spec.value === 'string' && spec.value !== '' ? `${spec.mode} ${spec.value}` : spec.mode;
}

/** Chaos Mesh's PodSelectorSpec: `pods` (namespace → names) wins over the rest, as its selector does. */
function selectorTarget(spec: PodSelectorSpec, namespace: string, prefix: string): ChaosTarget[] {
  const selector = record(spec.selector);
  const pods = record(selector['pods']);
  const named = Object.entries(pods)
    .map(([podNamespace, names]) => ({ namespace: podNamespace, names: stringList(names) }))
    .filter((entry) => entry.names.length > 0);
  if (named.length > 0) {
    return named.map((entry) => ({
      by: 'names',
      via: `${prefix}:pods ${entry.namespace}/${entry.names.join(',')}`,
      namespace: entry.namespace,
      names: entry.names,
    }));
  }
  const listed = stringList(selector['namespaces']);
  const target: Omit<SelectorTarget, 'by' | 'via'> = {
    // The admission webhook defaults an empty list to the experiment's own namespace.
    namespaces: listed.length > 0 ? listed : [namespace],
    labels: {
      matchLabels: stringMap(selector['labelSelectors']),
      matchExpressions: requirements(selector['expressionSelectors']),
    },
    annotations: stringMap(selector['annotationSelectors']),
    fields: stringMap(selector['fieldSelectors']),
    nodes: stringList(selector['nodes']),
    nodeLabels: stringMap(selector['nodeSelectors']),
    phases: stringList(selector['podPhaseSelectors']),
  };
  return [{ by: 'selector', via: describeSelector(prefix, target, namespace), ...target }];
}

/**
 * Chaos Mesh's own reading of an experiment (desiredphase controller, IsChaosFinished): being
 * deleted, paused, a one-shot kill that has injected every target, past its duration, or told to
 * stop are not active; anything else is. A Schedule is active unless paused; a Workflow until it
 * is accomplished.
 */
function chaosMeshState(object: KubeObject, spec: Record<string, unknown>, now: Date): ExperimentState {
  if (object.metadata.deletionTimestamp !== undefined) return { active: false, why: 'being deleted' };
  if (object.metadata.annotations?.[CHAOS_MESH_PAUSE] === 'true')
    return { active: false, why: `paused (${CHAOS_MESH_PAUSE}=true)` };
  const status = record(object['status']);
  if (object.kind === 'Schedule') return { active: true, why: 'scheduling experiments' };
  if (object.kind === 'Workflow') {
    const accomplished = (Array.isArray(status['conditions']) ? status['conditions'] : []).some(
      (condition: unknown) =>
        record(condition)['type'] === 'Accomplished' && record(condition)['status'] === 'True',
    );
    return accomplished || typeof status['endTime'] === 'string'
      ? { active: false, why: 'accomplished' }
      : { active: true, why: 'running' };
  }
  const experiment = record(status['experiment']);
  const records = (Array.isArray(experiment['containerRecords']) ? experiment['containerRecords'] : []).map(
    record,
  );
  const action = typeof spec['action'] === 'string' ? spec['action'] : 'pod-kill';
  if (object.kind === 'PodChaos' && ONE_SHOT_ACTIONS.has(action)) {
    return records.length > 0 && records.every((r) => r['phase'] === 'Injected')
      ? { active: false, why: `finished (${action} done on every target)` }
      : { active: true, why: 'running' };
  }
  const ended = durationEnd(object, spec);
  if (ended !== undefined && ended <= now.getTime())
    return {
      active: false,
      why: `finished: its duration ${String(spec['duration'])} ended at ${new Date(ended).toISOString()}`,
    };
  if (experiment['desiredPhase'] === 'Stop') return { active: false, why: 'stopped (desiredPhase Stop)' };
  return { active: true, why: 'running' };
}

/** When an experiment's duration ends: created + duration. Undefined without one (it runs until stopped). */
function durationEnd(object: KubeObject, spec: Record<string, unknown>): number | undefined {
  const created = timeMs(object.metadata.creationTimestamp);
  const duration = spec['duration'];
  if (created === undefined || typeof duration !== 'string') return undefined;
  try {
    return created + parseDurationMs(duration, 'duration');
  } catch {
    // Not a duration this reads (`1.5h` reads; `-1h`, `300us` do not): when it ends is unknown.
    return undefined;
  }
}

function madeByOf(object: KubeObject): { madeBy?: ResourceRef } {
  const namespace = object.metadata.namespace;
  const schedule = object.metadata.ownerReferences?.find(
    (owner) => owner.kind === 'Schedule' && (owner.apiVersion ?? '').startsWith('chaos-mesh.org/'),
  );
  const name = schedule?.name ?? object.metadata.labels?.[SCHEDULE_LABEL];
  if (schedule !== undefined && name !== undefined)
    return { madeBy: { kind: 'Schedule', ...(namespace === undefined ? {} : { namespace }), name } };
  const workflow = object.metadata.labels?.[WORKFLOW_LABEL];
  if (workflow !== undefined)
    return {
      madeBy: { kind: 'Workflow', ...(namespace === undefined ? {} : { namespace }), name: workflow },
    };
  return {};
}

/** Whether `object` was made by the Schedule or Workflow `parent` (Chaos Mesh's labels and owner references). */
export function isMadeBy(object: KubeObject, parent: KubeObject): boolean {
  if (object.metadata.namespace !== parent.metadata.namespace) return false;
  if (parent.kind === 'Schedule')
    return (object.metadata.ownerReferences ?? []).some(
      (owner) =>
        owner.kind === 'Schedule' &&
        (owner.uid === undefined || parent.metadata.uid === undefined
          ? owner.name === parent.metadata.name
          : owner.uid === parent.metadata.uid),
    );
  return object.metadata.labels?.[WORKFLOW_LABEL] === parent.metadata.name;
}

/**
 * A LitmusChaos ChaosEngine: its targets (`selectors`, else `appinfo`, else the experiments'
 * TARGET_PODS), active while `engineState` is active and the operator has not completed or
 * stopped it.
 */
function litmus(object: KubeObject): ChaosExperiment {
  const spec = record(object['spec']);
  const status = record(object['status']);
  const namespace = object.metadata.namespace ?? 'default';
  const experiments = (Array.isArray(spec['experiments']) ? spec['experiments'] : []).map(record);
  const names = experiments.flatMap((e) => (typeof e['name'] === 'string' ? [e['name']] : []));
  const env = experiments.flatMap((e) => {
    const list = record(record(record(e['spec'])['components']))['env'];
    return Array.isArray(list) ? list.map(record) : [];
  });
  const envValue = (name: string): string | undefined => {
    const value = env.find((variable) => variable['name'] === name)?.['value'];
    return typeof value === 'string' && value !== '' ? value : undefined;
  };
  const duration = envValue('TOTAL_CHAOS_DURATION');
  const engineState = spec['engineState'];
  const engineStatus = status['engineStatus'];
  let state: ExperimentState = { active: true, why: 'running' };
  if (object.metadata.deletionTimestamp !== undefined) state = { active: false, why: 'being deleted' };
  else if (engineState === 'stop') state = { active: false, why: 'stopped (engineState stop)' };
  else if (engineStatus === 'completed' || engineStatus === 'stopped')
    state = { active: false, why: `${engineStatus} (engineStatus)` };
  return {
    ref: refOf(object),
    tool: 'LitmusChaos',
    fault: names.length === 0 ? 'ChaosEngine' : names.join(', '),
    ...(duration === undefined ? {} : { duration: `${duration}s` }),
    targets: litmusTargets(spec, namespace, envValue('TARGET_PODS')),
    state,
  };
}

function litmusTargets(
  spec: Record<string, unknown>,
  namespace: string,
  targetPods: string | undefined,
): ChaosTarget[] {
  const selectors = record(spec['selectors']);
  const workloads = (Array.isArray(selectors['workloads']) ? selectors['workloads'] : []).map(record);
  const pods = (Array.isArray(selectors['pods']) ? selectors['pods'] : []).map(record);
  const text = (value: unknown): string => (typeof value === 'string' ? value : '');
  const split = (value: unknown): string[] =>
    text(value)
      .split(',')
      .map((item) => item.trim())
      .filter((item) => item !== '');
  if (workloads.length > 0 || pods.length > 0) {
    return [
      ...workloads.flatMap((workload): ChaosTarget[] => {
        const kind = text(workload['kind']).toLowerCase();
        const workloadNamespace = text(workload['namespace']) || namespace;
        const names = split(workload['names']);
        if (names.length > 0)
          return [
            {
              by: 'workloads',
              via: `selectors:${kind}/${names.join(',')}`,
              namespace: workloadNamespace,
              kind,
              names,
            },
          ];
        return labelTarget(text(workload['labels']), workloadNamespace, kind, 'selectors', namespace);
      }),
      ...pods.flatMap((entry): ChaosTarget[] => {
        const names = split(entry['names']);
        const podNamespace = text(entry['namespace']) || namespace;
        return names.length === 0
          ? []
          : [
              {
                by: 'names',
                via: `selectors:pods ${podNamespace}/${names.join(',')}`,
                namespace: podNamespace,
                names,
              },
            ];
      }),
    ];
  }
  const appinfo = record(spec['appinfo']);
  const appNamespace = text(appinfo['appns']) || namespace;
  if (targetPods !== undefined) {
    const names = split(targetPods);
    return [{ by: 'names', via: `TARGET_PODS:${names.join(',')}`, namespace: appNamespace, names }];
  }
  const kind = text(appinfo['appkind']).toLowerCase();
  // No label: the engine names no pods this can see (the experiment picks them itself).
  return labelTarget(text(appinfo['applabel']), appNamespace, kind, 'appinfo', namespace);
}

function labelTarget(
  label: string,
  namespace: string,
  kind: string,
  prefix: string,
  ownNamespace: string,
): ChaosTarget[] {
  const labels = parseLabelText(label);
  if (labels === undefined) return [];
  const target: Omit<SelectorTarget, 'by' | 'via'> = {
    namespaces: [namespace],
    labels,
    annotations: {},
    fields: {},
    nodes: [],
    nodeLabels: {},
    phases: [],
    ...(kind === '' ? {} : { ownerKind: kind }),
  };
  return [{ by: 'selector', via: describeSelector(prefix, target, ownNamespace), ...target }];
}

/** `app=nginx`, `app in (a,b)`: Litmus writes selectors as kubectl's -l does. Empty selects nothing. */
function parseLabelText(text: string): SelectorTarget['labels'] | undefined {
  if (text.trim() === '') return undefined;
  return parseSelector(text);
}

function record(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : {};
}
