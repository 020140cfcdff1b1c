import type { DataGap } from '../../core/data-gap.js';
import type { Finding } from '../../core/finding.js';
import type { ResourceRef } from '../../core/resource-ref.js';
import type { Problem } from '../../analyze/rank.js';
import { OUTPUT_API_VERSION } from './document.js';

/** What `analyze -o json|yaml` prints: stable JSON, documented in the README. */
export interface AnalysisDocument {
  readonly apiVersion: typeof OUTPUT_API_VERSION;
  readonly kind: 'Analysis';
  readonly source: string;
  readonly capturedAt: string;
  /** The object asked about, if any; else the namespace (absent: every namespace). */
  readonly target?: ResourceRef;
  readonly namespace?: string;
  /** Ranked: the first is the most important. */
  readonly problems: readonly Problem[];
  /** Every finding, ranked or not. */
  readonly findings: readonly Finding[];
  readonly gaps: readonly DataGap[];
  readonly objectsAnalyzed: number;
  readonly tookMs: number;
}
