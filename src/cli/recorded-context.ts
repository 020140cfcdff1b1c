import type { HistoryFor } from '../diagnose/diagnose.js';
import { historyBefore } from '../memory/memory-source.js';
import type { ResourceRef } from '../core/resource-ref.js';
import type { Note } from '../store/memory-store.js';
import { fromRecording } from './from-recording.js';
import type { Io } from './io.js';
import type { OpenedVia, SourceFlags } from './source-options.js';

/**
 * The recorded changes an analysis may explain failures with: the recording's own when asking the
 * past (`--at`); for a live cluster, the recent changes in the store (see fromRecording).
 */
export function changeHistoryFor(flags: SourceFlags, io: Io, opened: OpenedVia): HistoryFor {
  return (namespace) =>
    fromRecording(flags, io, opened, {
      past: (recording) => recording.history(namespace),
      live: (store) =>
        historyBefore(store, { atMs: Date.now(), ...(namespace === undefined ? {} : { namespace }) }),
    });
}

/** What people noted about an object (`kubectl smart note`), for `describe` (see fromRecording). */
export function notesFor(
  flags: SourceFlags,
  io: Io,
  opened: OpenedVia,
): (object: ResourceRef) => Promise<Note[] | undefined> {
  return (object) =>
    fromRecording(flags, io, opened, {
      past: (recording) => recording.notesOf(object),
      live: (store) => store.notesOf(object),
    });
}
