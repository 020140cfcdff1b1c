import {
  parseFieldPath,
  type ChangeAction,
  type FieldChange,
  type FieldPathSegment,
  type JsonValue,
} from '../core/change.js';
import { formatList } from '../core/format-list.js';
import type { KubeObject } from '../core/kube-object.js';
import type { Condition, ContainerState, ContainerStatus, PodSpec, Taint } from '../core/kube-types.js';
import { segmentName } from './ignored-fields.js';
import { isDigest } from './secret-digest.js';

export interface SummaryInput {
  readonly kind: string;
  readonly action: ChangeAction;
  readonly fields: readonly FieldChange[];
  /** The object before: read for the facts of a deletion and for whole views (a selector, a container's state). */
  readonly before?: KubeObject;
  /** The object after: read for the facts of a creation and for whole views. */
  readonly after?: KubeObject;
}

/** Values longer than this are told by their length, not shown. */
const SHORT_VALUE_CHARS = 40;
/** An image change longer than this shows the new tag alone when the repository stays. */
const IMAGE_CHANGE_CHARS = 100;
/** Paths named in the fallback line. */
const FALLBACK_PATHS = 3;

/**
 * What a person reads about a change, one line each, in the order of the fields they come from:
 * `scaled 3→5`, `image api:1.4→api:1.5`, `ConfigMap key CACHE_SIZE: 512→unlimited`,
 * `env DB_HOST added`, `cordoned`, `container api: CrashLoopBackOff`, `node Ready True→Unknown`.
 * Fields no rule knows end in one line, `N fields changed: a, b, c`. Status bookkeeping that moves
 * with a known change (a container's containerID, a Deployment's updatedReplicas) is folded into it.
 * Secret values never appear: a Secret key only `changed`.
 */
export function summarizeChange(input: SummaryInput): string[] {
  switch (input.action) {
    case 'added':
      return [withFacts('created', input.kind, input.after)];
    case 'deleted':
      return [withFacts('deleted', input.kind, input.before)];
    case 'modified':
      return summarizeModified(input);
    default: {
      const unknown: never = input.action;
      throw new Error(`unknown change action ${String(unknown)}`);
    }
  }
}

/**
 * One field change as a line, for `why --field` and detailed timelines: `spec.replicas: 1→3`,
 * `metadata.labels.app added: web`, `env removed (was …)`, and for digested values
 * `data.password changed (digest 1f2e3d4c… → 9a8b7c6d…)`: a digest is shown as one, never a value.
 */
export function describeFieldChange(change: FieldChange): string {
  const value = (json: JsonValue | undefined): string => {
    if (isDigest(json)) return `digest ${json.slice(json.indexOf(':') + 1, json.indexOf(':') + 9)}…`;
    return show(json);
  };
  const digested = isDigest(change.old) || isDigest(change.new);
  switch (change.op) {
    case 'added':
      return change.new === undefined ? `${change.path} added` : `${change.path} added: ${value(change.new)}`;
    case 'removed':
      return change.old === undefined
        ? `${change.path} removed`
        : `${change.path} removed (was ${value(change.old)})`;
    case 'changed':
      if (change.old === undefined || change.new === undefined) return `${change.path} changed`;
      return digested
        ? `${change.path} changed (${value(change.old)} → ${value(change.new)})`
        : `${change.path}: ${value(change.old)}→${value(change.new)}`;
    default: {
      const unknown: never = change.op;
      throw new Error(`unknown field op ${String(unknown)}`);
    }
  }
}

interface Field {
  readonly change: FieldChange;
  readonly segments: readonly FieldPathSegment[];
  /** The segments as plain names: `['spec', 'template', 'spec', 'containers', 'api', 'image']`. */
  readonly names: readonly string[];
}

interface Context {
  readonly kind: string;
  readonly fields: readonly Field[];
  readonly before?: KubeObject;
  readonly after?: KubeObject;
  /** Where the pod spec sits in this kind: `spec` for a Pod, `spec.template.spec` for a Deployment. */
  readonly podSpecAt?: readonly string[];
  /** App and init containers of the pod spec: a container is named only when there are several. */
  readonly containerCount: number;
}

