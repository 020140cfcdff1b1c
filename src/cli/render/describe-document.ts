import type { Neighbour, ObjectDescription } from '../../diagnose/describe-object.js';
import type { EventsDocument } from './events-document.js';
import { OUTPUT_API_VERSION } from './document.js';

/** A neighbour of the described object in the dependency graph. */
export type NeighbourDocument = Neighbour;

/** What `describe -o json|yaml` prints: the description, its events and notes as documents. */
export interface DescribeDocument extends Omit<ObjectDescription, 'events' | 'notes'> {
  readonly apiVersion: typeof OUTPUT_API_VERSION;
  readonly kind: 'Description';
  readonly events: EventsDocument;
  /** What people noted about the object (`kubectl smart note`), oldest first; absent without a recording. */
  readonly notes?: readonly NoteDocument[];
}

export interface NoteDocument {
  readonly at: string;
  readonly author: string;
  readonly text: string;
}

/** What `describe TYPE -l SELECTOR -o json|yaml` prints: a description per matching object. */
export interface DescribeListDocument {
  readonly apiVersion: typeof OUTPUT_API_VERSION;
  readonly kind: 'DescriptionList';
  readonly items: readonly DescribeDocument[];
}
