import type { Coverage } from '../../core/coverage.js';
import { formatAge } from '../../core/duration.js';
import { formatList } from '../../core/format-list.js';
import type { Evidence, Finding, Fix } from '../../core/finding.js';
import { CONTROLLER_KINDS, kindInfo, resourceNameOf } from '../../core/kinds.js';
import type { KubeObject } from '../../core/kube-object.js';
import type { Pod } from '../../core/kube-types.js';
import { formatRef, refKey, type ResourceRef } from '../../core/resource-ref.js';
import { timeMs } from '../../core/time.js';
import {
  CHAOS_MESH_PAUSE,
  readExperiment,
  type ChaosExperiment,
} from '../../graph/chaos/chaos-experiment.js';
import type { DependencyGraph, GraphNode } from '../../graph/dependency-graph.js';
import { healthOf } from '../../graph/health.js';
import { containerStatuses } from '../pod-refs.js';
import { defineRule } from '../rule.js';

/** Failing targets quoted as evidence; the rest are counted. */
const LISTED = 10;

/**
 * An active chaos experiment (Chaos Mesh's PodChaos, NetworkChaos, StressChaos, HTTPChaos, IOChaos,
 * DNSChaos, TimeChaos, a Schedule or Workflow running them; LitmusChaos's ChaosEngine) that faults
 * pods which are failing: crash-looping, not ready, OOM-killed, pending, or restarted since it
 * began. The graph has linked each pod it selects to it (`disrupted-by`), so its finding explains
 * what fails below it and ranks first. Evidence: its spec (what, how, which pods, how long), who
 * wrote it, and the failing pods; the fix pauses or stops it. A paused, finished or stopped
 * experiment, or one whose pods are healthy, is no finding; one whose pods were not read (a dump
 * holding the experiment alone) is an info finding saying so: unknown, never healthy.
 */
export const chaosExperiment = defineRule({
  id: 'chaos-experiment',
  summary:
    'an active chaos experiment (Chaos Mesh, LitmusChaos) whose selector matches failing pods: its spec, who wrote it, the pods, and how to pause or stop it; with its pods unread, that they are unknown',
  kinds: [
    'PodChaos',
    'NetworkChaos',
    'StressChaos',
    'HTTPChaos',
    'IOChaos',
    'DNSChaos',
    'TimeChaos',
    'Schedule',
    'Workflow',
    'ChaosEngine',
  ],
  reads: ['Pod', ...CONTROLLER_KINDS],
  explainsDependents: true,
  detect(object, { graph, now, snapshot }) {
    const experiment = readExperiment(object, now);
    if (experiment?.state.active !== true) return [];
    const unread = unreadNamespaces(experiment, snapshot.coverage);
    if (unread.length > 0) return [unknownTargets(experiment, object, unread)];
    const since = timeMs(object.metadata.creationTimestamp);
    const targets = graph.incoming(refKey(experiment.ref)).filter((edge) => edge.kind === 'disrupted-by');
    const failing = targets.flatMap((edge) => {
      const node = graph.nodeByKey(edge.from);
      const why = node === undefined ? undefined : failingState(node, graph, since);
      return node === undefined || why === undefined ? [] : [{ ref: node.ref, why }];
    });
    if (failing.length === 0) return [];
    const finding: Finding = {
      ruleId: 'chaos-experiment',
      severity: 'critical',
      resource: experiment.ref,
      message: `${experiment.tool} is injecting ${experiment.fault}${experiment.mode === undefined ? '' : ` (mode ${experiment.mode})`} into pods it selects: ${String(failing.length)} of ${String(targets.length)} failing`,
      evidence: [
        ...specEvidence(
          experiment,
          targets.map((edge) => edge.detail?.via ?? ''),
        ),
        ...writerEvidence(object),
        {
          source: 'status',
          text: `active (${experiment.state.why}) since ${object.metadata.creationTimestamp ?? 'an unknown time'}${since === undefined ? '' : `, ${formatAge(now.getTime() - since)} ago`}`,
        },
        ...injectedEvidence(object),
        ...(experiment.madeBy === undefined
          ? []
          : [
              {
                source: 'graph' as const,
                resource: experiment.madeBy,
                text: 'makes this experiment',
              },
            ]),
        ...failing.slice(0, LISTED).map((target) => ({
          source: 'status' as const,
          resource: target.ref,
          text: `failing: ${target.why}`,
        })),
        ...(failing.length > LISTED
          ? [{ source: 'status' as const, text: `and ${String(failing.length - LISTED)} more failing` }]
          : []),
      ],
      fix: fixOf(experiment),
    };
    return [finding];
  },
});

