/**
 * Milliseconds since the epoch of an API timestamp, or undefined when there is none or it does not
 * parse. Timestamps are compared as numbers, never as strings: `…:44Z` and `…:44.764227Z` are the
 * same second written two ways, and string order puts the earlier one last.
 */
export function timeMs(iso: string | null | undefined): number | undefined {
  if (iso === null || iso === undefined || iso === '') return undefined;
  const ms = Date.parse(iso);
  return Number.isNaN(ms) ? undefined : ms;
}
