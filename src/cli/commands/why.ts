import { fieldHistory } from '../../memory/field-history.js';
import { EXIT, type ExitCode } from '../exit-codes.js';
import type { Io } from '../io.js';
import { memoryTarget } from '../memory-target.js';
import { OUTPUT_API_VERSION } from '../render/document.js';
import { renderFieldHistoryText } from '../render/memory-text.js';
import { paletteFor } from '../render/palette.js';
import { withMemoryStore, type MemoryFlags } from '../store-options.js';
import type { WhyFormat } from '../output-formats.js';
import { writeDocument } from '../render/write-document.js';

export interface WhyFlags extends MemoryFlags {
  readonly namespace?: string;
  readonly field?: string;
  readonly output: WhyFormat;
}

/**
 * `kubectl smart why TYPE/NAME [--field PATH]`: every value a field has had (or, without one, every
 * change to the object's spec and data), with when, who and why, then the notes kept with it.
 */
export async function whyCommand(words: readonly string[], flags: WhyFlags, io: Io): Promise<ExitCode> {
  const history = await withMemoryStore(flags, io, { create: false }, async (store) =>
    fieldHistory(store, await memoryTarget(words, flags.namespace, store), flags.field),
  );
  writeDocument(io, flags.output, { apiVersion: OUTPUT_API_VERSION, kind: 'FieldHistory', ...history }, () =>
    renderFieldHistoryText(history, paletteFor(io.stdoutIsTty, io.env)),
  );
  return EXIT.ok;
}
