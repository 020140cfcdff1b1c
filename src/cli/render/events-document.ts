import type { DataGap } from '../../core/data-gap.js';
import type { EventDigest } from '../../events/event-digest.js';
import { OUTPUT_API_VERSION } from './document.js';

/** What `events -o json|yaml` prints: stable JSON, documented in the README. */
export interface EventsDocument extends EventDigest {
  readonly apiVersion: typeof OUTPUT_API_VERSION;
  readonly kind: 'EventDigest';
  readonly source: string;
  /** The moment "now" means for ages: when a live cluster was read, or the newest time in the files. */
  readonly capturedAt: string;
  readonly gaps: readonly DataGap[];
}
