/**
 * CronJob schedules as the CronJob controller reads them (robfig/cron v3, `ParseStandard`): five
 * fields (minute hour day-of-month month day-of-week) with `*`, `?`, ranges, steps, lists and the
 * names JAN–DEC and SUN–SAT; the descriptors @yearly, @annually, @monthly, @weekly, @daily,
 * @midnight, @hourly and `@every <duration>`; an optional `CRON_TZ=`/`TZ=` prefix. Fire times are
 * computed in the schedule's time zone (UTC when it names none, as most controllers run in UTC).
 */

/** A schedule of fields: each array is indexed by value and says whether the value fires. */
export interface FieldSchedule {
  readonly kind: 'fields';
  readonly minutes: readonly boolean[];
  readonly hours: readonly boolean[];
  readonly daysOfMonth: readonly boolean[];
  readonly months: readonly boolean[];
  readonly daysOfWeek: readonly boolean[];
  /**
   * Day-of-month or day-of-week was written as `*` or `?` (without a step). Then a day must match
   * both; when both are restricted, either will do (`0 0 1 * MON`: the 1st and every Monday).
   */
  readonly anyDay: boolean;
  /** IANA time zone, or undefined for UTC. */
  readonly timeZone?: string;
}

/** `@every 1h30m`: a fixed interval from the previous run. */
export interface IntervalSchedule {
  readonly kind: 'every';
  readonly intervalMs: number;
  readonly timeZone?: string;
}

export type CronSchedule = FieldSchedule | IntervalSchedule;

/** A schedule, or why the controller would refuse it. */
export type ScheduleParse = { readonly schedule: CronSchedule } | { readonly error: string };

interface Bounds {
  readonly name: string;
  readonly min: number;
  readonly max: number;
  readonly names?: Readonly<Record<string, number>>;
}

const MINUTE: Bounds = { name: 'minute', min: 0, max: 59 };
const HOUR: Bounds = { name: 'hour', min: 0, max: 23 };
const DAY_OF_MONTH: Bounds = { name: 'day of month', min: 1, max: 31 };
const MONTH: Bounds = {
  name: 'month',
  min: 1,
  max: 12,
  names: {
    jan: 1,
    feb: 2,
    mar: 3,
    apr: 4,
    may: 5,
    jun: 6,
    jul: 7,
    aug: 8,
    sep: 9,
    oct: 10,
    nov: 11,
    dec: 12,
  },
};
const DAY_OF_WEEK: Bounds = {
  name: 'day of week',
  min: 0,
  max: 6,
  names: { sun: 0, mon: 1, tue: 2, wed: 3, thu: 4, fri: 5, sat: 6 },
};

const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;
/** How far ahead (or back) a fire time is looked for before a schedule is said never to fire. */
const SEARCH_YEARS = 5;
const GO_DURATION_UNIT_MS: Readonly<Record<string, number>> = {
  ns: 1e-6,
  us: 1e-3,
  µs: 1e-3,
  μs: 1e-3,
  ms: 1,
  s: 1000,
  m: MINUTE_MS,
  h: 3_600_000,
};

class ScheduleError extends Error {}

/**
 * Parses a CronJob's `spec.schedule`; `timeZone` is its `spec.timeZone`. A `CRON_TZ=`/`TZ=` prefix
 * in the schedule wins over the field, as the controller does. Never throws: a schedule the
 * controller cannot read comes back as `{ error }`, in words that say which part is wrong.
 */
export function parseCronSchedule(text: string, timeZone?: string): ScheduleParse {
  try {
    return { schedule: parse(text.trim(), timeZone) };
  } catch (error) {
    if (error instanceof ScheduleError) return { error: error.message };
    throw error;
  }
}

