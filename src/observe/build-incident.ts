import { create, type MessageInitShape } from '@bufbuild/protobuf';
import { timestampFromDate, type Timestamp } from '@bufbuild/protobuf/wkt';
import { analyze } from '../analyze/analyze.js';
import type { Problem } from '../analyze/problem.js';
import type { Change } from '../core/change.js';
import type { ChangeHistory } from '../core/change-history.js';
import type { DataGap } from '../core/data-gap.js';
import type { EventRecord } from '../core/event-record.js';
import type { Finding } from '../core/finding.js';
import type { KubeObject } from '../core/kube-object.js';
import type { ContainerState, ContainerStatus, Node, Pod } from '../core/kube-types.js';
import { refKey, refOf, type ResourceRef } from '../core/resource-ref.js';
import type { Snapshot } from '../core/snapshot.js';
import { timeMs } from '../core/time.js';
import { objectsBearingOn } from '../graph/bearing.js';
import { buildGraph } from '../graph/build-graph.js';
import type { DependencyGraph } from '../graph/dependency-graph.js';
import {
  IncidentContextSchema,
  type ContainerStatusSchema,
  type EventSchema,
  type FindingSchema,
  type IncidentContext,
  type ObjectRefSchema,
  type RecentChangeSchema,
} from '../gen/kubectl_smart/incident/v1/incident_pb.js';
import type { FailureTrigger } from './failure-detection.js';
import { failureReasonToProto } from './failure-reason-proto.js';
import { incidentId } from './incident-id.js';
import type { RedactionLocation, Redactor } from './redact/redactor.js';

/** The contract version this agent writes (kubectl_smart.incident.v1). */
export const INCIDENT_SCHEMA_VERSION = 1;
/** How far back the recorded changes around the pod reach. */
export const RECENT_CHANGES_MS = 60 * 60_000;

/** Who is sending: the cluster as the agent knows it, and which replica. */
export interface IncidentOrigin {
  readonly clusterName: string;
  readonly server: string;
  readonly agentId: string;
}

export interface BuildIncidentInput {
  readonly snapshot: Snapshot;
  readonly trigger: FailureTrigger;
  readonly origin: IncidentOrigin;
  readonly detectedAt: Date;
  /** Detections of the same failure the debounce held back before this one. */
  readonly debounced: number;
  /** The debounce TTL: detections of one failure within one window share an incident id. */
  readonly windowMs: number;
  readonly tailLines: number;
  /** What the source could not read for this snapshot. */
  readonly gaps: readonly DataGap[];
  /** Recorded changes before the snapshot (memory tier on); undefined leaves recent changes empty. */
  readonly history?: ChangeHistory;
  /** The snapshot's dependency graph, when the caller has built it already (one per batch). */
  readonly graph?: DependencyGraph;
  /** A fresh redactor: its report becomes the incident's. */
  readonly redactor: Redactor;
}

type ObjectRefInit = MessageInitShape<typeof ObjectRefSchema>;
/** Redacts one text, counting it under where it stood. */
type RedactText = (value: string | undefined, location: RedactionLocation) => string;

/**
 * The cluster's CA bundle, published into every namespace and mounted by every service account
 * token: public, the same for every pod, and never the cause of a failure. Left out of incidents.
 */
const ROOT_CA_CONFIG_MAP = 'kube-root-ca.crt';
/** Owner kinds followed up the chain: a pod's controller and its controller's controller. */
const OWNER_KINDS = new Set(['ReplicaSet', 'Deployment', 'StatefulSet', 'DaemonSet', 'Job', 'CronJob']);

/**
 * Packs one failure and its evidence into an IncidentContext: the pod, its owner chain and the
 * ConfigMaps it references as redacted manifests, the failing container's current and previous
 * logs, the events of the pod and its owners, the node's conditions, the analyzers' diagnosis, and
 * the recent recorded changes. Every text goes through the redactor; if it throws
 * (RedactionError), nothing is built and the caller sends nothing (fail closed).
 */
