import type { SummaryRule } from '../summary-rule.js';
import { arrow } from '../value-text.js';
import { WORKLOAD_KINDS } from '../workload-kinds.js';

/** Status counters that move with every rollout step; the ready count says what matters. */
const ROLLOUT_COUNTERS = new Set([
  'replicas',
  'updatedReplicas',
  'availableReplicas',
  'unavailableReplicas',
  'fullyLabeledReplicas',
  'currentReplicas',
  'terminatingReplicas',
  'currentNumberScheduled',
  'desiredNumberScheduled',
  'updatedNumberScheduled',
  'numberAvailable',
  'numberUnavailable',
  'numberMisscheduled',
  'active',
  'ready',
]);

/** Pod status facts that follow scheduling and starts, which other lines already tell. */
const POD_BOOKKEEPING = new Set(['podIP', 'podIPs', 'hostIP', 'hostIPs', 'startTime', 'qosClass']);

/** Ready counts of workloads; the other rollout counters fold into them. */
export const readyCountRule: SummaryRule = (field, context) => {
  const [section, counter] = field.names;
  if (section !== 'status' || field.names.length !== 2 || counter === undefined) return undefined;
  if (!WORKLOAD_KINDS.includes(context.kind)) {
    return context.kind === 'Pod' && POD_BOOKKEEPING.has(counter) ? { lines: [] } : undefined;
  }
  const zero = { ...field.change, old: field.change.old ?? 0, new: field.change.new ?? 0 };
  if (counter === 'readyReplicas') return { lines: [`ready replicas ${arrow(zero)}`] };
  if (counter === 'numberReady') return { lines: [`ready pods ${arrow(zero)}`] };
  if (context.kind === 'Job' && (counter === 'succeeded' || counter === 'failed'))
    return { lines: [`${counter} pods ${arrow(zero)}`] };
  return ROLLOUT_COUNTERS.has(counter) ? { lines: [] } : undefined;
};