function parse(text: string, fieldTimeZone: string | undefined): CronSchedule {
  if (text === '') throw new ScheduleError('the schedule is empty');
  let spec = text;
  let zone = fieldTimeZone === undefined || fieldTimeZone === '' ? undefined : fieldTimeZone;
  const prefix = /^(?:CRON_TZ|TZ)=(\S*)\s+/.exec(spec);
  if (prefix !== null) {
    zone = prefix[1];
    spec = spec.slice(prefix[0].length).trim();
  } else if (/^(?:CRON_TZ|TZ)=/.test(spec)) {
    throw new ScheduleError('the time zone prefix is not followed by a schedule');
  }
  const timeZone = checkedZone(zone);
  const withZone = timeZone === undefined ? {} : { timeZone };
  if (spec.startsWith('@')) return { ...descriptor(spec), ...withZone };
  const fields = spec.split(/\s+/);
  if (fields.length !== 5)
    throw new ScheduleError(
      `expected 5 fields (minute hour day-of-month month day-of-week), found ${String(fields.length)}: "${spec}"`,
    );
  const [minute = '', hour = '', dayOfMonth = '', month = '', dayOfWeek = ''] = fields;
  const dom = field(dayOfMonth, DAY_OF_MONTH);
  const dow = field(dayOfWeek, DAY_OF_WEEK);
  return {
    kind: 'fields',
    minutes: field(minute, MINUTE).values,
    hours: field(hour, HOUR).values,
    daysOfMonth: dom.values,
    months: field(month, MONTH).values,
    daysOfWeek: dow.values,
    anyDay: dom.star || dow.star,
    ...withZone,
  };
}

function descriptor(spec: string): CronSchedule {
  const every = /^@every\s+(\S+)$/.exec(spec);
  if (every !== null) {
    const ms = goDurationMs(every[1] ?? '');
    // The library runs an interval no more often than once a second, in whole seconds.
    return { kind: 'every', intervalMs: Math.max(1000, ms - (ms % 1000)) };
  }
  const at = (
    minute: number,
    hour: number | 'any',
    dom: number | 'any',
    month: number | 'any',
    dow: number | 'any',
  ) => ({
    kind: 'fields' as const,
    minutes: only(MINUTE, minute),
    hours: hour === 'any' ? all(HOUR) : only(HOUR, hour),
    daysOfMonth: dom === 'any' ? all(DAY_OF_MONTH) : only(DAY_OF_MONTH, dom),
    months: month === 'any' ? all(MONTH) : only(MONTH, month),
    daysOfWeek: dow === 'any' ? all(DAY_OF_WEEK) : only(DAY_OF_WEEK, dow),
    anyDay: true,
  });
  switch (spec) {
    case '@yearly':
    case '@annually':
      return at(0, 0, 1, 1, 'any');
    case '@monthly':
      return at(0, 0, 1, 'any', 'any');
    case '@weekly':
      return at(0, 0, 'any', 'any', 0);
    case '@daily':
    case '@midnight':
      return at(0, 0, 'any', 'any', 'any');
    case '@hourly':
      return at(0, 'any', 'any', 'any', 'any');
    default:
      throw new ScheduleError(
        `unknown descriptor "${spec}" (known: @yearly, @annually, @monthly, @weekly, @daily, @midnight, @hourly, @every DURATION)`,
      );
  }
}

/** One field: a comma-separated list of `*`, `?`, `N`, `N-M`, each with an optional `/STEP`. */
function field(text: string, bounds: Bounds): { values: boolean[]; star: boolean } {
  const values = new Array<boolean>(bounds.max + 1).fill(false);
  let star = false;
  const parts = text.split(',').filter((part) => part !== '');
  if (parts.length === 0) throw new ScheduleError(`${bounds.name}: "${text}" is empty`);
  for (const part of parts) {
    const [range = '', step, ...extraSlashes] = part.split('/');
    if (extraSlashes.length > 0) throw new ScheduleError(`${bounds.name}: too many slashes in "${part}"`);
    const [low = '', high, ...extraHyphens] = range.split('-');
    let start: number;
    let end: number;
    let partStar = false;
    if (low === '*' || low === '?') {
      // The library reads `*` as the whole range and ignores what follows a hyphen: so do we.
      start = bounds.min;
      end = bounds.max;
      partStar = true;
    } else {
      if (extraHyphens.length > 0) throw new ScheduleError(`${bounds.name}: too many hyphens in "${part}"`);
      start = number(low, bounds, part);
      // `N/STEP` means from N to the end of the range.
      end = high === undefined ? (step === undefined ? start : bounds.max) : number(high, bounds, part);
    }
    let stride = 1;
    if (step !== undefined) {
      if (!/^\d+$/.test(step) || Number(step) === 0)
        throw new ScheduleError(`${bounds.name}: the step in "${part}" must be a positive number`);
      stride = Number(step);
      // `*/2` restricts the field: it no longer counts as "any day" for the day-of-month/week rule.
      if (stride > 1) partStar = false;
    }
    if (start < bounds.min)
      throw new ScheduleError(
        `${bounds.name}: ${String(start)} in "${part}" is below the minimum ${String(bounds.min)}`,
      );
    if (end > bounds.max)
      throw new ScheduleError(
        `${bounds.name}: ${String(end)} in "${part}" is above the maximum ${String(bounds.max)}`,
      );
    if (start > end) throw new ScheduleError(`${bounds.name}: the range "${part}" runs backwards`);
    for (let value = start; value <= end; value += stride) values[value] = true;
    star ||= partStar;
  }
  return { values, star };
}

