import { is } from '../path-names.js';
import type { SummaryRule } from '../summary-rule.js';
import { arrow } from '../value-text.js';

/** Phase of a pod, a claim, a volume, a namespace. */
export const phaseRule: SummaryRule = (field) =>
  is(field.names, 'status', 'phase') ? { lines: [`phase ${arrow(field.change)}`] } : undefined;
