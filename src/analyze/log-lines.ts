import type { Snapshot } from '../core/snapshot.js';
import { crashSignature } from './crash-signature.js';

const ERROR_LINE = /\b(error|fatal|panic|exception|invalid|failed|refused|denied|cannot|unable|traceback)\b/i;
/** A quoted line longer than this is cut: evidence is read by people, a JSON blob is not. */
const MAX_LINE_CHARS = 400;

/**
 * The lines of a log worth showing: the last `count` that read like errors, else the last `count`
 * lines. A stack trace is not pasted whole: of a crash a runtime printed (a Go panic, a Java,
 * Python, Node or .NET exception) it keeps the line that says what failed and the program's own
 * frame where it failed, after the error lines that led to it. Lines are cut at 400 characters.
 * Empty for an empty log.
 */
export function errorLines(text: string, count: number): string[] {
  const lines = text
    .split('\n')
    .map((line) => line.trimEnd())
    .filter((line) => line !== '');
  const crash = crashSignature(text);
  const crashLines =
    crash === undefined ? [] : [crash.headline, ...(crash.frame === undefined ? [] : [`at ${crash.frame}`])];
  const quoted = new Set(crashLines);
  const rest = lines.filter(
    (line) =>
      crash === undefined || (!crash.traceLines.has(line) && !quoted.has(line) && line !== crash.headline),
  );
  const errors = rest.filter((line) => ERROR_LINE.test(line));
  const before = Math.max(0, count - crashLines.length);
  const leading = errors.length > 0 ? errors : crash === undefined ? rest : [];
  return [...(before === 0 ? [] : leading.slice(-before)), ...crashLines].slice(-count).map(cut);
}

function cut(line: string): string {
  return line.length <= MAX_LINE_CHARS ? line : `${line.slice(0, MAX_LINE_CHARS)}…`;
}

/**
 * What a container said about its last end, for reading its exit code: the termination message
 * (the kubelet puts the log's tail there with FallbackToLogsOnError), then its previous and current
 * logs when they were read.
 */
export function lastWords(
  snapshot: Snapshot,
  at: { readonly namespace: string; readonly pod: string; readonly container: string },
  message: string | undefined,
): string {
  return [
    message ?? '',
    snapshot.log(at.namespace, at.pod, at.container, true)?.text ?? '',
    snapshot.log(at.namespace, at.pod, at.container, false)?.text ?? '',
  ]
    .filter((text) => text !== '')
    .join('\n');
}

/** Lines of a multi-line termination message kept in a quote: what failed, not the whole trace. */
const MESSAGE_LINES = 3;

/**
 * A termination message as one line of evidence: a short one as it is; a long one (a log tail the
 * kubelet copied, a stack trace) through {@link errorLines}, its lines joined by ` | `.
 */
export function quoteMessage(message: string | undefined): string | undefined {
  const text = message?.trim();
  if (text === undefined || text === '') return undefined;
  if (!text.includes('\n')) return cut(text);
  return errorLines(text, MESSAGE_LINES).join(' | ');
}