export function buildIncident(input: BuildIncidentInput): IncidentContext {
  const { snapshot, trigger, redactor } = input;
  const podRef: ResourceRef = { kind: 'Pod', namespace: trigger.namespace, name: trigger.pod };
  const pod: Pod | undefined = snapshot.get(podRef);
  const owners = pod === undefined ? [] : ownerChain(snapshot, pod);
  const graph = input.graph ?? buildGraph(snapshot);
  const configMaps = graph
    .outgoing(refKey(podRef))
    .map((edge) => graph.nodeByKey(edge.to))
    .flatMap((node) =>
      node?.ref.kind === 'ConfigMap' && node.object !== undefined && node.ref.name !== ROOT_CA_CONFIG_MAP
        ? [node.object]
        : [],
    );
  const text: RedactText = (value, location) =>
    value === undefined || value === '' ? '' : redactor.text(value, location);

  const manifests = [...(pod === undefined ? [] : [pod]), ...owners, ...uniqueByKey(configMaps)].map(
    (object) => ({
      ref: objectRef(object),
      json: JSON.stringify(redactor.object(withoutNoise(object))),
    }),
  );
  const logs = (trigger.container === undefined ? [] : [false, true]).flatMap((previous) => {
    const log = snapshot.log(trigger.namespace, trigger.pod, trigger.container ?? '', previous);
    return log === undefined
      ? []
      : [
          {
            container: log.container,
            previous,
            text: text(lastLines(log.text, input.tailLines), 'log'),
            tailLines: input.tailLines,
          },
        ];
  });
  const events = [podRef, ...owners.map(refOf)]
    .flatMap((ref) => snapshot.eventsAbout(ref))
    .map((event) => eventMessage(event, text));
  const node: Node | undefined =
    pod?.spec?.nodeName === undefined ? undefined : snapshot.get({ kind: 'Node', name: pod.spec.nodeName });
  const nodeConditions = (node?.status?.conditions ?? []).map((condition) => ({
    type: condition.type,
    status: condition.status,
    reason: condition.reason ?? '',
    message: text(condition.message, 'manifest'),
    ...timestamp('lastTransitionTime', condition.lastTransitionTime),
  }));
  const problem = diagnosisOf(snapshot, graph, podRef, input.history);
  const findingMessage = (finding: Finding): MessageInitShape<typeof FindingSchema> =>
    findingInit(finding, text);
  const watched = new Map(
    [podRef, ...owners.map(refOf), ...configMaps.map(refOf)].map((ref) => [refKey(ref), ref]),
  );
  const since = input.detectedAt.getTime() - RECENT_CHANGES_MS;
  const recentChanges =
    input.history === undefined
      ? []
      : [...watched.values()]
          .flatMap((ref) => input.history?.changesOf(ref) ?? [])
          .filter((change) => (timeMs(change.at) ?? 0) >= since)
          .sort((a, b) => a.at.localeCompare(b.at))
          .map((change) => recentChange(change, text));
  const statuses = [
    ...(pod?.status?.initContainerStatuses ?? []).map((status) => ({ status, init: true })),
    ...(pod?.status?.containerStatuses ?? []).map((status) => ({ status, init: false })),
  ];

  const content = {
    schemaVersion: INCIDENT_SCHEMA_VERSION,
    incidentId: incidentId(trigger, input.detectedAt, input.windowMs),
    cluster: {
      name: input.origin.clusterName,
      server: input.origin.server,
      agentId: input.origin.agentId,
    },
    detectedAt: timestampFromDate(input.detectedAt),
    reason: failureReasonToProto(trigger.reason),
    message: text(trigger.message, 'manifest'),
    pod:
      pod === undefined
        ? {
            apiVersion: 'v1',
            kind: 'Pod',
            namespace: trigger.namespace,
            name: trigger.pod,
            uid: trigger.podUid,
          }
        : objectRef(pod),
    container: trigger.container ?? '',
    nodeName: pod?.spec?.nodeName ?? '',
    owners: owners.map(objectRef),
    containers: statuses.map(({ status, init }) => containerStatus(status, init, text)),
    logs,
    manifests,
    events,
    nodeConditions,
    ...(problem === undefined
      ? {}
      : {
          diagnosis: {
            rootCause: findingMessage(problem.rootCause),
            chain: problem.chain.map((ref) => refInit(snapshot, ref)),
            contributing: problem.contributing.map(findingMessage),
          },
        }),
    recentChanges,
    debounced: input.debounced,
    gaps: input.gaps.map((gap) => `${gap.message} (check: ${gap.check})`),
  } satisfies MessageInitShape<typeof IncidentContextSchema>;
  // After everything above went through the redactor: the report counts all of it.
  return create(IncidentContextSchema, { ...content, redaction: redactor.report() });
}

/** The pod's controllers, nearest first, as far as the snapshot has them: ReplicaSet, Deployment. */
function ownerChain(snapshot: Snapshot, pod: Pod): KubeObject[] {
  const chain: KubeObject[] = [];
  let current: KubeObject = pod;
  for (let hop = 0; hop < 4; hop++) {
    const reference = (current.metadata.ownerReferences ?? []).find(
      (owner) => owner.controller === true || OWNER_KINDS.has(owner.kind),
    );
    const owner =
      reference === undefined
        ? undefined
        : (snapshot.byUid(reference.uid ?? '') ??
          snapshot.get({
            kind: reference.kind,
            namespace: pod.metadata.namespace ?? '',
            name: reference.name,
          }));
    if (owner === undefined || chain.includes(owner)) break;
    chain.push(owner);
    current = owner;
  }
  return chain;
}

/**
 * The analyzers' answer for the pod: the highest-ranked problem whose chain, root cause or sibling
 * pods name it, over the objects that bear on it.
 */
function diagnosisOf(
  snapshot: Snapshot,
  graph: DependencyGraph,
  podRef: ResourceRef,
  history: ChangeHistory | undefined,
): Problem | undefined {
  const key = refKey(podRef);
  if (graph.nodeByKey(key) === undefined) return undefined;
  const analysis = analyze(snapshot, graph, {
    only: objectsBearingOn(graph, key),
    ...(history === undefined ? {} : { history }),
  });
  const names = (problem: Problem): boolean =>
    [
      problem.rootCause.resource,
      ...problem.chain,
      ...problem.alsoOn,
      ...problem.symptoms.map((s) => s.resource),
    ]
      .map(refKey)
      .includes(key);
  return analysis.problems.find(names) ?? analysis.problems[0];
}

