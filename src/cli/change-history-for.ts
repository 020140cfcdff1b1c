import type { ChangeHistory } from '../core/change-history.js';
import type { ClusterSource } from '../kube/source.js';
import { historyBefore, MemorySource } from '../memory/memory-source.js';
import type { Io } from './io.js';
import type { SourceFlags } from './source-options.js';
import { hasRecording, memoryEnabled, withMemoryStore } from './store-options.js';

/**
 * The recorded changes an analysis may explain failures with: the recording's own when asking the
 * past (`--at`); for a live cluster, the recent changes in the store when the memory tier is on and
 * has recorded something; none for files, or with the tier off.
 */
export async function changeHistoryFor(
  flags: SourceFlags,
  io: Io,
  source: ClusterSource,
  namespace: string | undefined,
): Promise<ChangeHistory | undefined> {
  if (source instanceof MemorySource) return source.history(namespace);
  if ((flags.from?.length ?? 0) > 0 || !memoryEnabled(flags, io) || !hasRecording(flags, io))
    return undefined;
  return withMemoryStore(flags, io, { create: false }, (store) =>
    historyBefore(store, { atMs: Date.now(), ...(namespace === undefined ? {} : { namespace }) }),
  );
}
