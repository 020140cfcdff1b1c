import { analyze } from '../analyze/analyze.js';
import { ANALYSIS_READS } from '../analyze/analysis-reads.js';
import type { DataGap } from '../core/data-gap.js';
import { AppError } from '../core/errors.js';
import type { Finding } from '../core/finding.js';
import type { KindInfo } from '../core/kinds.js';
import type { KubeObject } from '../core/kube-object.js';
import type { LabelSelector } from '../core/label-selector.js';
import type { Snapshot } from '../core/snapshot.js';
import type { ResourceArg } from '../core/resource-arg.js';
import { formatRef, refKey, refOf, type ResourceRef } from '../core/resource-ref.js';
import { digestEvents, type EventDigest } from '../events/event-digest.js';
import { objectsBearingOn } from '../graph/bearing.js';
import type { DependencyGraph } from '../graph/dependency-graph.js';
import type { GraphEdge } from '../graph/edge.js';
import { healthOf, type Health } from '../graph/health.js';
import type { Note } from '../store/memory-store.js';
import type { HistoryFor } from './diagnose.js';
import { followCalls } from './follow-calls.js';
import { readForAnalysis, type ReadScope } from './read-request.js';
import { resolveRoots } from './resolve-roots.js';

/** A neighbour of the described object in the dependency graph. */
export interface Neighbour {
  readonly ref: ResourceRef;
  readonly edges: readonly string[];
  readonly health: Health;
}

/** One object with what bears on it: its health, the problems that concern it, its neighbours, its events. */
export interface ObjectDescription {
  readonly source: string;
  readonly capturedAt: string;
  /** The object as read (Secrets without values). */
  readonly object: KubeObject;
  readonly health: Health;
  /** Findings about the object or that explain its state. */
  readonly findings: readonly Finding[];
  /** `ruleId|Kind/namespace/name` of the findings that are root causes. */
  readonly rootCauses: readonly string[];
  readonly neighbours: {
    readonly upstream: readonly Neighbour[];
    readonly downstream: readonly Neighbour[];
  };
  readonly events: EventDigest;
  /** What people noted about it, oldest first; absent without a recording. */
  readonly notes?: readonly Note[];
  readonly gaps: readonly DataGap[];
}

export interface DescribeInput extends ReadScope {
  readonly target: ResourceArg;
  readonly history?: HistoryFor;
  /** What people noted about an object; absent where there is no recording. */
  readonly notes?: (object: ResourceRef) => Promise<readonly Note[] | undefined>;
  /** Keep routine events (scheduled, pulled, started) in the digest. */
  readonly routineEvents?: boolean;
}

/** `describe TYPE -l SELECTOR`: every object of the kind whose labels match, as `kubectl describe` does. */
export interface DescribeSelectedInput extends Omit<DescribeInput, 'target'> {
  readonly kind: KindInfo;
  readonly selector: LabelSelector;
}

/**
 * The describe use case: the object, the problems that concern it (those whose chain, root cause,
 * symptoms or other objects include it, with their root causes marked), its graph neighbours with
 * their health, and the noise-filtered events of it and its neighbours.
 */
export async function describeObject(input: DescribeInput): Promise<ObjectDescription> {
  const { namespace, target } = input;
  const read = await readToDescribe(input);
  const [object] = resolveRoots(
    read.snapshot,
    { kind: target.kind, name: target.name, namespace },
    read.gaps,
  );
  if (object === undefined) throw new AppError('not-found', `${target.kind.kind} ${target.name} not found`);
  return describeRead(input, read, object);
}

/**
 * Every object of a kind matching a label selector, described as {@link describeObject} describes
 * one, from one read of the cluster, in the order kubectl lists them (namespace, then name). None
 * is a not-found error.
 */
export async function describeSelected(input: DescribeSelectedInput): Promise<ObjectDescription[]> {
  const read = await readToDescribe(input);
  const roots = resolveRoots(
    read.snapshot,
    { kind: input.kind, namespace: input.namespace, selector: input.selector },
    read.gaps,
  );
  const sorted = [...roots].sort(
    (a, b) =>
      (a.metadata.namespace ?? '').localeCompare(b.metadata.namespace ?? '') ||
      a.metadata.name.localeCompare(b.metadata.name),
  );
  const descriptions: ObjectDescription[] = [];
  for (const object of sorted) descriptions.push(await describeRead(input, read, object));
  return descriptions;
}

/** What a description is made from: the snapshot with what the rules read, and the graph. */
interface DescribeRead {
  readonly snapshot: Snapshot;
  readonly gaps: readonly DataGap[];
  readonly graph: DependencyGraph;
}

async function readToDescribe(input: ReadScope): Promise<DescribeRead> {
  return followCalls(input, ANALYSIS_READS, await readForAnalysis(input, ANALYSIS_READS));
}

async function describeRead(
  input: Omit<DescribeInput, 'target'>,
  { snapshot, gaps, graph }: DescribeRead,
  object: KubeObject,
): Promise<ObjectDescription> {
  const { source, namespace } = input;
  const ref = refOf(object);
  const key = refKey(ref);
  const node = graph.nodeByKey(key);
  if (node === undefined) throw new AppError('internal', `the graph has no node for ${formatRef(ref)}`);
  const history = await input.history?.(namespace);
  const notes = await input.notes?.(ref);
  const analysis = analyze(snapshot, graph, {
    only: objectsBearingOn(graph, key),
    ...(history === undefined ? {} : { history }),
  });
  const concerning = analysis.problems.filter(
    (p) =>
      p.chain.some((r) => refKey(r) === key) ||
      [p.rootCause, ...p.symptoms].some((f) => refKey(f.resource) === key) ||
      p.alsoOn.some((r) => refKey(r) === key),
  );
  const downstreamEdges = graph.incoming(key).filter((e) => e.kind !== 'involves');
  const neighbourhood = new Set([
    key,
    ...graph.outgoing(key).map((e) => e.to),
    ...downstreamEdges.map((e) => e.from),
  ]);
  return {
    source: source.description,
    capturedAt: snapshot.capturedAt.toISOString(),
    object,
    health: healthOf(node, graph),
    findings: concerning.flatMap((p) => [p.rootCause, ...p.symptoms, ...p.contributing]),
    rootCauses: concerning.map(
      (p) => `${p.rootCause.ruleId}|${formatRef(p.rootCause.resource, { withNamespace: true })}`,
    ),
    neighbours: {
      upstream: neighbours(graph, graph.outgoing(key), 'to'),
      downstream: neighbours(graph, downstreamEdges, 'from'),
    },
    events: digestEvents(snapshot.events(), snapshot, {
      includeRoutine: input.routineEvents === true,
      onlyObjects: neighbourhood,
    }),
    ...(notes === undefined ? {} : { notes }),
    gaps: [...gaps, ...analysis.gaps],
  };
}

/** Neighbours across `edges`, one entry per object with every edge kind that links it. */
function neighbours(graph: DependencyGraph, edges: readonly GraphEdge[], end: 'to' | 'from'): Neighbour[] {
  const byKey = new Map<string, string[]>();
  for (const edge of edges) byKey.set(edge[end], [...new Set([...(byKey.get(edge[end]) ?? []), edge.kind])]);
  return [...byKey].flatMap(([key, kinds]) => {
    const node = graph.nodeByKey(key);
    return node === undefined ? [] : [{ ref: node.ref, edges: kinds, health: healthOf(node, graph) }];
  });
}