function number(text: string, bounds: Bounds, part: string): number {
  const named = bounds.names?.[text.toLowerCase()];
  if (named !== undefined) return named;
  if (!/^\d+$/.test(text))
    throw new ScheduleError(
      `${bounds.name}: "${text}" in "${part}" is not a number${bounds.names === undefined ? '' : ' or a name'}`,
    );
  return Number(text);
}

function only(bounds: Bounds, value: number): boolean[] {
  const values = new Array<boolean>(bounds.max + 1).fill(false);
  values[value] = true;
  return values;
}

function all(bounds: Bounds): boolean[] {
  return new Array<boolean>(bounds.max + 1).fill(true).map((_, value) => value >= bounds.min);
}

/** A Go duration (`90s`, `1h30m`, `1.5h`) in milliseconds. */
function goDurationMs(text: string): number {
  const part = /(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|μs|ms|s|m|h)/y;
  let total = 0;
  let consumed = 0;
  for (let match = part.exec(text); match !== null; match = part.exec(text)) {
    total += Number(match[1]) * (GO_DURATION_UNIT_MS[match[2] ?? ''] ?? 0);
    consumed = part.lastIndex;
  }
  if (text === '' || consumed !== text.length)
    throw new ScheduleError(`"${text}" is not a duration (write it like 90s, 15m or 1h30m)`);
  return total;
}

function checkedZone(zone: string | undefined): string | undefined {
  if (zone === undefined || zone === 'UTC' || zone === 'Local') return undefined;
  if (zone === '') throw new ScheduleError('the time zone is empty');
  try {
    formatter(zone);
  } catch {
    throw new ScheduleError(`unknown time zone "${zone}"`);
  }
  return zone;
}

/**
 * The first time the schedule fires strictly after `after`, or undefined when it never fires in
 * the next five years (`0 0 30 2 *`: there is no 30 February).
 */
export function nextFire(schedule: CronSchedule, after: Date): Date | undefined {
  const afterMs = after.getTime();
  if (schedule.kind === 'every') return new Date(afterMs - (afterMs % 1000) + schedule.intervalMs);
  let startWall = Math.floor(toWall(afterMs, schedule.timeZone) / MINUTE_MS) * MINUTE_MS + MINUTE_MS;
  // A wall-clock time can map back to an instant at or before `after` when clocks go back: look again.
  for (let attempt = 0; attempt < 3; attempt++) {
    const wall = search(schedule, startWall, 1);
    if (wall === undefined) return undefined;
    const instant = fromWall(wall, schedule.timeZone);
    if (instant > afterMs) return new Date(instant);
    startWall = wall + MINUTE_MS;
  }
  return undefined;
}

/**
 * The last time the schedule fired at or before `atOrBefore`, or undefined when it did not in the
 * five years before. An `@every` schedule has no fixed times (it counts from its last run):
 * undefined.
 */
