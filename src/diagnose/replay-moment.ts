import type { Change } from '../core/change.js';
import type { MemorySource } from '../memory/memory-source.js';
import { changeOf } from '../store/memory-store.js';
import { diagnose } from './diagnose.js';
import type { Diagnosis } from './diagnosis.js';
import type { Reading } from './read-request.js';

/** An outage told from the recording: what changed before the moment, and the diagnosis at it. */
export interface ReplayedMoment {
  readonly at: string;
  readonly windowMs: number;
  /** The changes in the window before `at`, oldest first. */
  readonly changes: readonly Change[];
  /** The cluster as it was at `at`, analysed. */
  readonly diagnosis: Diagnosis;
}

export interface ReplayInput {
  /** The recording, opened at the moment to replay. */
  readonly recording: MemorySource;
  readonly namespace: string | undefined;
  readonly windowMs: number;
  readonly reading?: Reading;
}

/**
 * The replay use case: the changes in the window before the recording's moment, then the cluster
 * rebuilt as it was and diagnosed with the recording's own history (no logs: they are not recorded).
 */
export async function replayMoment(input: ReplayInput): Promise<ReplayedMoment> {
  const { recording, namespace, windowMs } = input;
  const changes = (await recording.changesBefore(windowMs, namespace)).map(changeOf);
  const diagnosis = await diagnose({
    source: recording,
    namespace,
    tailLines: 0,
    history: (scope) => recording.history(scope),
    ...(input.reading === undefined ? {} : { reading: input.reading }),
  });
  return { at: new Date(recording.atMs).toISOString(), windowMs, changes, diagnosis };
}
