import { startsWith } from '../path-names.js';
import { selectorText } from '../selector-text.js';
import type { SummaryContext, SummaryField, SummaryOutcome } from '../summary-rule.js';
import { WORKLOAD_KINDS } from '../workload-kinds.js';

/** A Service's selector or a workload's label selector: one line, the whole selector before and after. */
export function selectorRule(field: SummaryField, context: SummaryContext): SummaryOutcome | undefined {
  if (!startsWith(field.names, ['spec', 'selector'])) return undefined;
  const service = context.kind === 'Service';
  if (!service && !WORKLOAD_KINDS.includes(context.kind) && context.kind !== 'PodDisruptionBudget')
    return undefined;
  const covers = (other: SummaryField): boolean => startsWith(other.names, ['spec', 'selector']);
  const before = selectorText(context.before, service);
  const after = selectorText(context.after, service);
  if (before !== undefined && after !== undefined) return { lines: [`selector ${before}→${after}`], covers };
  return { lines: ['selector changed'], covers };
}
