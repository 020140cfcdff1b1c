import { describe, expect, it } from 'vitest';
import { nextFire, parseCronSchedule, previousFire, type CronSchedule } from './cron-schedule.js';

/** Friday 20 November 2026, 03:12 UTC. */
const NOW = new Date('2026-11-20T03:12:00Z');

function schedule(text: string, timeZone?: string): CronSchedule {
  const parsed = parseCronSchedule(text, timeZone);
  if ('error' in parsed) throw new Error(parsed.error);
  return parsed.schedule;
}

/** [next after, previous at or before] `at`, as ISO strings. */
function around(text: string, at = NOW, timeZone?: string): [string | undefined, string | undefined] {
  const parsed = schedule(text, timeZone);
  return [nextFire(parsed, at)?.toISOString(), previousFire(parsed, at)?.toISOString()];
}

describe('parseCronSchedule and the fire times around a moment', () => {
  it('reads steps over the whole range', () => {
    expect(around('*/15 * * * *')).toEqual(['2026-11-20T03:15:00.000Z', '2026-11-20T03:00:00.000Z']);
  });

  it('counts a fire time exactly at the moment as previous, never as next', () => {
    expect(around('*/15 * * * *', new Date('2026-11-20T03:15:00Z'))).toEqual([
      '2026-11-20T03:30:00.000Z',
      '2026-11-20T03:15:00.000Z',
    ]);
  });

  it('reads ranges of day names, lists, and names in any case', () => {
    expect(around('0 2 * * MON-FRI')).toEqual(['2026-11-23T02:00:00.000Z', '2026-11-20T02:00:00.000Z']);
    expect(around('30 4 1,15 * *')).toEqual(['2026-12-01T04:30:00.000Z', '2026-11-15T04:30:00.000Z']);
    expect(around('0 0 1 jan,Jul *')).toEqual(['2027-01-01T00:00:00.000Z', '2026-07-01T00:00:00.000Z']);
  });

  it('reads N/STEP as from N to the end of the range', () => {
    expect(around('50/5 * * * *')).toEqual(['2026-11-20T03:50:00.000Z', '2026-11-20T02:55:00.000Z']);
  });

  it('fires on either day when both day fields are restricted, as cron does', () => {
    // The 1st of the month or any Monday: Monday 23 November comes before 1 December.
    expect(around('0 0 1 * MON')).toEqual(['2026-11-23T00:00:00.000Z', '2026-11-16T00:00:00.000Z']);
    // `*/7` is a step, so the field is restricted: the 13th or a Sunday, not only Sunday the 13th.
    expect(around('0 0 13 * */7')).toEqual(['2026-11-22T00:00:00.000Z', '2026-11-15T00:00:00.000Z']);
  });

  it('reads the descriptors', () => {
    expect(around('@hourly')).toEqual(['2026-11-20T04:00:00.000Z', '2026-11-20T03:00:00.000Z']);
    expect(around('@daily')).toEqual(['2026-11-21T00:00:00.000Z', '2026-11-20T00:00:00.000Z']);
    expect(around('@midnight')).toEqual(around('@daily'));
    expect(around('@weekly')).toEqual(['2026-11-22T00:00:00.000Z', '2026-11-15T00:00:00.000Z']);
    expect(around('@monthly')).toEqual(['2026-12-01T00:00:00.000Z', '2026-11-01T00:00:00.000Z']);
    expect(around('@yearly')).toEqual(['2027-01-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z']);
    expect(around('@annually')).toEqual(around('@yearly'));
  });

  it('counts @every from the moment given, in whole seconds, and has no fixed previous time', () => {
    expect(around('@every 1h30m', new Date('2026-11-20T03:12:00.500Z'))).toEqual([
      '2026-11-20T04:42:00.000Z',
      undefined,
    ]);
    expect(schedule('@every 90s')).toEqual({ kind: 'every', intervalMs: 90_000 });
  });

  it('fires in the time zone of spec.timeZone, and a CRON_TZ= or TZ= prefix wins over it', () => {
    // 09:00 in New York in November is 14:00 UTC (EST).
    expect(around('0 9 * * *', NOW, 'America/New_York')).toEqual([
      '2026-11-20T14:00:00.000Z',
      '2026-11-19T14:00:00.000Z',
    ]);
    // 09:00 in Berlin is 08:00 UTC in winter (CET) and 07:00 UTC in summer (CEST).
    expect(around('CRON_TZ=Europe/Berlin 0 9 * * *', NOW, 'America/New_York')).toEqual([
      '2026-11-20T08:00:00.000Z',
      '2026-11-19T08:00:00.000Z',
    ]);
    expect(around('TZ=Europe/Berlin 0 9 * * *', new Date('2026-07-01T00:00:00Z'))[0]).toBe(
      '2026-07-01T07:00:00.000Z',
    );
  });

  it('runs a wall-clock time that happens twice (clocks going back) at its first occurrence', () => {
    // Berlin goes from 03:00 CEST back to 02:00 CET at 01:00 UTC on 25 October 2026.
    expect(around('30 2 * * *', new Date('2026-10-24T12:00:00Z'), 'Europe/Berlin')[0]).toBe(
      '2026-10-25T00:30:00.000Z',
    );
  });

  it('finds no fire time for a date that does not exist', () => {
    expect(around('0 0 30 2 *')).toEqual([undefined, undefined]);
  });

  it.each([
    ['', 'the schedule is empty'],
    ['* * * *', 'expected 5 fields (minute hour day-of-month month day-of-week), found 4: "* * * *"'],
    ['0 0 * * * *', 'expected 5 fields (minute hour day-of-month month day-of-week), found 6: "0 0 * * * *"'],
    ['61 * * * *', 'minute: 61 in "61" is above the maximum 59'],
    ['0 0 0 * *', 'day of month: 0 in "0" is below the minimum 1'],
    ['0 0 * * 7', 'day of week: 7 in "7" is above the maximum 6'],
    ['5-1 * * * *', 'minute: the range "5-1" runs backwards'],
    ['*/0 * * * *', 'minute: the step in "*/0" must be a positive number'],
    ['1-2-3 * * * *', 'minute: too many hyphens in "1-2-3"'],
    ['*/2/3 * * * *', 'minute: too many slashes in "*/2/3"'],
    ['0 0 * Foo *', 'month: "Foo" in "Foo" is not a number or a name'],
    ['0 noon * * *', 'hour: "noon" in "noon" is not a number'],
    [
      '@fortnightly',
      'unknown descriptor "@fortnightly" (known: @yearly, @annually, @monthly, @weekly, @daily, @midnight, @hourly, @every DURATION)',
    ],
    ['@every 5x', '"5x" is not a duration (write it like 90s, 15m or 1h30m)'],
    ['TZ=Mars/Olympus 0 0 * * *', 'unknown time zone "Mars/Olympus"'],
    ['CRON_TZ=UTC', 'the time zone prefix is not followed by a schedule'],
  ])('refuses %j: %s', (text, error) => {
    expect(parseCronSchedule(text)).toEqual({ error });
  });

  it('refuses an unknown spec.timeZone', () => {
    expect(parseCronSchedule('0 0 * * *', 'Europe/Atlantis')).toEqual({
      error: 'unknown time zone "Europe/Atlantis"',
    });
  });
});
