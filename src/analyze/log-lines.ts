const ERROR_LINE = /\b(error|fatal|panic|exception|invalid|failed|refused|denied|cannot|unable|traceback)\b/i;

/**
 * The lines of a log worth showing: the last `count` that read like errors, else the last `count`
 * lines. Empty for an empty log.
 */
export function errorLines(text: string, count: number): string[] {
  const lines = text
    .split('\n')
    .map((line) => line.trimEnd())
    .filter((line) => line !== '');
  const errors = lines.filter((line) => ERROR_LINE.test(line));
  return (errors.length > 0 ? errors : lines).slice(-count);
}
