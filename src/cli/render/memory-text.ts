import type { Change, ChangeActor, ChangeReason, FieldChange, JsonValue } from '../../core/change.js';
import { formatRef } from '../../core/resource-ref.js';
import type { FieldHistory } from '../../memory/field-history.js';
import type { TimelineEntry } from '../../memory/timeline.js';
import type { Note } from '../../store/memory-store.js';
import type { Palette } from './palette.js';

/** `by kubernetes-admin (kubectl-patch)`, or nothing when nobody is known. */
export function actorText(actor: ChangeActor | undefined): string {
  if (actor === undefined) return '';
  const user =
    actor.impersonatedUser === undefined ? actor.user : `${actor.user ?? '?'} as ${actor.impersonatedUser}`;
  // The API server names the manager `unknown` when a client gave neither fieldManager nor a
  // User-Agent: a placeholder, not a name, so it is not shown.
  const manager =
    actor.manager === undefined || actor.manager === 'unknown'
      ? undefined
      : `${actor.manager}${actor.subresource === undefined ? '' : `/${actor.subresource}`}`;
  if (user !== undefined) return manager === undefined ? `by ${user}` : `by ${user} (${manager})`;
  return manager === undefined ? '' : `by ${manager}`;
}

/** `because: bigger cache for the sale; rollout Deployment/api revision 7`. */
export function reasonText(reason: ChangeReason | undefined): string {
  if (reason === undefined) return '';
  const parts = [reason.why, reason.changeCause, reason.rollout].filter((p): p is string => p !== undefined);
  return parts.length === 0 ? '' : `because: ${parts.join('; ')}`;
}

function value(v: JsonValue | undefined): string {
  if (v === undefined) return '(not set)';
  const text = JSON.stringify(v);
  return text.length > 80 ? `${text.slice(0, 79)}…` : text;
}

export function fieldText(field: FieldChange): string {
  switch (field.op) {
    case 'added':
      return `${field.path} = ${value(field.new)}`;
    case 'removed':
      return `${field.path} removed (was ${value(field.old)})`;
    case 'changed':
      return `${field.path}: ${value(field.old)} → ${value(field.new)}`;
    default:
      return field.op satisfies never;
  }
}

function noteLine(note: Note, palette: Palette): string {
  return `${new Date(note.atMs).toISOString()}  ${palette.cyan('note')}     ${formatRef(note.object)}  ${note.author}: ${note.text}`;
}

function changeLine(change: Change, palette: Palette): string {
  const extra = [actorText(change.actor), reasonText(change.reason)].filter((t) => t !== '').join('  ');
  return `${change.at}  ${palette.bold(change.action.padEnd(8))} ${formatRef(change.object)}  ${change.summary.join('; ')}${extra === '' ? '' : palette.dim(`  ${extra}`)}`;
}

/** A timeline as lines, oldest first. */
export function renderTimelineText(entries: readonly TimelineEntry[], palette: Palette): string {
  if (entries.length === 0) return 'nothing recorded in that window\n';
  const lines = entries.map((entry) => {
    switch (entry.type) {
      case 'change':
        return changeLine(entry.change, palette);
      case 'event': {
        const e = entry.event;
        const kind = e.type === 'Warning' ? palette.yellow(e.type.padEnd(8)) : e.type.padEnd(8);
        const repeats = e.count > 1 ? ` (x${String(e.count)}, last ${new Date(e.lastMs).toISOString()})` : '';
        return `${new Date(e.firstMs).toISOString()}  ${kind} ${formatRef(e.involved)}  ${e.reason}${repeats}: ${e.message}`;
      }
      case 'note':
        return noteLine(entry.note, palette);
      default:
        return entry satisfies never;
    }
  });
  return `${lines.join('\n')}\n`;
}

/** A field's history: each value with when, who and why; then the notes. */
export function renderFieldHistoryText(history: FieldHistory, palette: Palette): string {
  const title = `${history.field ?? 'spec and data'} of ${formatRef(history.object, { withNamespace: true })}`;
  const lines = [palette.bold(title)];
  if (history.steps.length === 0) lines.push('  no change recorded');
  for (const step of history.steps) {
    const extra = [actorText(step.actor), reasonText(step.reason)].filter((t) => t !== '').join('  ');
    const head = `  ${step.at}  ${step.how.padEnd(8)}`;
    if (history.field !== undefined) {
      lines.push(
        `${head}  ${step.how === 'deleted' ? '' : value(step.value)}${extra === '' ? '' : palette.dim(`  ${extra}`)}`,
      );
    } else {
      lines.push(`${head}${extra === '' ? '' : palette.dim(`  ${extra}`)}`);
      for (const field of step.fields ?? []) lines.push(`      ${fieldText(field)}`);
    }
  }
  if (history.notes.length > 0) {
    lines.push(palette.bold('NOTES'));
    for (const note of history.notes)
      lines.push(`  ${new Date(note.atMs).toISOString()}  ${note.author}: ${note.text}`);
  }
  return `${lines.join('\n')}\n`;
}
