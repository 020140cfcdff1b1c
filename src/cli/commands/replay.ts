import { parseDurationMs } from '../../core/duration.js';
import { formatRef } from '../../core/resource-ref.js';
import type { Change } from '../../core/change.js';
import { EXIT, type ExitCode } from '../exit-codes.js';
import type { Io } from '../io.js';
import type { AnalysisDocument } from '../render/analysis-document.js';
import { renderAnalysisText } from '../render/analysis-text.js';
import { OUTPUT_API_VERSION } from '../render/document.js';
import { paletteFor, type Palette } from '../render/palette.js';
import { openRecording, type SourceFlags } from '../source-options.js';
import { replayMoment } from '../../diagnose/replay-moment.js';
import { progressReading } from '../read-cluster.js';
import type { ReplayFormat } from '../output-formats.js';
import { writeDocument } from '../render/write-document.js';

export interface ReplayFlags extends SourceFlags {
  readonly window: string;
  /** Every change in the story, status updates and pods included. */
  readonly all?: boolean;
  readonly output: ReplayFormat;
}

/** What `replay -o json|yaml` prints. */
export interface ReplayDocument {
  readonly apiVersion: typeof OUTPUT_API_VERSION;
  readonly kind: 'Replay';
  readonly at: string;
  readonly windowMs: number;
  /** The changes in the window before `at`, oldest first. */
  readonly changes: readonly Change[];
  /** The analysis of the cluster as it was at `at`. */
  readonly analysis: AnalysisDocument;
}

/**
 * `kubectl smart replay --at TIME [-n NS]`: the story of an outage from the recording alone: the
 * changes in the window before the moment, then the cluster rebuilt as it was and analysed, root
 * cause first (recorded changes among the causes).
 */
export async function replayCommand(flags: ReplayFlags, io: Io): Promise<ExitCode> {
  const windowMs = parseDurationMs(flags.window, '--window');
  const { source, namespace } = await openRecording('replay', flags, io);
  try {
    const moment = await replayMoment({
      recording: source,
      namespace,
      windowMs,
      reading: progressReading(io),
    });
    const analysis: AnalysisDocument = {
      apiVersion: OUTPUT_API_VERSION,
      kind: 'Analysis',
      ...moment.diagnosis,
    };
    const document: ReplayDocument = {
      apiVersion: OUTPUT_API_VERSION,
      kind: 'Replay',
      at: moment.at,
      windowMs,
      changes: moment.changes,
      analysis,
    };
    writeDocument(io, flags.output, document, () => {
      const palette = paletteFor(io.stdoutIsTty, io.env);
      return (
        renderStory(document, palette, flags.all === true) +
        renderAnalysisText(analysis, { palette, wide: false, markdown: false })
      );
    });
    return EXIT.ok;
  } finally {
    source.close();
  }
}

/**
 * What a person changed, or a controller decided (a ReplicaSet created, scaled): not the status
 * the controllers and kubelets report, and not pods, which follow their owners. `--all` shows those.
 */
function tellsTheStory(change: Change): boolean {
  if (change.object.kind === 'Pod' || change.object.kind === 'Event') return false;
  return change.action !== 'modified' || change.fields.some((field) => !REPORTED.test(field.path));
}
const REPORTED =
  /^(status\b|metadata\.(deletionTimestamp|deletionGracePeriodSeconds|generation|finalizers)\b)/;

/** `03:02:10  ConfigMap/api-config  ConfigMap key CACHE_SIZE: 512Mi→lots  (by kubernetes-admin)`. */
function renderStory(document: ReplayDocument, palette: Palette, all: boolean): string {
  const shown = all ? document.changes : document.changes.filter(tellsTheStory);
  const hidden = document.changes.length - shown.length;
  const lines = [
    palette.bold(`CHANGES in the ${formatWindow(document.windowMs)} before ${document.at}`),
    ...(document.changes.length === 0 ? ['  none recorded'] : []),
    ...shown.map((change) => {
      const who = change.actor?.user ?? change.actor?.manager;
      const why = change.reason?.why ?? change.reason?.changeCause;
      return `  ${change.at.slice(11, 19)}  ${formatRef(change.object)}  ${change.summary.join('; ')}${who === undefined ? '' : palette.dim(`  (by ${who})`)}${why === undefined ? '' : palette.dim(`  because: ${why}`)}`;
    }),
    ...(hidden > 0
      ? [palette.dim(`  … and ${String(hidden)} status updates and pod changes (--all shows them)`)]
      : []),
    '',
  ];
  return `${lines.join('\n')}\n`;
}

function formatWindow(ms: number): string {
  const minutes = Math.round(ms / 60_000);
  return minutes % 60 === 0 ? `${String(minutes / 60)}h` : `${String(minutes)}m`;
}
