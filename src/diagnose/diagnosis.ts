import type { Problem } from '../analyze/problem.js';
import type { DataGap } from '../core/data-gap.js';
import type { Finding } from '../core/finding.js';
import type { ResourceRef } from '../core/resource-ref.js';

/** The answer to "what is wrong here": ranked problems, every finding, and what could not be read. */
export interface Diagnosis {
  /** Where it was read from: `context prod`, `files ./dump`, `recording at …`. */
  readonly source: string;
  readonly capturedAt: string;
  /** The object asked about, if any; else the namespace (absent: every namespace). */
  readonly target?: ResourceRef;
  readonly namespace?: string;
  /** `-l`: the label selector whose objects (and what bears on them) were analyzed. */
  readonly selector?: string;
  /** Ranked: the first is the most important. */
  readonly problems: readonly Problem[];
  /** Every finding, ranked or not. */
  readonly findings: readonly Finding[];
  readonly gaps: readonly DataGap[];
  readonly objectsAnalyzed: number;
  readonly tookMs: number;
}
