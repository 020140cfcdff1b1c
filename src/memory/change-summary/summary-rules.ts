import { autoscalerRule } from './rules/autoscaler.js';
import { conditionRule } from './rules/condition.js';
import { configKeyRule } from './rules/config-keys.js';
import { containerStatusRule } from './rules/container-status.js';
import { containerRule } from './rules/container.js';
import { labelsAndAnnotationsRule } from './rules/labels-annotations.js';
import { nodeSchedulingRule } from './rules/node-scheduling.js';
import { phaseRule } from './rules/phase.js';
import { readyCountRule } from './rules/ready-counts.js';
import { rolloutRestartRule } from './rules/rollout-restart.js';
import { scaleRule } from './rules/scale.js';
import { schedulingDeletionRule } from './rules/scheduling-deletion.js';
import { selectorRule } from './rules/selector.js';
import { suspendRule } from './rules/suspend.js';
import type { SummaryRule } from './summary-rule.js';

/** Every summary rule, in the order they are asked: the first with an outcome for a field tells it. */
export const SUMMARY_RULES: readonly SummaryRule[] = [
  scaleRule,
  autoscalerRule,
  containerRule,
  rolloutRestartRule,
  labelsAndAnnotationsRule,
  selectorRule,
  configKeyRule,
  nodeSchedulingRule,
  suspendRule,
  schedulingDeletionRule,
  phaseRule,
  containerStatusRule,
  conditionRule,
  readyCountRule,
];
