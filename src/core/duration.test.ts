import { describe, expect, it } from 'vitest';
import { formatAge, parseDurationMs } from './duration.js';
import { AppError } from './errors.js';

const usageError = (run: () => unknown): AppError => {
  try {
    run();
  } catch (error) {
    if (error instanceof AppError) return error;
    throw error;
  }
  throw new Error('expected an AppError');
};

describe('parseDurationMs', () => {
  it('reads every unit', () => {
    expect(['500ms', '30s', '15m', '1h', '2d', '1w'].map((text) => parseDurationMs(text, '--since'))).toEqual(
      [500, 30_000, 900_000, 3_600_000, 172_800_000, 604_800_000],
    );
  });

  it('reads ms as milliseconds and m as minutes', () => {
    expect(parseDurationMs('5ms', '--since')).toBe(5);
    expect(parseDurationMs('5m', '--since')).toBe(300_000);
  });

  it('adds up compound durations as Go does', () => {
    expect(parseDurationMs('1h30m', '--since')).toBe(5_400_000);
    expect(parseDurationMs('1h30m15s', '--since')).toBe(5_415_000);
    expect(parseDurationMs('2d12h', '--since')).toBe(216_000_000);
    expect(parseDurationMs('1m500ms', '--request-timeout')).toBe(60_500);
  });

  it('refuses text that is not a duration with a usage error naming the flag it came from', () => {
    for (const bad of ['1H', '1h 30m', ' 5m', '5x', 'm', '30', 'soon']) {
      const error = usageError(() => parseDurationMs(bad, '--request-timeout'));
      expect({ code: error.code, message: error.message }).toEqual({
        code: 'usage',
        message: `--request-timeout takes a duration such as 30s, 15m, 1h or 2d, got "${bad}"`,
      });
    }
  });
});

describe('formatAge', () => {
  it('prints whole units, rounding down, as kubectl get does', () => {
    expect([59_900, 150_000, 5_400_000, 90_000_000, 13 * 86_400_000 + 5_000].map(formatAge)).toEqual([
      '59s',
      '2m',
      '90m',
      '25h',
      '13d',
    ]);
  });

  it('prints a time in the future (clock skew) as 0s rather than a negative age', () => {
    expect(formatAge(-30_000)).toBe('0s');
  });
});
