import type { FieldChange } from '../../../core/change.js';
import { is } from '../path-names.js';
import type { SummaryRule } from '../summary-rule.js';
import { arrow, charCount, isShort, show } from '../value-text.js';

const REVISION = 'deployment.kubernetes.io/revision';

/** Labels and annotations of the object and of its pod template. */
export const labelsAndAnnotationsRule: SummaryRule = (field, context) => {
  const { names, change } = field;
  const key = names[2];
  if (names.length === 3 && names[0] === 'metadata' && key !== undefined) {
    if (names[1] === 'labels') return { lines: [mapEntryLine('label', key, change)] };
    if (names[1] === 'annotations') {
      if (key === REVISION) return { lines: [`revision ${arrow(change)}`] };
      return { lines: [mapEntryLine('annotation', key, change)] };
    }
  }
  const template = context.podSpecAt?.slice(0, -1);
  if (template !== undefined && context.kind !== 'Pod' && names.length === template.length + 3) {
    const templateKey = names.at(-1);
    if (templateKey !== undefined && is(names.slice(0, -1), ...template, 'metadata', 'labels'))
      return { lines: [mapEntryLine('pod template label', templateKey, change)] };
  }
  return undefined;
};

/** `label app: web→webapp`, `label app=web added`, `label app removed`. */
function mapEntryLine(noun: string, key: string, change: FieldChange): string {
  switch (change.op) {
    case 'added':
      return isShort(change.new) ? `${noun} ${key}=${show(change.new)} added` : `${noun} ${key} added`;
    case 'removed':
      return `${noun} ${key} removed`;
    case 'changed':
      return isShort(change.old) && isShort(change.new)
        ? `${noun} ${key}: ${show(change.old)}→${show(change.new)}`
        : `${noun} ${key} changed (${String(charCount(change.new))} chars)`;
    default: {
      const unknown: never = change.op;
      throw new Error(`unknown field op ${String(unknown)}`);
    }
  }
}
