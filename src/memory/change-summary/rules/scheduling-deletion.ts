import { is } from '../path-names.js';
import type { SummaryRule } from '../summary-rule.js';
import { show } from '../value-text.js';

/** Scheduling and deletion of a pod. */
export const schedulingDeletionRule: SummaryRule = (field, context) => {
  const { names, change } = field;
  if (context.kind === 'Pod' && is(names, 'spec', 'nodeName') && change.op === 'added')
    return { lines: [`scheduled to ${show(change.new)}`] };
  if (is(names, 'metadata', 'deletionTimestamp') && change.op === 'added') return { lines: ['terminating'] };
  if (is(names, 'metadata', 'deletionGracePeriodSeconds')) return { lines: [] };
  return undefined;
};
