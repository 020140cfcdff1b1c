import type { KubeObject } from '../../../core/kube-object.js';
import type { ContainerState, ContainerStatus } from '../../../core/kube-types.js';
import { isRecord } from '../is-record.js';
import { startsWith } from '../path-names.js';
import type { SummaryContext, SummaryField, SummaryOutcome } from '../summary-rule.js';
import { show } from '../value-text.js';

const STATUS_LISTS = new Map([
  ['containerStatuses', 'container'],
  ['initContainerStatuses', 'init container'],
  ['ephemeralContainerStatuses', 'ephemeral container'],
]);

/** A container's state, readiness and restarts, told once per container. */
export function containerStatusRule(
  field: SummaryField,
  context: SummaryContext,
): SummaryOutcome | undefined {
  const [section, list, name] = field.names;
  const noun = list === undefined ? undefined : STATUS_LISTS.get(list);
  if (section !== 'status' || noun === undefined || name === undefined || list === undefined)
    return undefined;
  const covers = (other: SummaryField): boolean => startsWith(other.names, ['status', list, name]);
  const before = containerStatusOf(context.before, list, name);
  const after = containerStatusOf(context.after, list, name);
  const who = `${noun} ${name}`;
  if (context.after === undefined)
    return { lines: containerLinesFromFields(context.fields, list, name, who), covers };
  const lines: string[] = [];
  if (after === undefined) return { lines: [`${who} status removed`], covers };
  const oldState = stateText(before?.state);
  const newState = stateText(after.state);
  if (newState !== undefined && newState !== oldState) lines.push(`${who}: ${newState}`);
  if ((before?.ready ?? false) !== (after.ready ?? false))
    lines.push(`${who} ${after.ready === true ? 'ready' : 'not ready'}`);
  const restartsBefore = before?.restartCount ?? 0;
  const restartsAfter = after.restartCount ?? 0;
  if (restartsAfter !== restartsBefore)
    lines.push(`${who} restarts ${String(restartsBefore)}→${String(restartsAfter)}`);
  return { lines, covers };
}

/** What the fields alone tell of a container's status, when the objects are not at hand. */
function containerLinesFromFields(
  fields: readonly SummaryField[],
  list: string,
  name: string,
  who: string,
): string[] {
  const lines: string[] = [];
  for (const field of fields) {
    if (!startsWith(field.names, ['status', list, name])) continue;
    const rest = field.names.slice(3).join('.');
    const { change } = field;
    if (rest === 'state.waiting.reason' || (rest === 'state.waiting' && change.op !== 'removed')) {
      const reason = isRecord(change.new) ? change.new.reason : change.new;
      lines.push(`${who}: ${typeof reason === 'string' ? reason : 'waiting'}`);
    } else if (rest === 'state.running' && change.op === 'added') lines.push(`${who}: running`);
    else if (rest === 'ready') lines.push(`${who} ${change.new === true ? 'ready' : 'not ready'}`);
    else if (rest === 'restartCount')
      lines.push(`${who} restarts ${show(change.old ?? 0)}→${show(change.new ?? 0)}`);
  }
  return lines;
}

function containerStatusOf(
  object: KubeObject | undefined,
  list: string,
  name: string,
): ContainerStatus | undefined {
  const status = object?.status;
  if (!isRecord(status)) return undefined;
  const statuses = status[list];
  if (!Array.isArray(statuses)) return undefined;
  return (statuses as readonly ContainerStatus[]).find((entry) => isRecord(entry) && entry.name === name);
}

/** How a container is doing, in one phrase: `CrashLoopBackOff`, `running`, `terminated: OOMKilled (exit 137)`. */
function stateText(state: ContainerState | undefined): string | undefined {
  if (state?.waiting !== undefined) return state.waiting.reason ?? 'waiting';
  if (state?.running !== undefined) return 'running';
  if (state?.terminated !== undefined) {
    const { reason, exitCode } = state.terminated;
    const exit = exitCode === undefined ? '' : ` (exit ${String(exitCode)})`;
    return `terminated${reason === undefined ? '' : `: ${reason}`}${exit}`;
  }
  return undefined;
}
