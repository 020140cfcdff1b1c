import type { DataGap } from '../core/data-gap.js';
import { AppError } from '../core/errors.js';
import type { Snapshot } from '../core/snapshot.js';

/**
 * Throws when a read brought back nothing at all (no object, no event): the use cases must then say
 * so, never "no problems found" (DESIGN.md §7.11). One line: where nothing was read, the first reason
 * a read failed and the command that checks it, or that the input held nothing of the kinds read.
 */
export function requireSomethingRead(
  snapshot: Snapshot,
  gaps: readonly DataGap[],
  where: { readonly source: string; readonly namespace: string | undefined },
): void {
  if (snapshot.size > 0) return;
  const scope = `${where.source}${where.namespace === undefined ? '' : ` in namespace ${where.namespace}`}`;
  const [first] = gaps;
  if (first === undefined)
    throw new AppError(
      'nothing-read',
      `nothing could be read from ${scope}: it holds no objects or events of the kinds analyzed, so there is nothing to judge`,
    );
  const more = gaps.length > 1 ? ` (and ${String(gaps.length - 1)} more reads failed)` : '';
  throw new AppError(
    'nothing-read',
    `nothing could be read from ${scope}: ${first.resource}${first.namespace === undefined ? '' : ` in ${first.namespace}`}: ${first.reason} (${first.message})${more}; check: ${first.check}`,
  );
}
