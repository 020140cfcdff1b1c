/**
 * Something a command could not read. A partial answer beats no answer: the command goes on
 * with what it has and reports each gap with the command a person runs to check it.
 */
/** `not-recorded`: asked of a recording (`--at`) that did not follow the kind. */
export const GAP_REASONS = ['forbidden', 'not-served', 'timeout', 'error', 'not-recorded'] as const;
export type GapReason = (typeof GAP_REASONS)[number];

export interface DataGap {
  /** What could not be read, e.g. `pods`, `pods/log`. */
  readonly resource: string;
  /** Namespace it was read in; absent for cluster-wide or cluster-scoped reads. */
  readonly namespace?: string;
  readonly reason: GapReason;
  /** The server's or the reader's own words. */
  readonly message: string;
  /** The command that checks it, e.g. `kubectl auth can-i list pods -n shop`. */
  readonly check: string;
}
