import type { JsonValue } from '../../core/change.js';
import type { KubeObject } from '../../core/kube-object.js';
import { isRecord } from './is-record.js';
import { show } from './value-text.js';

/** `app=web,tier=front`, `(none)` for an empty one; undefined when the object has no selector. */
export function selectorText(object: KubeObject | undefined, service: boolean): string | undefined {
  if (object === undefined) return undefined;
  const spec = isRecord(object.spec) ? object.spec : {};
  const selector = spec.selector;
  if (selector === undefined || selector === null) return '(none)';
  if (!isRecord(selector)) return undefined;
  const labels = service ? selector : isRecord(selector.matchLabels) ? selector.matchLabels : {};
  const parts = Object.entries(labels).map(
    ([key, value]) => `${key}=${typeof value === 'string' ? value : show(value as JsonValue)}`,
  );
  const expressions =
    !service && Array.isArray(selector.matchExpressions) ? selector.matchExpressions.length : 0;
  if (expressions > 0)
    parts.push(`${String(expressions)} ${expressions === 1 ? 'expression' : 'expressions'}`);
  return parts.length === 0 ? '(none)' : parts.join(',');
}
