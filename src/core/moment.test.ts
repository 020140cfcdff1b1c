import { describe, expect, it } from 'vitest';
import { AppError } from './errors.js';
import { parseMomentMs } from './moment.js';

const NOW = Date.parse('2026-11-20T03:30:00Z');

describe('parseMomentMs', () => {
  it('reads RFC 3339 times with their zone, and durations as that long ago', () => {
    expect(parseMomentMs('2026-11-20T03:04:05Z', '--at', NOW)).toBe(Date.parse('2026-11-20T03:04:05Z'));
    expect(parseMomentMs('2026-11-20T04:04:05.250+01:00', '--at', NOW)).toBe(
      Date.parse('2026-11-20T03:04:05.250Z'),
    );
    expect(parseMomentMs('90m', '--at', NOW)).toBe(NOW - 90 * 60_000);
    expect(parseMomentMs('1h30m', '--since', NOW)).toBe(NOW - 90 * 60_000);
  });

  it('refuses a time without a zone, or words, naming the flag', () => {
    for (const bad of ['2026-11-20T03:04:05', 'yesterday', '', '2026-13-45T99:00:00Z']) {
      let error: unknown;
      try {
        parseMomentMs(bad, '--at', NOW);
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(AppError);
      expect((error as AppError).message).toBe(
        `--at takes a time such as 2026-11-20T03:04:05Z or how long ago such as 30m or 2h, got "${bad}"`,
      );
    }
  });
});
