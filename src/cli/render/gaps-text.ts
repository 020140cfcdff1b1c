import type { DataGap } from '../../core/data-gap.js';
import type { Palette } from './palette.js';

/** The DATA GAPS section: what could not be read, and how to check it. Empty when nothing is missing. */
export function renderGapsText(gaps: readonly DataGap[], palette: Palette): string {
  if (gaps.length === 0) return '';
  const lines = gaps.map((gap) => {
    const where = gap.namespace === undefined ? '' : ` in ${gap.namespace}`;
    return `  ${gap.resource}${where}: ${gap.reason} (${gap.message})\n    check: ${gap.check}`;
  });
  return `\n${palette.bold(palette.yellow('DATA GAPS'))} ${palette.dim('(the answer above is partial)')}\n${lines.join('\n')}\n`;
}
