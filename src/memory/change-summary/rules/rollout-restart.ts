import { is } from '../path-names.js';
import type { SummaryRule } from '../summary-rule.js';

const RESTARTED_AT = 'kubectl.kubernetes.io/restartedAt';

/** `kubectl rollout restart` stamps the template. */
export const rolloutRestartRule: SummaryRule = (field, context) => {
  if (context.podSpecAt === undefined || context.kind === 'Pod') return undefined;
  const template = [...context.podSpecAt.slice(0, -1), 'metadata', 'annotations', RESTARTED_AT];
  return is(field.names, ...template) && field.change.op !== 'removed'
    ? { lines: ['rollout restart'] }
    : undefined;
};