/**
 * What a rule makes of a field: its lines, and which fields they account for (the field alone
 * unless `covers` says more). No lines: the fields are bookkeeping, folded into the other lines
 * when there are any.
 */
interface Outcome {
  readonly lines: readonly string[];
  readonly covers?: (field: Field) => boolean;
}

type Rule = (field: Field, context: Context) => Outcome | undefined;

function summarizeModified(input: SummaryInput): string[] {
  const fields: Field[] = [];
  const unreadable: FieldChange[] = [];
  for (const change of input.fields) {
    const segments = parseFieldPath(change.path);
    if (segments === undefined) unreadable.push(change);
    else fields.push({ change, segments, names: segments.map(segmentName) });
  }
  const podSpecAt = POD_SPEC_AT.get(input.kind);
  const podSpec = podSpecOf(input.after, podSpecAt) ?? podSpecOf(input.before, podSpecAt);
  const context: Context = {
    kind: input.kind,
    fields,
    ...(input.before === undefined ? {} : { before: input.before }),
    ...(input.after === undefined ? {} : { after: input.after }),
    ...(podSpecAt === undefined ? {} : { podSpecAt }),
    containerCount: (podSpec?.containers?.length ?? 0) + (podSpec?.initContainers?.length ?? 0),
  };
  const lines: string[] = [];
  const covered = new Set<Field>();
  const quiet = new Set<Field>();
  for (const field of fields) {
    if (covered.has(field) || quiet.has(field)) continue;
    const outcome = firstOutcome(field, context);
    if (outcome === undefined) continue;
    const group = outcome.covers === undefined ? [field] : fields.filter(outcome.covers);
    for (const member of group) (outcome.lines.length === 0 ? quiet : covered).add(member);
    lines.push(...outcome.lines);
  }
  const rest = [
    ...fields
      .filter((field) => !covered.has(field) && (lines.length === 0 || !quiet.has(field)))
      .map((f) => f.change),
    ...unreadable,
  ];
  if (rest.length > 0 && rest.length <= SPELLED_OUT && rest.every((c) => isShort(c.old) && isShort(c.new))) {
    // A field no rule knows (a custom resource's, a rarely set one) still reads well as path: old→new.
    lines.push(...rest.map(describeFieldChange));
  } else if (rest.length > 0) lines.push(fallbackLine(rest, lines.length > 0));
  return lines;
}

function firstOutcome(field: Field, context: Context): Outcome | undefined {
  for (const rule of RULES) {
    const outcome = rule(field, context);
    if (outcome !== undefined) return outcome;
  }
  return undefined;
}

/** At most this many fields no rule knows are spelled out with their values; more are listed by path. */
const SPELLED_OUT = 2;

function fallbackLine(rest: readonly FieldChange[], others: boolean): string {
  const paths = rest.slice(0, FALLBACK_PATHS).map((change) => change.path);
  const more = rest.length > FALLBACK_PATHS ? ', …' : '';
  const noun = rest.length === 1 ? 'field' : 'fields';
  return `${String(rest.length)} ${others ? 'other ' : ''}${noun} changed: ${paths.join(', ')}${more}`;
}

const WORKLOAD_KINDS = [
  'Deployment',
  'ReplicaSet',
  'StatefulSet',
  'DaemonSet',
  'Job',
  'ReplicationController',
];

const POD_SPEC_AT = new Map<string, readonly string[]>([
  ['Pod', ['spec']],
  ...WORKLOAD_KINDS.map((kind): [string, readonly string[]] => [kind, ['spec', 'template', 'spec']]),
  ['CronJob', ['spec', 'jobTemplate', 'spec', 'template', 'spec']],
]);

const CONTAINER_LISTS = new Map([
  ['containers', 'container'],
  ['initContainers', 'init container'],
  ['ephemeralContainers', 'ephemeral container'],
]);

const STATUS_LISTS = new Map([
  ['containerStatuses', 'container'],
  ['initContainerStatuses', 'init container'],
  ['ephemeralContainerStatuses', 'ephemeral container'],
]);

