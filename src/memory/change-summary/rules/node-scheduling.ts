import type { JsonValue } from '../../../core/change.js';
import type { Taint } from '../../../core/kube-types.js';
import { isRecord } from '../is-record.js';
import { is, startsWith } from '../path-names.js';
import type { SummaryField, SummaryRule } from '../summary-rule.js';

/** Node scheduling: cordon and taints. */
export const nodeSchedulingRule: SummaryRule = (field, context) => {
  if (context.kind !== 'Node') return undefined;
  const { names, change } = field;
  if (is(names, 'spec', 'unschedulable')) return { lines: [change.new === true ? 'cordoned' : 'uncordoned'] };
  if (names.length >= 3 && is(names.slice(0, 2), 'spec', 'taints')) {
    const id = names[2] ?? '';
    const sameTaint = (other: SummaryField): boolean => startsWith(other.names, ['spec', 'taints', id]);
    if (names.length === 3 && change.op === 'added')
      return { lines: [`taint ${taintText(change.new, id)} added`], covers: sameTaint };
    if (names.length === 3 && change.op === 'removed')
      return { lines: [`taint ${taintText(change.old, id)} removed`], covers: sameTaint };
    return { lines: [`taint ${id} changed`], covers: sameTaint };
  }
  return undefined;
};

/** `key=value:Effect` as kubectl writes a taint; the identity when the value is not at hand. */
function taintText(value: JsonValue | undefined, identity: string): string {
  if (!isRecord(value)) return identity;
  const taint = value as Partial<Taint>;
  if (typeof taint.key !== 'string' || typeof taint.effect !== 'string') return identity;
  const withValue = typeof taint.value === 'string' && taint.value !== '' ? `=${taint.value}` : '';
  return `${taint.key}${withValue}:${taint.effect}`;
}
