import { performance } from 'node:perf_hooks';
import { analyze } from '../../analyze/analyze.js';
import { AppError } from '../../core/errors.js';
import { severityRank, type Severity } from '../../core/finding.js';
import { parseResourceArg, type ResourceArg } from '../../core/resource-arg.js';
import { refKey, refOf, type ResourceRef } from '../../core/resource-ref.js';
import type { Snapshot } from '../../core/snapshot.js';
import { buildGraph } from '../../graph/build-graph.js';
import { objectsBearingOn } from '../../graph/bearing.js';
import { changeHistoryFor } from '../change-history-for.js';
import { EXIT, type ExitCode } from '../exit-codes.js';
import { ANALYSIS_READS } from '../../analyze/analysis-reads.js';
import type { Io } from '../io.js';
import { readCluster } from '../read-cluster.js';
import { resolveRoots } from '../resolve-roots.js';
import type { AnalysisDocument } from '../render/analysis-document.js';
import { renderAnalysisText } from '../render/analysis-text.js';
import { OUTPUT_API_VERSION, toJson, toYaml } from '../render/document.js';
import { paletteFor } from '../render/palette.js';
import { openSource, type SourceFlags } from '../source-options.js';
import type { ClusterSource } from '../../kube/source.js';

export const ANALYZE_FORMATS = ['text', 'wide', 'json', 'yaml', 'markdown'] as const;
export type AnalyzeFormat = (typeof ANALYZE_FORMATS)[number];

export interface AnalyzeFlags extends SourceFlags {
  readonly output: AnalyzeFormat;
  readonly failOn?: string;
  readonly tail: number;
}

/**
 * `kubectl smart analyze [TYPE/NAME | -n NS | -A]`: runs the analyzers, ranks what they find through
 * the dependency graph, and prints each problem's root cause with its chain, evidence and fix.
 * Exit 1 with `--fail-on` when a finding reaches that severity.
 */
export async function analyzeCommand(
  words: readonly string[],
  flags: AnalyzeFlags,
  io: Io,
): Promise<ExitCode> {
  const failOn = parseFailOn(flags.failOn);
  const target = words.length === 0 ? undefined : parseResourceArg(words);
  const { source, namespace } = await openSource(flags, io);
  try {
    const document = await analyzeSource({ source, namespace, target, flags, io });
    const { findings } = document;
    switch (flags.output) {
      case 'json':
        io.stdout(toJson(document));
        break;
      case 'yaml':
        io.stdout(toYaml(document));
        break;
      case 'text':
      case 'wide':
      case 'markdown':
        io.stdout(
          renderAnalysisText(document, {
            palette: paletteFor(io.stdoutIsTty && flags.output !== 'markdown', io.env),
            wide: flags.output === 'wide',
            markdown: flags.output === 'markdown',
          }),
        );
        break;
      default: {
        const exhaustive: never = flags.output;
        return exhaustive;
      }
    }
    const failing =
      failOn !== undefined && findings.some((f) => severityRank(f.severity) >= severityRank(failOn));
    return failing ? EXIT.findings : EXIT.ok;
  } finally {
    source.close();
  }
}

/** What an analysis needs: the source to read, the scope, and the object asked about. */
export interface AnalyzeSourceInput {
  readonly source: ClusterSource;
  readonly namespace: string | undefined;
  readonly target?: ResourceArg;
  readonly flags: SourceFlags & { readonly tail: number };
  readonly io: Io;
}

/** Reads what analyze needs from a source, runs the analyzers with any recorded history, and ranks. */
export async function analyzeSource(input: AnalyzeSourceInput): Promise<AnalysisDocument> {
  const { source, namespace, target, flags, io } = input;
  const started = performance.now();
  const { snapshot, gaps } = await readCluster(io, source, {
    kinds: ANALYSIS_READS.kinds,
    namespace,
    logTailLines: flags.tail,
    usage: ANALYSIS_READS.usage,
  });
  const graph = buildGraph(snapshot);
  let targetRef: ResourceRef | undefined;
  let only: Set<string> | undefined;
  if (target !== undefined) {
    const [root] = resolveRoots(snapshot, { kind: target.kind, name: target.name, namespace }, gaps);
    if (root === undefined) throw new AppError('not-found', `${target.kind.kind} ${target.name} not found`);
    targetRef = refOf(root);
    only = objectsBearingOn(graph, refKey(targetRef));
  }
  const history = await changeHistoryFor(flags, io, source, namespace);
  const analysis = analyze(snapshot, graph, {
    ...(only === undefined ? {} : { only }),
    ...(history === undefined ? {} : { history }),
  });
  return {
    apiVersion: OUTPUT_API_VERSION,
    kind: 'Analysis',
    source: source.description,
    capturedAt: snapshot.capturedAt.toISOString(),
    ...(targetRef === undefined ? {} : { target: targetRef }),
    ...(namespace === undefined ? {} : { namespace }),
    problems: analysis.problems,
    findings: analysis.findings,
    gaps: [...gaps, ...analysis.gaps],
    objectsAnalyzed: only?.size ?? countObjects(snapshot),
    tookMs: performance.now() - started,
  };
}

function parseFailOn(text: string | undefined): Severity | undefined {
  if (text === undefined) return undefined;
  if (text !== 'warning' && text !== 'critical') {
    throw new AppError('usage', `--fail-on takes warning or critical, got "${text}"`);
  }
  return text;
}

function countObjects(snapshot: Snapshot): number {
  return snapshot.size - snapshot.ofKind('Event').length;
}