/** Status counters that move with every rollout step; the ready count says what matters. */
const ROLLOUT_COUNTERS = new Set([
  'replicas',
  'updatedReplicas',
  'availableReplicas',
  'unavailableReplicas',
  'fullyLabeledReplicas',
  'currentReplicas',
  'terminatingReplicas',
  'currentNumberScheduled',
  'desiredNumberScheduled',
  'updatedNumberScheduled',
  'numberAvailable',
  'numberUnavailable',
  'numberMisscheduled',
  'active',
  'ready',
]);

/** Pod status facts that follow scheduling and starts, which other lines already tell. */
const POD_BOOKKEEPING = new Set(['podIP', 'podIPs', 'hostIP', 'hostIPs', 'startTime', 'qosClass']);

/** Pod conditions that the container lines already tell (each container's state and readiness). */
const POD_IMPLIED_CONDITIONS = new Set(['ContainersReady', 'Initialized', 'PodReadyToStartContainers']);

const RESTARTED_AT = 'kubectl.kubernetes.io/restartedAt';
const REVISION = 'deployment.kubernetes.io/revision';

const is = (names: readonly string[], ...expected: readonly string[]): boolean =>
  names.length === expected.length && expected.every((name, at) => names[at] === name);

const startsWith = (names: readonly string[], prefix: readonly string[]): boolean =>
  prefix.every((name, at) => names[at] === name);

