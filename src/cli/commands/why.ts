import { fieldHistory } from '../../memory/field-history.js';
import { EXIT, type ExitCode } from '../exit-codes.js';
import type { Io } from '../io.js';
import { memoryTarget } from '../memory-target.js';
import { OUTPUT_API_VERSION, toJson, toYaml } from '../render/document.js';
import { renderFieldHistoryText } from '../render/memory-text.js';
import { paletteFor } from '../render/palette.js';
import { requireMemory, withMemoryStore, type MemoryFlags } from '../store-options.js';

export const WHY_FORMATS = ['text', 'json', 'yaml'] as const;
export type WhyFormat = (typeof WHY_FORMATS)[number];

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
  requireMemory(flags, io, 'why');
  const history = await withMemoryStore(flags, io, { create: false }, async (store) =>
    fieldHistory(store, await memoryTarget(words, flags.namespace, store), flags.field),
  );
  switch (flags.output) {
    case 'json':
      io.stdout(toJson({ apiVersion: OUTPUT_API_VERSION, kind: 'FieldHistory', ...history }));
      break;
    case 'yaml':
      io.stdout(toYaml({ apiVersion: OUTPUT_API_VERSION, kind: 'FieldHistory', ...history }));
      break;
    case 'text':
      io.stdout(renderFieldHistoryText(history, paletteFor(io.stdoutIsTty, io.env)));
      break;
    default: {
      const exhaustive: never = flags.output;
      return exhaustive;
    }
  }
  return EXIT.ok;
}
