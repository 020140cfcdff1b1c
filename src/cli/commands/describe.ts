import { analyze } from '../../analyze/analyze.js';
import { AppError } from '../../core/errors.js';
import type { Finding } from '../../core/finding.js';
import { parseResourceArg } from '../../core/resource-arg.js';
import { formatRef, refKey, refOf } from '../../core/resource-ref.js';
import { digestEvents } from '../../events/event-digest.js';
import { objectsBearingOn } from '../../graph/bearing.js';
import { buildGraph } from '../../graph/build-graph.js';
import type { DependencyGraph } from '../../graph/dependency-graph.js';
import type { GraphEdge } from '../../graph/edge.js';
import { healthOf } from '../../graph/health.js';
import { changeHistoryFor } from '../change-history-for.js';
import { notesFor } from '../notes-for.js';
import { EXIT, type ExitCode } from '../exit-codes.js';
import { ANALYSIS_READS } from '../../analyze/analysis-reads.js';
import type { Io } from '../io.js';
import { readCluster } from '../read-cluster.js';
import { resolveRoots } from '../resolve-roots.js';
import type { DescribeDocument, NeighbourDocument } from '../render/describe-document.js';
import { renderDescribeText } from '../render/describe-text.js';
import { OUTPUT_API_VERSION, toJson, toYaml } from '../render/document.js';
import { paletteFor } from '../render/palette.js';
import { openSource, type SourceFlags } from '../source-options.js';

export const DESCRIBE_FORMATS = ['text', 'json', 'yaml'] as const;
export type DescribeFormat = (typeof DESCRIBE_FORMATS)[number];

export interface DescribeFlags extends SourceFlags {
  readonly output: DescribeFormat;
  readonly tail: number;
  readonly all?: boolean;
}

/**
 * `kubectl smart describe TYPE/NAME`: what `kubectl describe` shows, plus the findings that concern
 * the object (marking the root causes), its graph neighbours with their health, and its
 * noise-filtered events.
 */
export async function describeCommand(
  words: readonly string[],
  flags: DescribeFlags,
  io: Io,
): Promise<ExitCode> {
  const target = parseResourceArg(words);
  const { source, namespace } = await openSource(flags, io);
  try {
    const { snapshot, gaps } = await readCluster(io, source, {
      kinds: ANALYSIS_READS.kinds,
      namespace,
      logTailLines: flags.tail,
      usage: ANALYSIS_READS.usage,
    });
    const [object] = resolveRoots(snapshot, { kind: target.kind, name: target.name, namespace }, gaps);
    if (object === undefined) throw new AppError('not-found', `${target.kind.kind} ${target.name} not found`);
    const graph = buildGraph(snapshot);
    const key = refKey(refOf(object));
    const node = graph.nodeByKey(key);
    if (node === undefined)
      throw new AppError('internal', `the graph has no node for ${formatRef(refOf(object))}`);
    const history = await changeHistoryFor(flags, io, source, namespace);
    const notes = await notesFor(flags, io, source, refOf(object));
    const analysis = analyze(snapshot, graph, {
      only: objectsBearingOn(graph, key),
      ...(history === undefined ? {} : { history }),
    });
    const { problems } = analysis;
    const concerning = problems.filter(
      (p) =>
        p.chain.some((ref) => refKey(ref) === key) ||
        [p.rootCause, ...p.symptoms].some((f) => refKey(f.resource) === key) ||
        p.alsoOn.some((ref) => refKey(ref) === key),
    );
    const findings: Finding[] = concerning.flatMap((p) => [p.rootCause, ...p.symptoms, ...p.contributing]);
    const neighbourhood = new Set([
      key,
      ...graph.outgoing(key).map((e) => e.to),
      ...graph
        .incoming(key)
        .filter((e) => e.kind !== 'involves')
        .map((e) => e.from),
    ]);
    const digest = digestEvents(snapshot.events(), snapshot, {
      includeRoutine: flags.all === true,
      onlyObjects: neighbourhood,
    });
    const document: DescribeDocument = {
      apiVersion: OUTPUT_API_VERSION,
      kind: 'Description',
      source: source.description,
      capturedAt: snapshot.capturedAt.toISOString(),
      object,
      health: healthOf(node, graph),
      findings,
      rootCauses: concerning.map(
        (p) => `${p.rootCause.ruleId}|${formatRef(p.rootCause.resource, { withNamespace: true })}`,
      ),
      neighbours: {
        upstream: neighbours(graph, graph.outgoing(key), 'to'),
        downstream: neighbours(
          graph,
          graph.incoming(key).filter((e) => e.kind !== 'involves'),
          'from',
        ),
      },
      events: {
        apiVersion: OUTPUT_API_VERSION,
        kind: 'EventDigest',
        source: source.description,
        capturedAt: snapshot.capturedAt.toISOString(),
        ...digest,
        gaps: [],
      },
      ...(notes === undefined
        ? {}
        : {
            notes: notes.map((note) => ({
              at: new Date(note.atMs).toISOString(),
              author: note.author,
              text: note.text,
            })),
          }),
      gaps: [...gaps, ...analysis.gaps],
    };
    if (flags.output === 'json') io.stdout(toJson(document));
    else if (flags.output === 'yaml') io.stdout(toYaml(document));
    else io.stdout(renderDescribeText(document, paletteFor(io.stdoutIsTty, io.env)));
    return EXIT.ok;
  } finally {
    source.close();
  }
}

/** Neighbours across `edges`, one entry per object with every edge kind that links it. */
function neighbours(
  graph: DependencyGraph,
  edges: readonly GraphEdge[],
  end: 'to' | 'from',
): NeighbourDocument[] {
  const byKey = new Map<string, string[]>();
  for (const edge of edges) byKey.set(edge[end], [...new Set([...(byKey.get(edge[end]) ?? []), edge.kind])]);
  return [...byKey].flatMap(([key, kinds]) => {
    const node = graph.nodeByKey(key);
    return node === undefined ? [] : [{ ref: node.ref, edges: kinds, health: healthOf(node, graph) }];
  });
}
