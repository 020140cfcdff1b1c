import { is } from '../path-names.js';
import type { SummaryRule } from '../summary-rule.js';
import { show } from '../value-text.js';
import { WORKLOAD_KINDS } from '../workload-kinds.js';

/** spec.replicas of a workload: `scaled 3→5`. */
export const scaleRule: SummaryRule = (field, context) => {
  if (!WORKLOAD_KINDS.includes(context.kind) || !is(field.names, 'spec', 'replicas')) return undefined;
  const { op, old, new: now } = field.change;
  if (op === 'added') return { lines: [`scaled to ${show(now)}`] };
  if (op === 'removed') return { lines: [`replicas unset (was ${show(old)})`] };
  return { lines: [`scaled ${show(old)}→${show(now)}`] };
};