const RULES: readonly Rule[] = [
  // spec.replicas of a workload: `scaled 3→5`.
  (field, context) => {
    if (!WORKLOAD_KINDS.includes(context.kind) || !is(field.names, 'spec', 'replicas')) return undefined;
    const { op, old, new: now } = field.change;
    if (op === 'added') return { lines: [`scaled to ${show(now)}`] };
    if (op === 'removed') return { lines: [`replicas unset (was ${show(old)})`] };
    return { lines: [`scaled ${show(old)}→${show(now)}`] };
  },
  // HPA bounds and decisions.
  (field, context) => {
    if (context.kind !== 'HorizontalPodAutoscaler') return undefined;
    const { names } = field;
    if (is(names, 'spec', 'maxReplicas') || is(names, 'spec', 'minReplicas'))
      return { lines: [`HPA ${names[1] ?? ''} ${arrow(field.change)}`] };
    if (is(names, 'status', 'desiredReplicas'))
      return { lines: [`HPA desired replicas ${arrow(field.change)}`] };
    if (is(names, 'status', 'currentReplicas') || is(names, 'status', 'lastScaleTime')) return { lines: [] };
    return undefined;
  },
  // The pod template's containers: image, env, resources, added or removed.
  containerRule,
  // `kubectl rollout restart` stamps the template.
  (field, context) => {
    if (context.podSpecAt === undefined || context.kind === 'Pod') return undefined;
    const template = [...context.podSpecAt.slice(0, -1), 'metadata', 'annotations', RESTARTED_AT];
    return is(field.names, ...template) && field.change.op !== 'removed'
      ? { lines: ['rollout restart'] }
      : undefined;
  },
  // Labels and annotations of the object and of its pod template.
  (field, context) => {
    const { names, change } = field;
    const key = names[2];
    if (names.length === 3 && names[0] === 'metadata' && key !== undefined) {
      if (names[1] === 'labels') return { lines: [mapEntryLine('label', key, change)] };
      if (names[1] === 'annotations') {
        if (key === REVISION) return { lines: [`revision ${arrow(change)}`] };
        return { lines: [mapEntryLine('annotation', key, change)] };
      }
    }
    const template = context.podSpecAt?.slice(0, -1);
    if (template !== undefined && context.kind !== 'Pod' && names.length === template.length + 3) {
      const templateKey = names.at(-1);
      if (templateKey !== undefined && is(names.slice(0, -1), ...template, 'metadata', 'labels'))
        return { lines: [mapEntryLine('pod template label', templateKey, change)] };
    }
    return undefined;
  },
  selectorRule,
  // ConfigMap and Secret keys: values for a ConfigMap when short, never for a Secret.
  (field, context) => {
    const [map, key] = field.names;
    if (field.names.length !== 2 || map === undefined || key === undefined) return undefined;
    const { op } = field.change;
    if (context.kind === 'Secret' && (map === 'data' || map === 'stringData' || map === 'binaryData'))
      return { lines: [`Secret key ${key} ${op}`] };
    if (context.kind !== 'ConfigMap') return undefined;
    if (map === 'binaryData') return { lines: [`ConfigMap binary key ${key} ${op}`] };
    if (map !== 'data') return undefined;
    if (op !== 'changed') return { lines: [`ConfigMap key ${key} ${op}`] };
    const { old, new: now } = field.change;
    if (isShort(old) && isShort(now)) return { lines: [`ConfigMap key ${key}: ${show(old)}→${show(now)}`] };
    return { lines: [`ConfigMap key ${key} changed (${String(charCount(now))} chars)`] };
  },
  // Node scheduling: cordon and taints.
  (field, context) => {
    if (context.kind !== 'Node') return undefined;
    const { names, change } = field;
    if (is(names, 'spec', 'unschedulable'))
      return { lines: [change.new === true ? 'cordoned' : 'uncordoned'] };
    if (names.length >= 3 && is(names.slice(0, 2), 'spec', 'taints')) {
      const id = names[2] ?? '';
      const sameTaint = (other: Field): boolean => startsWith(other.names, ['spec', 'taints', id]);
      if (names.length === 3 && change.op === 'added')
        return { lines: [`taint ${taintText(change.new, id)} added`], covers: sameTaint };
      if (names.length === 3 && change.op === 'removed')
        return { lines: [`taint ${taintText(change.old, id)} removed`], covers: sameTaint };
      return { lines: [`taint ${id} changed`], covers: sameTaint };
    }
    return undefined;
  },
  // Suspending a CronJob or a Job.
  (field, context) => {
    if ((context.kind !== 'CronJob' && context.kind !== 'Job') || !is(field.names, 'spec', 'suspend'))
      return undefined;
    return { lines: [field.change.new === true ? 'suspended' : 'resumed'] };
  },
  // Scheduling and deletion of a pod.
  (field, context) => {
    const { names, change } = field;
    if (context.kind === 'Pod' && is(names, 'spec', 'nodeName') && change.op === 'added')
      return { lines: [`scheduled to ${show(change.new)}`] };
    if (is(names, 'metadata', 'deletionTimestamp') && change.op === 'added')
      return { lines: ['terminating'] };
    if (is(names, 'metadata', 'deletionGracePeriodSeconds')) return { lines: [] };
    return undefined;
  },
  // Phase of a pod, a claim, a volume, a namespace.
  (field) => (is(field.names, 'status', 'phase') ? { lines: [`phase ${arrow(field.change)}`] } : undefined),
  containerStatusRule,
  conditionRule,
  // Ready counts of workloads; the other rollout counters fold into them.
  (field, context) => {
    const [section, counter] = field.names;
    if (section !== 'status' || field.names.length !== 2 || counter === undefined) return undefined;
    if (!WORKLOAD_KINDS.includes(context.kind)) {
      return context.kind === 'Pod' && POD_BOOKKEEPING.has(counter) ? { lines: [] } : undefined;
    }
    const zero = { ...field.change, old: field.change.old ?? 0, new: field.change.new ?? 0 };
    if (counter === 'readyReplicas') return { lines: [`ready replicas ${arrow(zero)}`] };
    if (counter === 'numberReady') return { lines: [`ready pods ${arrow(zero)}`] };
    if (context.kind === 'Job' && (counter === 'succeeded' || counter === 'failed'))
      return { lines: [`${counter} pods ${arrow(zero)}`] };
    return ROLLOUT_COUNTERS.has(counter) ? { lines: [] } : undefined;
  },
];

