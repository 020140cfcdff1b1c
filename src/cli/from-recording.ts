import type { MemorySource } from '../memory/memory-source.js';
import type { MemoryStore } from '../store/memory-store.js';
import type { Io } from './io.js';
import type { OpenedVia, SourceFlags } from './source-options.js';
import { hasRecording, memoryEnabled, withMemoryStore } from './store-options.js';

/**
 * What the recording adds to a command about a cluster: read from the recording itself when asking
 * the past (`--at`); for a live cluster, from the store when the memory tier is on and has a
 * recording; nothing (undefined) for files, or with the tier off.
 */
export async function fromRecording<T>(
  flags: SourceFlags,
  io: Io,
  opened: OpenedVia,
  read: {
    readonly past: (recording: MemorySource) => Promise<T>;
    readonly live: (store: MemoryStore) => Promise<T>;
  },
): Promise<T | undefined> {
  if (opened.via === 'recording') return read.past(opened.recording);
  if (opened.via === 'files' || !memoryEnabled(flags, io) || !hasRecording(flags, io)) return undefined;
  return withMemoryStore(flags, io, { create: false }, read.live);
}
