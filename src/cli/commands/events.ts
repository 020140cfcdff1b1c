import type { KindInfo } from '../../core/kinds.js';
import { parseResourceArg, type ResourceArg } from '../../core/resource-arg.js';
import { selectorMatches, type LabelSelector } from '../../core/label-selector.js';
import { parseDurationMs } from '../../core/duration.js';
import { AppError } from '../../core/errors.js';
import { formatList } from '../../core/format-list.js';
import { refKey, refOf, type ResourceRef } from '../../core/resource-ref.js';
import type { Snapshot } from '../../core/snapshot.js';
import { digestEvents } from '../../events/event-digest.js';
import { isRoutine } from '../../events/noise.js';
import { topOwner } from '../../events/top-owner.js';
import { buildGraph } from '../../graph/build-graph.js';
import type { EdgeKind } from '../../graph/edge.js';
import { dependencyTree, treeKeys } from '../../graph/traverse.js';
import { EXIT, type ExitCode } from '../exit-codes.js';
import { EVENT_KINDS, GRAPH_AND_EVENT_KINDS } from '../../graph/graph-kinds.js';
import type { Io } from '../io.js';
import { readCluster } from '../read-cluster.js';
import { OUTPUT_API_VERSION } from '../render/document.js';
import type { EventsDocument } from '../render/events-document.js';
import { renderEventsText, renderFollowedEvent } from '../render/events-text.js';
import { renderGapsText } from '../render/gaps-text.js';
import { paletteFor } from '../render/palette.js';
import { openSource, type SourceFlags } from '../source-options.js';
import type { ClusterSource } from '../../kube/source.js';
import type { EventsFormat } from '../output-formats.js';
import { writeDocument } from '../render/write-document.js';

export interface EventsFlags extends SourceFlags {
  readonly all?: boolean;
  readonly since?: string;
  readonly watch?: boolean;
  readonly depth: number;
  readonly output: EventsFormat;
}

/** Events are not dependencies: the neighbourhood walk does not follow them. */
const SKIP_EDGES: ReadonlySet<EdgeKind> = new Set<EdgeKind>(['involves']);

/**
 * `kubectl smart events [TYPE/NAME]`: noise-filtered events, folded and grouped under their top
 * owner; with an object, its events and those of its graph neighbourhood; `-w` then follows.
 */
export async function eventsCommand(words: readonly string[], flags: EventsFlags, io: Io): Promise<ExitCode> {
  const target = words.length === 0 ? undefined : parseResourceArg(words);
  const sinceMs = flags.since === undefined ? undefined : parseDurationMs(flags.since, '--since');
  const { source, namespace, selector } = await openSource(flags, io);
  try {
    const kinds = target === undefined && selector === undefined ? EVENT_KINDS : GRAPH_AND_EVENT_KINDS;
    const { snapshot, gaps } = await readCluster(io, source, { kinds, namespace });

    const onlyObjects = eventScope(snapshot, { target, selector, namespace, depth: flags.depth });
    const digest = digestEvents(snapshot.events(), snapshot, {
      includeRoutine: flags.all === true,
      ...(sinceMs === undefined ? {} : { sinceMs: snapshot.capturedAt.getTime() - sinceMs }),
      ...(onlyObjects === undefined ? {} : { onlyObjects }),
    });
    const document: EventsDocument = {
      apiVersion: OUTPUT_API_VERSION,
      kind: 'EventDigest',
      source: source.description,
      capturedAt: snapshot.capturedAt.toISOString(),
      ...digest,
      gaps,
    };
    const palette = paletteFor(io.stdoutIsTty, io.env);
    writeDocument(
      io,
      flags.output,
      document,
      (format) =>
        renderEventsText(document, { palette, wide: format === 'wide' }) + renderGapsText(gaps, palette),
    );
    if (flags.watch === true) await followNewEvents(source, { namespace, onlyObjects, snapshot, flags, io });
    return EXIT.ok;
  } finally {
    source.close();
  }
}

interface ScopeQuery {
  readonly target: ResourceArg | undefined;
  readonly selector: LabelSelector | undefined;
  readonly namespace: string | undefined;
  readonly depth: number;
}