/** A container of the pod spec (or template): `containers[api].image` and friends. */
function containerRule(field: Field, context: Context): Outcome | undefined {
  const at = context.podSpecAt;
  if (at === undefined || !startsWith(field.names, at)) return undefined;
  const [list, name, ...rest] = field.names.slice(at.length);
  const noun = list === undefined ? undefined : CONTAINER_LISTS.get(list);
  if (noun === undefined || name === undefined || !('item' in (field.segments[at.length + 1] ?? {})))
    return undefined;
  const { change } = field;
  const who = `${noun} ${name}`;
  // `of api` when there are several containers; init and ephemeral containers always say what they are.
  const of = noun === 'container' ? (context.containerCount <= 1 ? '' : ` of ${name}`) : ` of ${who}`;
  const [part, key, leaf] = rest;
  if (part === undefined) return { lines: [`${who} ${change.op}`] };
  if (part === 'image' && rest.length === 1) {
    if (change.op !== 'changed' || typeof change.old !== 'string' || typeof change.new !== 'string')
      return undefined;
    return { lines: [`image${of === '' ? '' : `${of}:`} ${imageChange(change.old, change.new)}`] };
  }
  if (part === 'env' && key !== undefined) {
    const prefix = [...at, list ?? '', name, 'env', key];
    const covers = (other: Field): boolean => startsWith(other.names, prefix);
    if (rest.length === 2 && change.op !== 'changed')
      return { lines: [`env ${key}${of} ${change.op}`], covers };
    if (leaf === 'value' && rest.length === 3 && isShort(change.old) && isShort(change.new))
      return { lines: [`env ${key}${of}: ${show(change.old)}→${show(change.new)}`], covers };
    return { lines: [`env ${key}${of} changed`], covers };
  }
  if (
    part === 'resources' &&
    (key === 'limits' || key === 'requests') &&
    leaf !== undefined &&
    rest.length === 3
  ) {
    const what = `resources.${key}.${leaf} of ${noun === 'container' ? name : who}`;
    if (change.op === 'added') return { lines: [`${what} set to ${show(change.new)}`] };
    if (change.op === 'removed') return { lines: [`${what} removed (was ${show(change.old)})`] };
    return { lines: [`${what}: ${show(change.old)}→${show(change.new)}`] };
  }
  return undefined;
}

/** A Service's selector or a workload's label selector: one line, the whole selector before and after. */
function selectorRule(field: Field, context: Context): Outcome | undefined {
  if (!startsWith(field.names, ['spec', 'selector'])) return undefined;
  const service = context.kind === 'Service';
  if (!service && !WORKLOAD_KINDS.includes(context.kind) && context.kind !== 'PodDisruptionBudget')
    return undefined;
  const covers = (other: Field): boolean => startsWith(other.names, ['spec', 'selector']);
  const before = selectorText(context.before, service);
  const after = selectorText(context.after, service);
  if (before !== undefined && after !== undefined) return { lines: [`selector ${before}→${after}`], covers };
  return { lines: ['selector changed'], covers };
}

/** A container's state, readiness and restarts, told once per container. */
function containerStatusRule(field: Field, context: Context): Outcome | undefined {
  const [section, list, name] = field.names;
  const noun = list === undefined ? undefined : STATUS_LISTS.get(list);
  if (section !== 'status' || noun === undefined || name === undefined || list === undefined)
    return undefined;
  const covers = (other: Field): boolean => startsWith(other.names, ['status', list, name]);
  const before = containerStatusOf(context.before, list, name);
  const after = containerStatusOf(context.after, list, name);
  const who = `${noun} ${name}`;
  if (context.after === undefined)
    return { lines: containerLinesFromFields(context.fields, list, name, who), covers };
  const lines: string[] = [];
  if (after === undefined) return { lines: [`${who} status removed`], covers };
  const oldState = stateText(before?.state);
  const newState = stateText(after.state);
  if (newState !== undefined && newState !== oldState) lines.push(`${who}: ${newState}`);
  if ((before?.ready ?? false) !== (after.ready ?? false))
    lines.push(`${who} ${after.ready === true ? 'ready' : 'not ready'}`);
  const restartsBefore = before?.restartCount ?? 0;
  const restartsAfter = after.restartCount ?? 0;
  if (restartsAfter !== restartsBefore)
    lines.push(`${who} restarts ${String(restartsBefore)}→${String(restartsAfter)}`);
  return { lines, covers };
}

