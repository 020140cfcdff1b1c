import { is } from '../path-names.js';
import type { SummaryRule } from '../summary-rule.js';

/** Suspending a CronJob or a Job. */
export const suspendRule: SummaryRule = (field, context) => {
  if ((context.kind !== 'CronJob' && context.kind !== 'Job') || !is(field.names, 'spec', 'suspend'))
    return undefined;
  return { lines: [field.change.new === true ? 'suspended' : 'resumed'] };
};
