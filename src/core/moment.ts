import { parseDurationMs } from './duration.js';
import { AppError } from './errors.js';

/** RFC 3339 as kubectl prints it, with a zone: `2026-11-20T03:04:05Z`, `2026-11-20T04:04:05.250+01:00`. */
const RFC3339 = /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?([Zz]|[+-]\d{2}:\d{2})$/;

/**
 * A moment as people give one to `--at`, `--since`, `--until`: an RFC 3339 time with its zone, or
 * a duration meaning that long ago (`90m`, `2h`, `1d`). Epoch milliseconds; a usage error naming
 * the flag otherwise.
 */
export function parseMomentMs(text: string, flag: string, nowMs: number): number {
  const trimmed = text.trim();
  if (RFC3339.test(trimmed)) {
    const ms = Date.parse(trimmed.replace(' ', 'T'));
    if (!Number.isNaN(ms)) return ms;
  }
  try {
    return nowMs - parseDurationMs(trimmed, flag);
  } catch {
    throw new AppError(
      'usage',
      `${flag} takes a time such as 2026-11-20T03:04:05Z or how long ago such as 30m or 2h, got "${text}"`,
    );
  }
}