/** What the fields alone tell of a container's status, when the objects are not at hand. */
function containerLinesFromFields(
  fields: readonly Field[],
  list: string,
  name: string,
  who: string,
): string[] {
  const lines: string[] = [];
  for (const field of fields) {
    if (!startsWith(field.names, ['status', list, name])) continue;
    const rest = field.names.slice(3).join('.');
    const { change } = field;
    if (rest === 'state.waiting.reason' || (rest === 'state.waiting' && change.op !== 'removed')) {
      const reason = isRecord(change.new) ? change.new.reason : change.new;
      lines.push(`${who}: ${typeof reason === 'string' ? reason : 'waiting'}`);
    } else if (rest === 'state.running' && change.op === 'added') lines.push(`${who}: running`);
    else if (rest === 'ready') lines.push(`${who} ${change.new === true ? 'ready' : 'not ready'}`);
    else if (rest === 'restartCount')
      lines.push(`${who} restarts ${show(change.old ?? 0)}→${show(change.new ?? 0)}`);
  }
  return lines;
}

/** A condition that flips (`node Ready True→Unknown`) or changes its reason. */
function conditionRule(field: Field, context: Context): Outcome | undefined {
  const [section, list, type] = field.names;
  if (
    section !== 'status' ||
    list !== 'conditions' ||
    type === undefined ||
    !('item' in (field.segments[2] ?? {}))
  )
    return undefined;
  const covers = (other: Field): boolean => startsWith(other.names, ['status', 'conditions', type]);
  if (context.kind === 'Pod' && POD_IMPLIED_CONDITIONS.has(type)) return { lines: [], covers };
  const before = conditionOf(context.before, type) ?? conditionFromFields(context.fields, type, 'old');
  const after = conditionOf(context.after, type) ?? conditionFromFields(context.fields, type, 'new');
  const who = context.kind === 'Node' ? `node ${type}` : type;
  if (after === undefined) return { lines: [`${who} condition removed`], covers };
  const reason = after.reason === undefined || after.reason === '' ? '' : ` (${after.reason})`;
  if (before === undefined) return { lines: [`${who} ${after.status}${reason}`], covers };
  if (before.status !== after.status)
    return { lines: [`${who} ${before.status}→${after.status}${reason}`], covers };
  if ((before.reason ?? '') !== (after.reason ?? ''))
    return { lines: [`${who} reason ${before.reason ?? '(none)'}→${after.reason ?? '(none)'}`], covers };
  return { lines: [], covers };
}

/** A condition rebuilt from the fields alone, when the objects are not at hand. */
function conditionFromFields(
  fields: readonly Field[],
  type: string,
  side: 'old' | 'new',
): Condition | undefined {
  let status: string | undefined;
  let reason: string | undefined;
  for (const field of fields) {
    if (!startsWith(field.names, ['status', 'conditions', type])) continue;
    const value = field.change[side];
    if (field.names.length === 3 && isRecord(value)) {
      status = typeof value.status === 'string' ? value.status : status;
      reason = typeof value.reason === 'string' ? value.reason : reason;
    } else if (field.names[3] === 'status' && typeof value === 'string') status = value;
    else if (field.names[3] === 'reason' && typeof value === 'string') reason = value;
  }
  if (status === undefined) return undefined;
  return reason === undefined ? { type, status } : { type, status, reason };
}

/** `created` or `deleted`, with the facts a person checks first: replicas, images, keys, selector. */
function withFacts(verb: string, kind: string, object: KubeObject | undefined): string {
  const facts = object === undefined ? [] : factsOf(kind, object);
  return facts.length === 0 ? verb : `${verb}: ${facts.join(', ')}`;
}