/**
 * The namespaces the experiment's targets live in where pods were not read (all of them when it
 * names none: where it runs, as Chaos Mesh defaults it). Its pods there are unknown, not healthy.
 */
function unreadNamespaces(experiment: ChaosExperiment, coverage: Coverage): string[] {
  const own = experiment.ref.namespace ?? 'default';
  const namespaces = experiment.targets.flatMap((target) =>
    target.by === 'selector'
      ? target.namespaces.length === 0
        ? [own]
        : target.namespaces
      : [target.namespace],
  );
  return [...new Set(namespaces.length === 0 ? [own] : namespaces)].filter(
    (namespace) => !coverage.covers('Pod', namespace),
  );
}

/**
 * An active experiment whose pods were not read: it may be what breaks them, or nothing; say what it
 * injects and that its pods are unknown (info), never that they are well.
 */
function unknownTargets(experiment: ChaosExperiment, object: KubeObject, unread: readonly string[]): Finding {
  return {
    ruleId: 'chaos-experiment',
    severity: 'info',
    resource: experiment.ref,
    message: `${experiment.tool} is injecting ${experiment.fault}${experiment.mode === undefined ? '' : ` (mode ${experiment.mode})`} into pods it selects; pods in ${formatList(unread)} were not read, so whether they fail is unknown`,
    evidence: [
      ...specEvidence(
        experiment,
        experiment.targets.map((target) => target.via),
      ),
      ...writerEvidence(object),
      { source: 'status', text: `active (${experiment.state.why})` },
    ],
    fix: {
      summary: `read the pods it selects to see whether they fail: kubectl get pods -n ${unread[0] ?? ''}`,
      commands: unread.map((namespace) => `kubectl -n ${namespace} get pods`),
    },
  };
}

/**
 * Why a target of the experiment is failing, or undefined when it is well: its health (crash loop,
 * OOM, not ready, pending, terminating), else restarts since the experiment began.
 */
function failingState(
  node: GraphNode,
  graph: DependencyGraph,
  sinceMs: number | undefined,
): string | undefined {
  const health = healthOf(node, graph);
  if (health.state === 'failing' || health.state === 'degraded' || health.state === 'progressing')
    return health.reason ?? health.state;
  if (node.object?.kind !== 'Pod') return undefined;
  const restarted = containerStatuses(node.object as Pod).filter((status) => {
    const finished = timeMs(status.lastState?.terminated?.finishedAt);
    return (
      (status.restartCount ?? 0) > 0 &&
      finished !== undefined &&
      (sinceMs === undefined || finished >= sinceMs)
    );
  });
  const [first] = restarted;
  if (first === undefined) return undefined;
  const last = first.lastState?.terminated;
  return `container ${first.name} restarted ${String(first.restartCount ?? 0)} times, last at ${last?.finishedAt ?? '?'} (${last?.reason ?? `exit ${String(last?.exitCode ?? '?')}`})`;
}

/** What the experiment does, as its spec says it. */
function specEvidence(experiment: ChaosExperiment, vias: readonly string[]): Evidence[] {
  const parts = [
    experiment.fault.startsWith(experiment.ref.kind)
      ? experiment.fault
      : `${experiment.ref.kind} ${experiment.fault}`,
    ...(experiment.mode === undefined ? [] : [`mode ${experiment.mode}`]),
    ...(experiment.duration === undefined ? [] : [`duration ${experiment.duration}`]),
  ];
  return [
    { source: 'spec', text: parts.join(', ') },
    ...[...new Set(vias)]
      .filter((via) => via !== '')
      .map((via) => ({ source: 'spec' as const, text: `selects ${via}` })),
  ];
}

