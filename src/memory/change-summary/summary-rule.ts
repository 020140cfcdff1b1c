import type { FieldChange, FieldPathSegment } from '../../core/change.js';
import type { KubeObject } from '../../core/kube-object.js';

/** One field change with its path parsed, as the summary rules read it. */
export interface SummaryField {
  readonly change: FieldChange;
  readonly segments: readonly FieldPathSegment[];
  /** The segments as plain names: `['spec', 'template', 'spec', 'containers', 'api', 'image']`. */
  readonly names: readonly string[];
}

/** What every summary rule may read: the kind, all of the change's fields, the objects when at hand. */
export interface SummaryContext {
  readonly kind: string;
  readonly fields: readonly SummaryField[];
  readonly before?: KubeObject;
  readonly after?: KubeObject;
  /** Where the pod spec sits in this kind: `spec` for a Pod, `spec.template.spec` for a Deployment. */
  readonly podSpecAt?: readonly string[];
  /** App and init containers of the pod spec: a container is named only when there are several. */
  readonly containerCount: number;
}

/**
 * What a rule makes of a field: its lines, and which fields they account for (the field alone
 * unless `covers` says more). No lines: the fields are bookkeeping, folded into the other lines
 * when there are any.
 */
export interface SummaryOutcome {
  readonly lines: readonly string[];
  readonly covers?: (field: SummaryField) => boolean;
}

/**
 * One way of telling a kind of field change: the outcome for a field it knows, undefined for one it
 * leaves to the next rule (summary-rules.ts lists them, first match wins).
 */
export type SummaryRule = (field: SummaryField, context: SummaryContext) => SummaryOutcome | undefined;
