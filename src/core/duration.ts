import { AppError } from './errors.js';

const UNIT_MS = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 } as const;
const PART = /(\d+(?:\.\d+)?)(ms|s|m|h|d|w)/gy;

/** What {@link parseDurationMs} accepts, whole: for schemas that check a duration before it is read. */
export const DURATION_PATTERN = /^(\d+(\.\d+)?(ms|s|m|h|d|w))+$/;

/**
 * Parses a Go-style duration as kubectl flags take them (`90s`, `15m`, `1h30m`, `2d`) into
 * milliseconds. Throws a usage error naming the flag when the text is not a duration.
 */
export function parseDurationMs(text: string, flag: string): number {
  let total = 0;
  let consumed = 0;
  PART.lastIndex = 0;
  for (let match = PART.exec(text); match !== null; match = PART.exec(text)) {
    const [whole, amount, unit] = match;
    total += Number(amount) * UNIT_MS[unit as keyof typeof UNIT_MS];
    consumed += whole.length;
  }
  if (text.length === 0 || consumed !== text.length) {
    throw new AppError('usage', `${flag} takes a duration such as 30s, 15m, 1h or 2d, got "${text}"`);
  }
  return total;
}

/** A short human age like kubectl prints: `45s`, `12m`, `3h`, `5d`. */
export function formatAge(ms: number): string {
  const seconds = Math.max(0, Math.floor(ms / 1000));
  if (seconds < 120) return `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 120) return `${minutes}m`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return `${hours}h`;
  return `${Math.floor(hours / 24)}d`;
}
