import type { ChangeHistory } from '../core/change-history.js';
import type { ClusterSource } from '../kube/source.js';
import { historyBefore } from '../memory/memory-source.js';
import { fromRecording } from './from-recording.js';
import type { Io } from './io.js';
import type { SourceFlags } from './source-options.js';

/**
 * The recorded changes an analysis may explain failures with: the recording's own when asking the
 * past (`--at`); for a live cluster, the recent changes in the store (see fromRecording).
 */
export function changeHistoryFor(
  flags: SourceFlags,
  io: Io,
  source: ClusterSource,
  namespace: string | undefined,
): Promise<ChangeHistory | undefined> {
  return fromRecording(flags, io, source, {
    past: (recording) => recording.history(namespace),
    live: (store) =>
      historyBefore(store, { atMs: Date.now(), ...(namespace === undefined ? {} : { namespace }) }),
  });
}
