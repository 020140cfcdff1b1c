import type { HistoryFor } from '../diagnose/diagnose.js';
import { historyBefore } from '../memory/memory-source.js';
import type { ResourceRef } from '../core/resource-ref.js';
import type { Note } from '../store/memory-store.js';
import { fromRecording } from './from-recording.js';
import type { Io } from './io.js';
import type { Reading } from '../diagnose/read-request.js';
import { progressReading } from './read-cluster.js';
import {
  openSource,
  type OpenedSource,
  type OpenedVia,
  type SourceFlags,
  type SourceNeeds,
} from './source-options.js';

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

/**
 * What a command about a cluster works with, opened once from its flags: the source and scope,
 * the progress indicator, and the recording's history and notes (nothing where there is no
 * recording). The use cases take it as it is: `diagnose({ ...cluster, tailLines })`.
 */
export interface ClusterContext extends OpenedSource {
  readonly reading: Reading;
  readonly history: HistoryFor;
  readonly notes: (object: ResourceRef) => Promise<Note[] | undefined>;
}

/** Opens the source the flags ask for, with everything a use case may want from the recording. */
export async function openCluster(flags: SourceFlags, io: Io, needs?: SourceNeeds): Promise<ClusterContext> {
  const opened = await openSource(flags, io, needs);
  return {
    ...opened,
    reading: progressReading(io),
    history: changeHistoryFor(flags, io, opened.opened),
    notes: notesFor(flags, io, opened.opened),
  };
}
