import type { DataGap } from '../../core/data-gap.js';
import type { Finding } from '../../core/finding.js';
import type { KubeObject } from '../../core/kube-object.js';
import type { Neighbour } from '../../diagnose/describe-object.js';
import type { Health } from '../../graph/health.js';
import type { EventsDocument } from './events-document.js';
import { OUTPUT_API_VERSION } from './document.js';

/** A neighbour of the described object in the dependency graph. */
export type NeighbourDocument = Neighbour;

/** What `describe -o json|yaml` prints. */
export interface DescribeDocument {
  readonly apiVersion: typeof OUTPUT_API_VERSION;
  readonly kind: 'Description';
  readonly source: string;
  readonly capturedAt: string;
  /** The object as read (Secrets without values). */
  readonly object: KubeObject;
  readonly health: Health;
  /** Findings about the object or that explain its state. */
  readonly findings: readonly Finding[];
  /** `ruleId|Kind/namespace/name` of the findings that are root causes. */
  readonly rootCauses: readonly string[];
  readonly neighbours: {
    readonly upstream: readonly NeighbourDocument[];
    readonly downstream: readonly NeighbourDocument[];
  };
  readonly events: EventsDocument;
  /** What people noted about the object (`kubectl smart note`), oldest first; absent without a recording. */
  readonly notes?: readonly NoteDocument[];
  readonly gaps: readonly DataGap[];
}

export interface NoteDocument {
  readonly at: string;
  readonly author: string;
  readonly text: string;
}
