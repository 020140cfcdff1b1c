import { AppError } from '../../core/errors.js';
import { severityRank, type Severity } from '../../core/finding.js';
import { parseResourceArg } from '../../core/resource-arg.js';
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
  const cluster = await openCluster(flags, io);
  try {
    const diagnosis = await diagnose({
      ...cluster,
      tailLines: flags.tail,
      ...(target === undefined ? {} : { target }),
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

function parseFailOn(text: string | undefined): Severity | undefined {
  if (text === undefined) return undefined;
  if (text !== 'warning' && text !== 'critical') {
    throw new AppError('usage', `--fail-on takes warning or critical, got "${text}"`);
  }
  return text;
}
