import { AppError } from '../../core/errors.js';
import { severityRank, type Severity } from '../../core/finding.js';
import { findKind, type KindInfo } from '../../core/kinds.js';
import { parseResourceArg, unknownResourceType, type ResourceArg } from '../../core/resource-arg.js';
import { diagnose } from '../../diagnose/diagnose.js';
import { EXIT, type ExitCode } from '../exit-codes.js';
import type { Io } from '../io.js';
import type { AnalysisDocument } from '../render/analysis-document.js';
import { renderAnalysisText } from '../render/analysis-text.js';
import { OUTPUT_API_VERSION } from '../render/document.js';
import { paletteFor } from '../render/palette.js';
import { openCluster } from '../cluster-context.js';
import type { SourceFlags } from '../source-options.js';
import type { AnalyzeFormat } from '../output-formats.js';
import { writeDocument } from '../render/write-document.js';

export interface AnalyzeFlags extends SourceFlags {
  readonly output: AnalyzeFormat;
  readonly failOn?: string;
  readonly tail: number;
}

/**
 * `kubectl smart analyze [TYPE/NAME | [TYPE] -l SELECTOR | -n NS | -A]`: runs the analyzers, ranks what they find through
 * the dependency graph, and prints each problem's root cause with its chain, evidence and fix.
 * Exit 1 with `--fail-on` when a finding reaches that severity.
 */
export async function analyzeCommand(
  words: readonly string[],
  flags: AnalyzeFlags,
  io: Io,
): Promise<ExitCode> {
  const failOn = parseFailOn(flags.failOn);
  const { target, selectorKind } = parseWhat(words, flags.selector !== undefined);
  const cluster = await openCluster(flags, io);
  try {
    const diagnosis = await diagnose({
      ...cluster,
      tailLines: flags.tail,
      ...(target === undefined ? {} : { target }),
      ...(selectorKind === undefined ? {} : { selectorKind }),
    });
    const document: AnalysisDocument = { apiVersion: OUTPUT_API_VERSION, kind: 'Analysis', ...diagnosis };
    const { findings } = document;
    writeDocument(io, flags.output, document, (format) =>
      renderAnalysisText(document, {
        palette: paletteFor(io.stdoutIsTty && format !== 'markdown', io.env),
        wide: format === 'wide',
        markdown: format === 'markdown',
      }),
    );
    const failing =
      failOn !== undefined && findings.some((f) => severityRank(f.severity) >= severityRank(failOn));
    return failing ? EXIT.findings : EXIT.ok;
  } finally {
    cluster.source.close();
  }
}

/**
 * What to analyze: TYPE/NAME; with -l, nothing (every kind's matches) or TYPE (that kind's), as
 * `kubectl get TYPE -l` takes it. A name and -l together is a usage error, as in kubectl.
 */
function parseWhat(
  words: readonly string[],
  hasSelector: boolean,
): { target?: ResourceArg; selectorKind?: KindInfo } {
  if (!hasSelector) return words.length === 0 ? {} : { target: parseResourceArg(words) };
  const [only] = words;
  if (only === undefined) return {};
  if (words.length === 1 && !only.includes('/')) {
    const kind = findKind(only);
    if (kind === undefined) throw unknownResourceType(only);
    return { selectorKind: kind };
  }
  throw new AppError(
    'usage',
    `a name and -l together: name one object (analyze TYPE/NAME) or select with -l (analyze [TYPE] -l SELECTOR)`,
  );
}

function parseFailOn(text: string | undefined): Severity | undefined {
  if (text === undefined) return undefined;
  if (text !== 'warning' && text !== 'critical') {
    throw new AppError('usage', `--fail-on takes warning or critical, got "${text}"`);
  }
  return text;
}
