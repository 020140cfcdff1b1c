import { is } from '../path-names.js';
import type { SummaryRule } from '../summary-rule.js';
import { arrow } from '../value-text.js';

/** HPA bounds and decisions. */
export const autoscalerRule: SummaryRule = (field, context) => {
  if (context.kind !== 'HorizontalPodAutoscaler') return undefined;
  const { names } = field;
  if (is(names, 'spec', 'maxReplicas') || is(names, 'spec', 'minReplicas'))
    return { lines: [`HPA ${names[1] ?? ''} ${arrow(field.change)}`] };
  if (is(names, 'status', 'desiredReplicas'))
    return { lines: [`HPA desired replicas ${arrow(field.change)}`] };
  if (is(names, 'status', 'currentReplicas') || is(names, 'status', 'lastScaleTime')) return { lines: [] };
  return undefined;
};