/**
 * Who wrote the experiment: the first manager in its managedFields (the client that created it:
 * `kubectl-client-side-apply`, `chaos-dashboard`, a pipeline's own name), with when.
 */
function writerEvidence(object: KubeObject): Evidence[] {
  const entries = (object.metadata.managedFields ?? []).flatMap((entry) => {
    const { manager, operation, time, subresource } = (entry ?? {}) as {
      manager?: unknown;
      operation?: unknown;
      time?: unknown;
      subresource?: unknown;
    };
    return typeof manager === 'string' && subresource === undefined
      ? [
          {
            manager,
            operation: typeof operation === 'string' ? operation : '?',
            time: typeof time === 'string' ? time : '',
          },
        ]
      : [];
  });
  const [first] = [...entries].sort(
    (a, b) =>
      (timeMs(a.time) ?? Infinity) - (timeMs(b.time) ?? Infinity) || a.manager.localeCompare(b.manager),
  );
  return first === undefined
    ? []
    : [
        {
          source: 'spec',
          text: `written by ${first.manager} (managedFields: ${first.operation}${first.time === '' ? '' : ` at ${first.time}`})`,
        },
      ];
}

/** The pods Chaos Mesh says it has injected into (status.experiment.containerRecords). */
function injectedEvidence(object: KubeObject): Evidence[] {
  const records = (object['status'] as { experiment?: { containerRecords?: unknown } } | undefined)
    ?.experiment?.containerRecords;
  if (!Array.isArray(records)) return [];
  const injected = records.flatMap((record: unknown) => {
    const { id, phase } = (record ?? {}) as { id?: unknown; phase?: unknown };
    return typeof id === 'string' && phase === 'Injected' ? [id] : [];
  });
  if (injected.length === 0) return [];
  const shown = injected.slice(0, LISTED).join(', ');
  return [
    {
      source: 'status',
      text: `injected into ${shown}${injected.length > LISTED ? ` and ${String(injected.length - LISTED)} more` : ''}`,
    },
  ];
}

/** Pause or stop it the way its tool does; for what a Schedule or Workflow made, that first. */
function fixOf(experiment: ChaosExperiment): Fix {
  const ns = (ref: ResourceRef): string => (ref.namespace === undefined ? '' : ` -n ${ref.namespace}`);
  const resource = (ref: ResourceRef): string => {
    const info = kindInfo(ref.kind);
    return `${info === undefined ? ref.kind.toLowerCase() : resourceNameOf(info)} ${ref.name}${ns(ref)}`;
  };
  const pause = (ref: ResourceRef): string =>
    `kubectl annotate ${resource(ref)} ${CHAOS_MESH_PAUSE}=true --overwrite`;
  const remove = (ref: ResourceRef): string => `kubectl delete ${resource(ref)}`;
  const { ref, madeBy } = experiment;
  if (experiment.tool === 'LitmusChaos')
    return {
      summary: 'stop the engine (the operator aborts its experiments), or delete it if it should not run',
      commands: [
        `kubectl patch ${resource(ref)} --type merge -p '{"spec":{"engineState":"stop"}}'`,
        remove(ref),
      ],
    };
  if (ref.kind === 'Workflow' || madeBy?.kind === 'Workflow') {
    const workflow = madeBy ?? ref;
    return {
      summary: `a Workflow cannot be paused: delete ${formatRef(workflow)} to stop it (Chaos Mesh recovers what its experiments injected)`,
      commands: [remove(workflow)],
    };
  }
  if (madeBy?.kind === 'Schedule')
    return {
      summary: `pause ${formatRef(madeBy)}, which makes this experiment, and this run (Chaos Mesh recovers what it injected); or delete them`,
      commands: [pause(madeBy), pause(ref), remove(madeBy)],
    };
  return {
    summary: 'pause the experiment (Chaos Mesh recovers what it injected), or delete it if it should not run',
    commands: [pause(ref), remove(ref)],
  };
}
