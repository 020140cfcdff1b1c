import { imageChange } from '../image-change.js';
import { startsWith } from '../path-names.js';
import type { SummaryContext, SummaryField, SummaryOutcome } from '../summary-rule.js';
import { isShort, show } from '../value-text.js';

const CONTAINER_LISTS = new Map([
  ['containers', 'container'],
  ['initContainers', 'init container'],
  ['ephemeralContainers', 'ephemeral container'],
]);

/** A container of the pod spec (or template): `containers[api].image` and friends. */
export function containerRule(field: SummaryField, context: SummaryContext): SummaryOutcome | undefined {
  const at = context.podSpecAt;
  if (at === undefined || !startsWith(field.names, at)) return undefined;
  const [list, name, ...rest] = field.names.slice(at.length);
  const noun = list === undefined ? undefined : CONTAINER_LISTS.get(list);
  if (noun === undefined || name === undefined || !('item' in (field.segments[at.length + 1] ?? {})))
    return undefined;
  const { change } = field;
  const who = `${noun} ${name}`;
  // `of api` when there are several containers; init and ephemeral containers always say what they are.
  const of = noun === 'container' ? (context.containerCount <= 1 ? '' : ` of ${name}`) : ` of ${who}`;
  const [part, key, leaf] = rest;
  if (part === undefined) return { lines: [`${who} ${change.op}`] };
  if (part === 'image' && rest.length === 1) {
    if (change.op !== 'changed' || typeof change.old !== 'string' || typeof change.new !== 'string')
      return undefined;
    return { lines: [`image${of === '' ? '' : `${of}:`} ${imageChange(change.old, change.new)}`] };
  }
  if (part === 'env' && key !== undefined) {
    const prefix = [...at, list ?? '', name, 'env', key];
    const covers = (other: SummaryField): boolean => startsWith(other.names, prefix);
    if (rest.length === 2 && change.op !== 'changed')
      return { lines: [`env ${key}${of} ${change.op}`], covers };
    if (leaf === 'value' && rest.length === 3 && isShort(change.old) && isShort(change.new))
      return { lines: [`env ${key}${of}: ${show(change.old)}→${show(change.new)}`], covers };
    return { lines: [`env ${key}${of} changed`], covers };
  }
  if (
    part === 'resources' &&
    (key === 'limits' || key === 'requests') &&
    leaf !== undefined &&
    rest.length === 3
  ) {
    const what = `resources.${key}.${leaf} of ${noun === 'container' ? name : who}`;
    if (change.op === 'added') return { lines: [`${what} set to ${show(change.new)}`] };
    if (change.op === 'removed') return { lines: [`${what} removed (was ${show(change.old)})`] };
    return { lines: [`${what}: ${show(change.old)}→${show(change.new)}`] };
  }
  return undefined;
}
