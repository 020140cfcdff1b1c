import type { Change, FieldChange, JsonValue } from '../core/change.js';

/** How a field moved: `"512Mi" → "lots"`, `added "x"`, `removed (was "y")`; values cut to `max` characters. */
export function fieldValues(field: FieldChange, max = Infinity): string {
  switch (field.op) {
    case 'added':
      return `added ${shown(field.new, max)}`;
    case 'removed':
      return `removed (was ${shown(field.old, max)})`;
    case 'changed':
      return `${shown(field.old, max)} → ${shown(field.new, max)}`;
    default:
      return field.op satisfies never;
  }
}

/** A value as JSON, cut to `max` characters; `(not kept)` for one the recording left out. */
export function shown(value: JsonValue | undefined, max = Infinity): string {
  if (value === undefined) return '(not kept)';
  const text = JSON.stringify(value);
  return text.length > max ? `${text.slice(0, Math.max(0, max - 1))}…` : text;
}

/** Who made a change: the user from the audit log, else the field manager. */
export function actorText(change: Change): string | undefined {
  return change.actor?.user ?? change.actor?.manager;
}

/** `, because: …` from the change's reason, or nothing. */
export function reasonText(change: Change): string {
  const why = change.reason?.why ?? change.reason?.changeCause;
  return why === undefined ? '' : `, because: ${why}`;
}

/**
 * The API server stamps objects and events to the second, the recorder to the millisecond: a
 * failure stamped 03:02:10 happened within that second, so a change at 03:02:10.363 may precede it.
 */
export function endOfSecond(ms: number): number {
  return Number.isFinite(ms) && ms % 1000 === 0 ? ms + 999 : ms;
}
