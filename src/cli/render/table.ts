/** Columns padded to their widest cell, as kubectl prints tables. ANSI colour codes do not count toward width. */
export function formatTable(rows: readonly (readonly string[])[], indent = ''): string {
  const widths: number[] = [];
  for (const row of rows) {
    row.forEach((cell, column) => {
      widths[column] = Math.max(widths[column] ?? 0, visibleLength(cell));
    });
  }
  return rows
    .map((row) =>
      (
        indent +
        row
          .map((cell, column) =>
            column === row.length - 1 ? cell : cell + ' '.repeat((widths[column] ?? 0) - visibleLength(cell)),
          )
          .join('  ')
      ).trimEnd(),
    )
    .join('\n');
}

// eslint-disable-next-line no-control-regex -- matching ANSI escape sequences is the point
const ANSI = /\u001b\[[0-9;]*m/g;

function visibleLength(text: string): number {
  return text.replace(ANSI, '').length;
}