function findingInit(finding: Finding, text: RedactText): MessageInitShape<typeof FindingSchema> {
  return {
    ruleId: finding.ruleId,
    severity: finding.severity,
    resource: {
      kind: finding.resource.kind,
      namespace: finding.resource.namespace ?? '',
      name: finding.resource.name,
    },
    message: text(finding.message, 'manifest'),
    evidence: finding.evidence.map((evidence) => ({
      source: evidence.source,
      text: text(
        evidence.text,
        evidence.source === 'log' ? 'log' : evidence.source === 'event' ? 'event' : 'manifest',
      ),
    })),
    fixSummary: text(finding.fix?.summary, 'manifest'),
    fixCommands: (finding.fix?.commands ?? []).map((command) => text(command, 'manifest')),
  };
}

function containerStatus(
  status: ContainerStatus,
  init: boolean,
  text: RedactText,
): MessageInitShape<typeof ContainerStatusSchema> {
  const [state, detail] = stateOf(status.state);
  const last = status.lastState?.terminated;
  return {
    name: status.name,
    init,
    image: (status as { image?: string }).image ?? '',
    state,
    reason: detail?.reason ?? '',
    message: text(detail?.message, 'manifest'),
    restartCount: status.restartCount ?? 0,
    ...(last === undefined
      ? {}
      : {
          lastTermination: {
            reason: last.reason ?? '',
            exitCode: last.exitCode ?? 0,
            signal: (last as { signal?: number }).signal ?? 0,
            message: text(last.message, 'manifest'),
            ...timestamp('startedAt', last.startedAt),
            ...timestamp('finishedAt', last.finishedAt),
          },
        }),
  };
}

function stateOf(
  state: ContainerState | undefined,
): [string, { readonly reason?: string; readonly message?: string } | undefined] {
  if (state?.waiting !== undefined) return ['waiting', state.waiting];
  if (state?.terminated !== undefined) return ['terminated', state.terminated];
  if (state?.running !== undefined) return ['running', undefined];
  return ['', undefined];
}

function eventMessage(event: EventRecord, text: RedactText): MessageInitShape<typeof EventSchema> {
  return {
    involvedObject: {
      kind: event.involved.kind,
      namespace: event.involved.namespace ?? '',
      name: event.involved.name,
      uid: event.involved.uid ?? '',
    },
    type: event.type,
    reason: event.reason,
    message: text(event.message, 'event'),
    count: event.count,
    ...timestamp('firstSeen', event.firstSeen),
    ...timestamp('lastSeen', event.lastSeen),
    source: event.source ?? '',
  };
}

function recentChange(change: Change, text: RedactText): MessageInitShape<typeof RecentChangeSchema> {
  const actor = change.actor;
  const reason = change.reason;
  return {
    ...timestamp('at', change.at),
    object: {
      kind: change.object.kind,
      namespace: change.object.namespace ?? '',
      name: change.object.name,
      uid: change.object.uid ?? '',
    },
    summary: text(change.summary.join('; ') || change.action, 'manifest'),
    actor: actor?.user ?? actor?.manager ?? '',
    why: text(reason?.why ?? reason?.changeCause ?? reason?.rollout, 'manifest'),
  };
}

function objectRef(object: KubeObject): ObjectRefInit {
  return {
    apiVersion: object.apiVersion,
    kind: object.kind,
    namespace: object.metadata.namespace ?? '',
    name: object.metadata.name,
    uid: object.metadata.uid ?? '',
  };
}

/** A chain link as the contract names it, with what the snapshot knows of the object. */
function refInit(snapshot: Snapshot, ref: ResourceRef): ObjectRefInit {
  const object = snapshot.get(ref);
  return object === undefined
    ? { kind: ref.kind, namespace: ref.namespace ?? '', name: ref.name }
    : objectRef(object);
}

/** The object without `managedFields`: bookkeeping that says nothing about the failure and weighs a lot. */
function withoutNoise(object: KubeObject): KubeObject {
  const metadata = { ...object.metadata };
  delete metadata.managedFields;
  return { ...object, metadata };
}

function uniqueByKey(objects: readonly KubeObject[]): KubeObject[] {
  const seen = new Map<string, KubeObject>();
  for (const object of objects) seen.set(refKey(refOf(object)), object);
  return [...seen.values()];
}

/** The last `count` lines: a source may hand more than was asked (a dump holds whole logs). */
function lastLines(text: string, count: number): string {
  const lines = text.endsWith('\n') ? text.slice(0, -1).split('\n') : text.split('\n');
  return lines.length <= count ? text : `${lines.slice(-count).join('\n')}\n`;
}

function timestamp<K extends string>(field: K, iso: string | undefined): Partial<Record<K, Timestamp>> {
  const ms = timeMs(iso);
  return ms === undefined
    ? {}
    : ({ [field]: timestampFromDate(new Date(ms)) } as Partial<Record<K, Timestamp>>);
}
