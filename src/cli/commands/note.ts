import { AppError } from '../../core/errors.js';
import { formatRef } from '../../core/resource-ref.js';
import { EXIT, type ExitCode } from '../exit-codes.js';
import type { Io } from '../io.js';
import { memoryTarget } from '../memory-target.js';
import { withMemoryStore, type MemoryFlags } from '../store-options.js';

export interface NoteFlags extends MemoryFlags {
  readonly namespace?: string;
  readonly author?: string;
}

/**
 * `kubectl smart note TYPE/NAME "text"`: keeps what a person knows about an object with it in the
 * memory; `why`, `timeline` and `describe --at` show it. The recording is made if there is none.
 */
export async function noteCommand(words: readonly string[], flags: NoteFlags, io: Io): Promise<ExitCode> {
  const text = words.at(-1)?.trim() ?? '';
  if (words.length < 2 || text === '') {
    throw new AppError(
      'usage',
      'note takes an object and the text: kubectl smart note deploy/api "why it is pinned to 1.4"',
    );
  }
  const author = flags.author ?? io.env.USER ?? 'unknown';
  const atMs = Date.now();
  const object = await withMemoryStore(flags, io, { create: true }, async (store) => {
    const object = await memoryTarget(words.slice(0, -1), flags.namespace, store);
    await store.addNote({ atMs, object, author, text });
    return object;
  });
  io.stdout(
    `noted on ${formatRef(object, { withNamespace: true })} by ${author} at ${new Date(atMs).toISOString()}\n`,
  );
  return EXIT.ok;
}
