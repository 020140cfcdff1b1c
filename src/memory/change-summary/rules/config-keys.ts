import type { SummaryRule } from '../summary-rule.js';
import { charCount, isShort, show } from '../value-text.js';

/** ConfigMap and Secret keys: values for a ConfigMap when short, never for a Secret. */
export const configKeyRule: SummaryRule = (field, context) => {
  const [map, key] = field.names;
  if (field.names.length !== 2 || map === undefined || key === undefined) return undefined;
  const { op } = field.change;
  if (context.kind === 'Secret' && (map === 'data' || map === 'stringData' || map === 'binaryData'))
    return { lines: [`Secret key ${key} ${op}`] };
  if (context.kind !== 'ConfigMap') return undefined;
  if (map === 'binaryData') return { lines: [`ConfigMap binary key ${key} ${op}`] };
  if (map !== 'data') return undefined;
  if (op !== 'changed') return { lines: [`ConfigMap key ${key} ${op}`] };
  const { old, new: now } = field.change;
  if (isShort(old) && isShort(now)) return { lines: [`ConfigMap key ${key}: ${show(old)}→${show(now)}`] };
  return { lines: [`ConfigMap key ${key} changed (${String(charCount(now))} chars)`] };
};