function factsOf(kind: string, object: KubeObject): string[] {
  const facts: string[] = [];
  const spec = isRecord(object.spec) ? object.spec : {};
  if (WORKLOAD_KINDS.includes(kind) && typeof spec.replicas === 'number')
    facts.push(`${String(spec.replicas)} ${spec.replicas === 1 ? 'replica' : 'replicas'}`);
  if (kind === 'CronJob' && typeof spec.schedule === 'string') facts.push(`schedule ${spec.schedule}`);
  const podSpec = podSpecOf(object, POD_SPEC_AT.get(kind));
  const images = (podSpec?.containers ?? []).filter((c) => typeof c.image === 'string');
  if (images.length === 1) facts.push(`image ${images[0]?.image ?? ''}`);
  else if (images.length > 1)
    facts.push(
      `images ${formatList(
        images.map((container) => `${container.name}=${container.image ?? ''}`),
        3,
      )}`,
    );
  if (kind === 'Pod' && typeof podSpec?.nodeName === 'string') facts.push(`on ${podSpec.nodeName}`);
  if (kind === 'ConfigMap' || kind === 'Secret') {
    const keys = ['data', 'binaryData', 'stringData'].flatMap((map) => {
      const values = object[map];
      return isRecord(values) ? Object.keys(values) : [];
    });
    if (keys.length > 0)
      facts.push(`${keys.length === 1 ? 'key' : 'keys'} ${formatList([...new Set(keys)], 3)}`);
  }
  if (kind === 'Service') {
    if (typeof spec.type === 'string') facts.push(`type ${spec.type}`);
    const selector = selectorText(object, true);
    if (selector !== undefined && selector !== '(none)') facts.push(`selector ${selector}`);
  }
  if (kind === 'HorizontalPodAutoscaler') {
    const target = isRecord(spec.scaleTargetRef) ? spec.scaleTargetRef : {};
    if (typeof target.kind === 'string' && typeof target.name === 'string')
      facts.push(`for ${target.kind}/${target.name}`);
    if (typeof spec.maxReplicas === 'number')
      facts.push(
        `replicas ${show(typeof spec.minReplicas === 'number' ? spec.minReplicas : 1)}–${show(spec.maxReplicas)}`,
      );
  }
  return facts;
}

function podSpecOf(object: KubeObject | undefined, at: readonly string[] | undefined): PodSpec | undefined {
  if (object === undefined || at === undefined) return undefined;
  let value: unknown = object;
  for (const key of at) value = isRecord(value) ? value[key] : undefined;
  // Read defensively below: every PodSpec field is optional.
  return isRecord(value) ? value : undefined;
}

function containerStatusOf(
  object: KubeObject | undefined,
  list: string,
  name: string,
): ContainerStatus | undefined {
  const status = object?.status;
  if (!isRecord(status)) return undefined;
  const statuses = status[list];
  if (!Array.isArray(statuses)) return undefined;
  return (statuses as readonly ContainerStatus[]).find((entry) => isRecord(entry) && entry.name === name);
}

function conditionOf(object: KubeObject | undefined, type: string): Condition | undefined {
  const status = object?.status;
  if (!isRecord(status) || !Array.isArray(status.conditions)) return undefined;
  return (status.conditions as readonly Condition[]).find((entry) => isRecord(entry) && entry.type === type);
}

/** How a container is doing, in one phrase: `CrashLoopBackOff`, `running`, `terminated: OOMKilled (exit 137)`. */
function stateText(state: ContainerState | undefined): string | undefined {
  if (state?.waiting !== undefined) return state.waiting.reason ?? 'waiting';
  if (state?.running !== undefined) return 'running';
  if (state?.terminated !== undefined) {
    const { reason, exitCode } = state.terminated;
    const exit = exitCode === undefined ? '' : ` (exit ${String(exitCode)})`;
    return `terminated${reason === undefined ? '' : `: ${reason}`}${exit}`;
  }
  return undefined;
}

