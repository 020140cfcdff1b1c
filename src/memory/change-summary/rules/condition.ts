import type { KubeObject } from '../../../core/kube-object.js';
import type { Condition } from '../../../core/kube-types.js';
import { isRecord } from '../is-record.js';
import { startsWith } from '../path-names.js';
import type { SummaryContext, SummaryField, SummaryOutcome } from '../summary-rule.js';

/** Pod conditions that the container lines already tell (each container's state and readiness). */
const POD_IMPLIED_CONDITIONS = new Set(['ContainersReady', 'Initialized', 'PodReadyToStartContainers']);

/** A condition that flips (`node Ready True→Unknown`) or changes its reason. */
export function conditionRule(field: SummaryField, context: SummaryContext): SummaryOutcome | undefined {
  const [section, list, type] = field.names;
  if (
    section !== 'status' ||
    list !== 'conditions' ||
    type === undefined ||
    !('item' in (field.segments[2] ?? {}))
  )
    return undefined;
  const covers = (other: SummaryField): boolean => startsWith(other.names, ['status', 'conditions', type]);
  if (context.kind === 'Pod' && POD_IMPLIED_CONDITIONS.has(type)) return { lines: [], covers };
  const before = conditionOf(context.before, type) ?? conditionFromFields(context.fields, type, 'old');
  const after = conditionOf(context.after, type) ?? conditionFromFields(context.fields, type, 'new');
  const who = context.kind === 'Node' ? `node ${type}` : type;
  if (after === undefined) return { lines: [`${who} condition removed`], covers };
  const reason = after.reason === undefined || after.reason === '' ? '' : ` (${after.reason})`;
  if (before === undefined) return { lines: [`${who} ${after.status}${reason}`], covers };
  if (before.status !== after.status)
    return { lines: [`${who} ${before.status}→${after.status}${reason}`], covers };
  if ((before.reason ?? '') !== (after.reason ?? ''))
    return { lines: [`${who} reason ${before.reason ?? '(none)'}→${after.reason ?? '(none)'}`], covers };
  return { lines: [], covers };
}

/** A condition rebuilt from the fields alone, when the objects are not at hand. */
function conditionFromFields(
  fields: readonly SummaryField[],
  type: string,
  side: 'old' | 'new',
): Condition | undefined {
  let status: string | undefined;
  let reason: string | undefined;
  for (const field of fields) {
    if (!startsWith(field.names, ['status', 'conditions', type])) continue;
    const value = field.change[side];
    if (field.names.length === 3 && isRecord(value)) {
      status = typeof value.status === 'string' ? value.status : status;
      reason = typeof value.reason === 'string' ? value.reason : reason;
    } else if (field.names[3] === 'status' && typeof value === 'string') status = value;
    else if (field.names[3] === 'reason' && typeof value === 'string') reason = value;
  }
  if (status === undefined) return undefined;
  return reason === undefined ? { type, status } : { type, status, reason };
}

function conditionOf(object: KubeObject | undefined, type: string): Condition | undefined {
  const status = object?.status;
  if (!isRecord(status) || !Array.isArray(status.conditions)) return undefined;
  return (status.conditions as readonly Condition[]).find((entry) => isRecord(entry) && entry.type === type);
}