export function previousFire(schedule: CronSchedule, atOrBefore: Date): Date | undefined {
  if (schedule.kind === 'every') return undefined;
  const limitMs = atOrBefore.getTime();
  let startWall = Math.floor(toWall(limitMs, schedule.timeZone) / MINUTE_MS) * MINUTE_MS;
  for (let attempt = 0; attempt < 3; attempt++) {
    const wall = search(schedule, startWall, -1);
    if (wall === undefined) return undefined;
    const instant = fromWall(wall, schedule.timeZone);
    if (instant <= limitMs) return new Date(instant);
    startWall = wall - MINUTE_MS;
  }
  return undefined;
}

/**
 * Walks wall-clock time (held as UTC milliseconds) from `startWall` in `direction` to the first
 * minute every field allows, skipping whole months, days and hours that cannot match.
 */
function search(schedule: FieldSchedule, startWall: number, direction: 1 | -1): number | undefined {
  const limit = startWall + direction * SEARCH_YEARS * 366 * 24 * 60 * MINUTE_MS;
  let t = startWall;
  while (direction === 1 ? t <= limit : t >= limit) {
    const date = new Date(t);
    const [year, month, day, hour] = [
      date.getUTCFullYear(),
      date.getUTCMonth(),
      date.getUTCDate(),
      date.getUTCHours(),
    ];
    if (schedule.months[month + 1] !== true) {
      t = direction === 1 ? Date.UTC(year, month + 1, 1) : Date.UTC(year, month, 1) - MINUTE_MS;
    } else if (!dayMatches(schedule, date)) {
      t = direction === 1 ? Date.UTC(year, month, day + 1) : Date.UTC(year, month, day) - MINUTE_MS;
    } else if (schedule.hours[hour] !== true) {
      t =
        direction === 1 ? Date.UTC(year, month, day, hour + 1) : Date.UTC(year, month, day, hour) - MINUTE_MS;
    } else if (schedule.minutes[date.getUTCMinutes()] !== true) {
      t += direction * MINUTE_MS;
    } else {
      return t;
    }
  }
  return undefined;
}

function dayMatches(schedule: FieldSchedule, date: Date): boolean {
  const dom = schedule.daysOfMonth[date.getUTCDate()] === true;
  const dow = schedule.daysOfWeek[date.getUTCDay()] === true;
  return schedule.anyDay ? dom && dow : dom || dow;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

/** A formatter per zone, made once: building one is far slower than using it. */
function formatter(timeZone: string): Intl.DateTimeFormat {
  let made = formatters.get(timeZone);
  if (made === undefined) {
    made = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timeZone, made);
  }
  return made;
}

/** How far the zone's wall clock is ahead of UTC at an instant. */
function offsetMs(instantMs: number, timeZone: string): number {
  const parts: Record<string, number> = {};
  for (const part of formatter(timeZone).formatToParts(new Date(instantMs))) {
    if (part.type !== 'literal') parts[part.type] = Number(part.value);
  }
  const wall = Date.UTC(
    parts.year ?? 1970,
    (parts.month ?? 1) - 1,
    parts.day ?? 1,
    parts.hour ?? 0,
    parts.minute ?? 0,
    parts.second ?? 0,
  );
  return wall - (instantMs - (((instantMs % 1000) + 1000) % 1000));
}

function toWall(instantMs: number, timeZone: string | undefined): number {
  return timeZone === undefined ? instantMs : instantMs + offsetMs(instantMs, timeZone);
}

/**
 * The instant a wall-clock time names. When clocks go back it names two: the earlier, as cron runs
 * then. When clocks go forward it names none: the time as read with the offset before the change.
 */
function fromWall(wallMs: number, timeZone: string | undefined): number {
  if (timeZone === undefined) return wallMs;
  const candidates = [offsetMs(wallMs - DAY_MS, timeZone), offsetMs(wallMs + DAY_MS, timeZone)].map(
    (offset) => wallMs - offset,
  );
  const [earlier = wallMs, later = wallMs] = candidates.sort((a, b) => a - b);
  if (toWall(earlier, timeZone) === wallMs) return earlier;
  if (toWall(later, timeZone) === wallMs) return later;
  return wallMs - offsetMs(wallMs - DAY_MS, timeZone);
}