/** `app=web,tier=front`, `(none)` for an empty one; undefined when the object has no selector. */
function selectorText(object: KubeObject | undefined, service: boolean): string | undefined {
  if (object === undefined) return undefined;
  const spec = isRecord(object.spec) ? object.spec : {};
  const selector = spec.selector;
  if (selector === undefined || selector === null) return '(none)';
  if (!isRecord(selector)) return undefined;
  const labels = service ? selector : isRecord(selector.matchLabels) ? selector.matchLabels : {};
  const parts = Object.entries(labels).map(
    ([key, value]) => `${key}=${typeof value === 'string' ? value : show(value as JsonValue)}`,
  );
  const expressions =
    !service && Array.isArray(selector.matchExpressions) ? selector.matchExpressions.length : 0;
  if (expressions > 0)
    parts.push(`${String(expressions)} ${expressions === 1 ? 'expression' : 'expressions'}`);
  return parts.length === 0 ? '(none)' : parts.join(',');
}

/**
 * `api:1.4→api:1.5`; when that is long and only the tag or digest moved,
 * `registry.example.com/team/api:1.4→1.5`. Images are never cut: they are what people look for.
 */
function imageChange(before: string, after: string): string {
  const full = `${before}→${after}`;
  if (full.length <= IMAGE_CHANGE_CHARS) return full;
  const old = splitImage(before);
  const now = splitImage(after);
  return old.repository === now.repository && now.version !== '' ? `${before}→${now.version.slice(1)}` : full;
}

/** Repository and `:tag` or `@digest` of an image reference (a registry port is no tag). */
function splitImage(image: string): { repository: string; version: string } {
  const at = image.indexOf('@');
  if (at !== -1) return { repository: image.slice(0, at), version: image.slice(at) };
  const colon = image.lastIndexOf(':');
  return colon > image.lastIndexOf('/')
    ? { repository: image.slice(0, colon), version: image.slice(colon) }
    : { repository: image, version: '' };
}

/** `key=value:Effect` as kubectl writes a taint; the identity when the value is not at hand. */
function taintText(value: JsonValue | undefined, identity: string): string {
  if (!isRecord(value)) return identity;
  const taint = value as Partial<Taint>;
  if (typeof taint.key !== 'string' || typeof taint.effect !== 'string') return identity;
  const withValue = typeof taint.value === 'string' && taint.value !== '' ? `=${taint.value}` : '';
  return `${taint.key}${withValue}:${taint.effect}`;
}

/** `label app: web→webapp`, `label app=web added`, `label app removed`. */
function mapEntryLine(noun: string, key: string, change: FieldChange): string {
  switch (change.op) {
    case 'added':
      return isShort(change.new) ? `${noun} ${key}=${show(change.new)} added` : `${noun} ${key} added`;
    case 'removed':
      return `${noun} ${key} removed`;
    case 'changed':
      return isShort(change.old) && isShort(change.new)
        ? `${noun} ${key}: ${show(change.old)}→${show(change.new)}`
        : `${noun} ${key} changed (${String(charCount(change.new))} chars)`;
    default: {
      const unknown: never = change.op;
      throw new Error(`unknown field op ${String(unknown)}`);
    }
  }
}

/** `3→5`, `→5` when added, `3→(none)` when removed. */
function arrow(change: Pick<FieldChange, 'old' | 'new'>): string {
  return `${change.old === undefined ? '(none)' : show(change.old)}→${change.new === undefined ? '(none)' : show(change.new)}`;
}

function isShort(value: JsonValue | undefined): boolean {
  if (value === undefined || value === null || typeof value === 'number' || typeof value === 'boolean')
    return true;
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return text.length <= SHORT_VALUE_CHARS && !text.includes('\n');
}

/** A value as a person reads it; long ones by their length. */
function show(value: JsonValue | undefined): string {
  if (value === undefined || value === null) return '(none)';
  if (typeof value === 'string') return isShort(value) ? value : `(${String(value.length)} chars)`;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  const text = JSON.stringify(value);
  return isShort(value) ? text : `(${String(text.length)} chars)`;
}

function charCount(value: JsonValue | undefined): number {
  if (value === undefined || value === null) return 0;
  return typeof value === 'string' ? value.length : JSON.stringify(value).length;
}

function isRecord(value: unknown): value is Readonly<Record<string, unknown>> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