/** The objects whose events to show (by ref key): a target's neighbourhood, -l matches, or all (undefined). */
function eventScope(snapshot: Snapshot, query: ScopeQuery): Set<string> | undefined {
  if (query.target !== undefined) {
    return neighbourhood(
      snapshot,
      targetRef(snapshot, query.target.kind, query.target.name, query.namespace),
      query.depth,
    );
  }
  const { selector } = query;
  if (selector === undefined) return undefined;
  return new Set(
    [...snapshot.all()]
      .filter((object) => object.kind !== 'Event' && selectorMatches(selector, object.metadata.labels))
      .map((object) => refKey(refOf(object))),
  );
}

interface FollowContext {
  readonly namespace: string | undefined;
  readonly onlyObjects: Set<string> | undefined;
  readonly snapshot: Snapshot;
  readonly flags: EventsFlags;
  readonly io: Io;
}

/** `-w`: prints each new event in scope until Ctrl-C. A pod created later counts through its owner. */
async function followNewEvents(source: ClusterSource, context: FollowContext): Promise<void> {
  const { namespace, onlyObjects, snapshot, flags, io } = context;
  const palette = paletteFor(io.stdoutIsTty, io.env);
  io.stderr('following new events (Ctrl-C to stop)\n');
  await source.followEvents({
    ...(namespace === undefined ? {} : { namespace }),
    signal: io.signal,
    onEvent: (event) => {
      if (flags.all !== true && isRoutine(event)) return;
      if (onlyObjects !== undefined) {
        const owner = topOwner(event.involved, snapshot, event.involved.uid);
        if (!onlyObjects.has(refKey(event.involved)) && !onlyObjects.has(refKey(owner))) return;
      }
      io.stdout(flags.output === 'json' ? `${JSON.stringify(event)}\n` : renderFollowedEvent(event, palette));
    },
  });
}

/** The object, what it depends on (to `depth`), and what depends on it directly. */
function neighbourhood(snapshot: Snapshot, ref: ResourceRef, depth: number): Set<string> {
  const graph = buildGraph(snapshot);
  const node = graph.node(ref);
  if (node === undefined) return new Set([refKey(ref)]);
  const upstream = treeKeys(
    dependencyTree(graph, node, { direction: 'upstream', depth, skipEdges: SKIP_EDGES }),
  );
  const downstream = treeKeys(
    dependencyTree(graph, node, { direction: 'downstream', depth: 1, skipEdges: SKIP_EDGES }),
  );
  return new Set([...upstream, ...downstream]);
}

/**
 * The object the events are asked about. It may be gone (events outlive pods), so it is found by
 * its events too; without -n (files) a name in exactly one namespace is enough.
 */
function targetRef(
  snapshot: Snapshot,
  kind: KindInfo,
  name: string,
  namespace: string | undefined,
): ResourceRef {
  if (!kind.namespaced) return { kind: kind.kind, name };
  if (namespace !== undefined) {
    const ref = { kind: kind.kind, namespace, name };
    if (
      snapshot.get(ref) === undefined &&
      !snapshot.events().some((event) => refKey(event.involved) === refKey(ref))
    ) {
      throw new AppError(
        'not-found',
        `${kind.kind.toLowerCase()} "${name}" not found in namespace ${namespace}, and no event mentions it`,
      );
    }
    return ref;
  }
  const namespaces = new Set<string>();
  for (const object of snapshot.objectsOfKind(kind.kind))
    if (object.metadata.name === name && object.metadata.namespace !== undefined)
      namespaces.add(object.metadata.namespace);
  for (const event of snapshot.events()) {
    if (
      event.involved.kind === kind.kind &&
      event.involved.name === name &&
      event.involved.namespace !== undefined
    )
      namespaces.add(event.involved.namespace);
  }
  const [only, ...others] = namespaces;
  if (only === undefined)
    throw new AppError(
      'not-found',
      `${kind.kind.toLowerCase()} "${name}" not found in any namespace, and no event mentions it`,
    );
  if (others.length > 0)
    throw new AppError(
      'usage',
      `${kind.kind.toLowerCase()} "${name}" exists in several namespaces (${formatList([...namespaces])}); pass -n NAMESPACE`,
    );
  return { kind: kind.kind, namespace: only, name };
}
