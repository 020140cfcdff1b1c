import { readFileSync, writeFileSync } from 'node:fs';
import { AppError } from '../../core/errors.js';
import { parseMomentMs } from '../../core/moment.js';
import { exportRecording, importRecording, type RecordingCounts } from '../../memory/recording-file.js';
import { EXIT, type ExitCode } from '../exit-codes.js';
import type { Io } from '../io.js';
import { withMemoryStore, type MemoryFlags } from '../store-options.js';

export interface ExportFlags extends MemoryFlags {
  readonly namespace?: string;
  readonly since?: string;
  readonly until?: string;
  readonly file?: string;
}

/**
 * `kubectl smart export [-n NS] [--since T] [--until T] [-f FILE]`: the recording of a window as
 * one portable file (JSON lines, already redacted), for a post-mortem elsewhere.
 */
export async function exportCommand(flags: ExportFlags, io: Io): Promise<ExitCode> {
  const nowMs = Date.now();
  const from = flags.since === undefined ? 0 : parseMomentMs(flags.since, '--since', nowMs);
  const to = flags.until === undefined ? nowMs : parseMomentMs(flags.until, '--until', nowMs);
  const chunks: string[] = [];
  const write = flags.file === undefined ? io.stdout : (line: string) => chunks.push(line);
  const counts = await withMemoryStore(flags, io, { create: false }, (store) =>
    exportRecording(
      store,
      { range: { from, to }, ...(flags.namespace === undefined ? {} : { namespace: flags.namespace }) },
      write,
    ),
  );
  if (flags.file !== undefined) {
    try {
      writeFileSync(flags.file, chunks.join(''), { mode: 0o600 });
    } catch (error) {
      throw new AppError(
        'usage',
        `-f ${flags.file}: cannot write it (${error instanceof Error ? error.message : String(error)})`,
      );
    }
  }
  io.stderr(`exported ${countsText(counts)}${flags.file === undefined ? '' : ` to ${flags.file}`}\n`);
  return EXIT.ok;
}

/** `kubectl smart import FILE`: a recording file into the store (again: nothing is added twice). */
export async function importCommand(file: string, flags: MemoryFlags, io: Io): Promise<ExitCode> {
  let text: string;
  try {
    text = file === '-' ? io.readStdin() : readFileSync(file, 'utf8');
  } catch (error) {
    throw new AppError(
      'usage',
      `${file}: cannot read it (${error instanceof Error ? error.message : String(error)})`,
    );
  }
  const counts = await withMemoryStore(flags, io, { create: true }, (store) =>
    importRecording(store, text, file),
  );
  io.stdout(`imported ${countsText(counts)}\n`);
  return EXIT.ok;
}

function countsText(counts: RecordingCounts): string {
  return `${String(counts.changes)} changes, ${String(counts.events)} events, ${String(counts.checkpoints)} checkpointed objects and ${String(counts.notes)} notes`;
}
