import type { Diagnosis } from '../../diagnose/diagnosis.js';
import { OUTPUT_API_VERSION } from './document.js';

/** What `analyze -o json|yaml` prints: a diagnosis, as stable JSON documented in the README. */
export interface AnalysisDocument extends Diagnosis {
  readonly apiVersion: typeof OUTPUT_API_VERSION;
  readonly kind: 'Analysis';
}
