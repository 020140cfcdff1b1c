import type { ResourceRef } from '../core/resource-ref.js';
import type { ClusterSource } from '../kube/source.js';
import type { Note } from '../store/memory-store.js';
import { fromRecording } from './from-recording.js';
import type { Io } from './io.js';
import type { SourceFlags } from './source-options.js';

/** What people noted about an object (`kubectl smart note`), for `describe` (see fromRecording). */
export function notesFor(
  flags: SourceFlags,
  io: Io,
  source: ClusterSource,
  object: ResourceRef,
): Promise<Note[] | undefined> {
  return fromRecording(flags, io, source, {
    past: (recording) => recording.notesOf(object),
    live: (store) => store.notesOf(object),
  });
}
