import type { FieldChange, JsonValue } from '../../core/change.js';

/** Values longer than this are told by their length, not shown. */
const SHORT_VALUE_CHARS = 40;

/** `3→5`, `→5` when added, `3→(none)` when removed. */
export function arrow(change: Pick<FieldChange, 'old' | 'new'>): string {
  return `${change.old === undefined ? '(none)' : show(change.old)}→${change.new === undefined ? '(none)' : show(change.new)}`;
}

/** Short enough to show in a line: no longer than SHORT_VALUE_CHARS, on one line. */
export function isShort(value: JsonValue | undefined): boolean {
  if (value === undefined || value === null || typeof value === 'number' || typeof value === 'boolean')
    return true;
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return text.length <= SHORT_VALUE_CHARS && !text.includes('\n');
}

/** A value as a person reads it; long ones by their length. */
export function show(value: JsonValue | undefined): string {
  if (value === undefined || value === null) return '(none)';
  if (typeof value === 'string') return isShort(value) ? value : `(${String(value.length)} chars)`;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  const text = JSON.stringify(value);
  return isShort(value) ? text : `(${String(text.length)} chars)`;
}

/** The length a long value is told by. */
export function charCount(value: JsonValue | undefined): number {
  if (value === undefined || value === null) return 0;
  return typeof value === 'string' ? value.length : JSON.stringify(value).length;
}
