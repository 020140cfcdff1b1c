import { AppError } from '../../core/errors.js';
import { parseResourceArg } from '../../core/resource-arg.js';
import { findKind, type KindInfo } from '../../core/kinds.js';
import { refOf } from '../../core/resource-ref.js';
import { buildGraph } from '../../graph/build-graph.js';
import { dependencyTree, type Direction } from '../../graph/traverse.js';
import { EXIT, type ExitCode } from '../exit-codes.js';
import { GRAPH_KINDS } from '../../graph/graph-kinds.js';
import type { Io } from '../io.js';
import { readCluster } from '../read-cluster.js';
import { resolveRoots } from '../../diagnose/resolve-roots.js';
import { renderDepsTree } from '../render/deps-text.js';
import { renderDot, renderMermaid } from '../render/deps-diagram.js';
import { depsNodeDocument, type DepsDocument } from '../render/deps-document.js';
import { OUTPUT_API_VERSION } from '../render/document.js';
import { writeDocument } from '../render/write-document.js';
import { renderGapsText } from '../render/gaps-text.js';
import { paletteFor } from '../render/palette.js';
import { openSource, type SourceFlags } from '../source-options.js';
import type { DepsFormat } from '../output-formats.js';

export interface DepsFlags extends SourceFlags {
  readonly upstream?: boolean;
  readonly downstream?: boolean;
  readonly depth: number;
  readonly output: DepsFormat;
}

/** `kubectl smart deps TYPE/NAME`: what an object depends on, or what depends on it, with health. */
export async function depsCommand(words: readonly string[], flags: DepsFlags, io: Io): Promise<ExitCode> {
  if (flags.upstream === true && flags.downstream === true) {
    throw new AppError('usage', '--upstream and --downstream go one way each; pick one');
  }
  const direction: Direction = flags.downstream === true ? 'downstream' : 'upstream';
  const { kind, name } = parseTarget(words, flags.selector !== undefined);
  const { source, namespace, selector } = await openSource(flags, io);
  try {
    const { snapshot, gaps } = await readCluster(io, source, { kinds: GRAPH_KINDS, namespace });
    const roots = resolveRoots(
      snapshot,
      {
        kind,
        namespace,
        ...(name === undefined ? {} : { name }),
        ...(selector === undefined ? {} : { selector }),
      },
      gaps,
    );
    const graph = buildGraph(snapshot);
    const trees = roots.map((object) => {
      const node = graph.node(refOf(object));
      if (node === undefined)
        throw new AppError('internal', `graph has no node for ${kind.kind}/${object.metadata.name}`);
      return depsNodeDocument(dependencyTree(graph, node, { direction, depth: flags.depth }), graph);
    });
    const palette = paletteFor(io.stdoutIsTty, io.env);
    const document: DepsDocument = {
      apiVersion: OUTPUT_API_VERSION,
      kind: 'DependencyTrees',
      source: source.description,
      direction,
      depth: flags.depth,
      trees,
      gaps,
    };
    writeDocument(io, flags.output, document, (format) => {
      switch (format) {
        case 'dot':
          return renderDot(trees, direction);
        case 'mermaid':
          return renderMermaid(trees, direction);
        case 'text':
        case 'tree':
        case 'wide':
          return (
            trees
              .map((tree) => renderDepsTree(tree, { direction, palette, wide: format === 'wide' }))
              .join('\n') + renderGapsText(gaps, palette)
          );
        default: {
          const exhaustive: never = format;
          return exhaustive;
        }
      }
    });
    return EXIT.ok;
  } finally {
    source.close();
  }
}

/** `deploy/api`, `deploy api`, or a bare type with -l. */
function parseTarget(words: readonly string[], hasSelector: boolean): { kind: KindInfo; name?: string } {
  const [only] = words;
  if (words.length === 1 && only !== undefined && !only.includes('/') && hasSelector) {
    const kind = findKind(only);
    if (kind === undefined) throw new AppError('usage', `unknown resource type "${only}"`);
    return { kind };
  }
  if (words.length === 0)
    throw new AppError('usage', 'name what to show: kubectl smart deps TYPE/NAME (or TYPE -l SELECTOR)');
  return parseResourceArg(words);
}
