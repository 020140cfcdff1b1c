import { describe, expect, it } from 'vitest';
import { formatAge, parseDurationMs } from './duration.js';

describe('parseDurationMs', () => {
  it('reads Go-style durations', () => {
    expect(parseDurationMs('30s', '--since')).toBe(30_000);
    expect(parseDurationMs('15m', '--since')).toBe(900_000);
    expect(parseDurationMs('1h30m', '--since')).toBe(5_400_000);
    expect(parseDurationMs('2d', '--since')).toBe(172_800_000);
    expect(parseDurationMs('500ms', '--request-timeout')).toBe(500);
    expect(parseDurationMs('1.5h', '--since')).toBe(5_400_000);
  });
  it('rejects anything else with a usage error naming the flag', () => {
    for (const bad of ['', '10', 'yesterday', '1h30', '5 m', '-1h']) {
      expect(() => parseDurationMs(bad, '--since')).toThrow(
        expect.objectContaining({
          code: 'usage',
          message: `--since takes a duration such as 30s, 15m, 1h or 2d, got "${bad}"`,
        }),
      );
    }
  });
});

describe('formatAge', () => {
  it('prints ages as kubectl does', () => {
    expect(
      [0, 45_000, 119_000, 120_000, 7_199_000, 7_200_000, 172_799_000, 172_800_000, -5].map(formatAge),
    ).toEqual(['0s', '45s', '119s', '2m', '119m', '2h', '47h', '2d', '0s']);
  });
});
