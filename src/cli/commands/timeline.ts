import { parseMomentMs } from '../../core/moment.js';
import { AppError } from '../../core/errors.js';
import { timelineOf, type TimelineEntry } from '../../memory/timeline.js';
import { EXIT, type ExitCode } from '../exit-codes.js';
import type { Io } from '../io.js';
import { memoryTarget } from '../memory-target.js';
import { OUTPUT_API_VERSION } from '../render/document.js';
import { renderTimelineText } from '../render/memory-text.js';
import { paletteFor } from '../render/palette.js';
import { withMemoryStore, type MemoryFlags } from '../store-options.js';
import type { TimelineFormat } from '../output-formats.js';
import { writeDocument } from '../render/write-document.js';

export interface TimelineFlags extends MemoryFlags {
  readonly namespace?: string;
  readonly since?: string;
  readonly until?: string;
  readonly related?: boolean;
  readonly output: TimelineFormat;
}

/**
 * `kubectl smart timeline TYPE/NAME`: what happened to an object, from the recording: each change
 * with its fields' summary, who and why, its events (repeats folded) and notes, oldest first;
 * `--related` adds its graph neighbours (its pods, their ConfigMaps and node, its Services).
 */
export async function timelineCommand(
  words: readonly string[],
  flags: TimelineFlags,
  io: Io,
): Promise<ExitCode> {
  const nowMs = Date.now();
  const from = flags.since === undefined ? 0 : parseMomentMs(flags.since, '--since', nowMs);
  const to = flags.until === undefined ? nowMs : parseMomentMs(flags.until, '--until', nowMs);
  if (from > to) throw new AppError('usage', `--since is after --until: nothing lies between them`);
  const { object, entries } = await withMemoryStore(flags, io, { create: false }, async (store) => {
    const object = await memoryTarget(words, flags.namespace, store);
    return {
      object,
      entries: await timelineOf(store, { object, range: { from, to }, related: flags.related === true }),
    };
  });
  const document = {
    apiVersion: OUTPUT_API_VERSION,
    kind: 'Timeline',
    object,
    from: new Date(from).toISOString(),
    to: new Date(to).toISOString(),
    related: flags.related === true,
    entries: entries.map(entryDocument),
  };
  writeDocument(io, flags.output, document, () =>
    renderTimelineText(entries, paletteFor(io.stdoutIsTty, io.env)),
  );
  return EXIT.ok;
}

/** An entry with its time as people read it. */
function entryDocument(entry: TimelineEntry): Record<string, unknown> {
  const { atMs, ...rest } = entry;
  return { at: new Date(atMs).toISOString(), ...rest };
}
