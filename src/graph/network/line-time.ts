/**
 * The moment a log line says it was written. Only the first {@link EXAMINED_CHARS} characters are
 * read; the patterns are anchored at the start of the line or start at a field name's literal, and
 * repeat only bounded character classes, so a hostile line costs about what a short one does.
 */

/** How much of a line is read: timestamps lead a line or sit in its first fields. */
const EXAMINED_CHARS = 4096;

/**
 * A date and time as log writers print them: RFC 3339 / ISO 8601 (`2021-11-05T05:59:19.242Z`,
 * `2020-04-01T21:04:18.128008+00:00`), the same with a space (`2025-04-28 15:58:08`, Python's and
 * log4j's `,231` fraction), and Go's log package (`2022/02/21 21:39:42`). Groups: year, month, day,
 * hour, minute, second, fraction, zone.
 */
const DATE_TIME =
  /(\d{4})[-/](\d{2})[-/](\d{2})[T ](\d{2}):(\d{2}):(\d{2})(?:[.,](\d{1,9}))?(Z|z|[+-]\d{2}:?\d{2}| ?UTC)?(?!\d)/;

/**
 * A line that begins with its time, perhaps behind one tag (`Jicofo 2019-10-25 …`,
 * `test-backend-1 | 2021-…`) or a bracket (`[2022-04-26 23:50:06Z ERR …]`).
 */
const LEADING_TIME = new RegExp(`^(?:\\S{1,100} {1,40}(?:\\| {0,8})?)?\\[?${DATE_TIME.source}`);

/** librdkafka's own log line: `%3|1597742901.053|ERROR|…`, seconds since the epoch. */
const LIBRDKAFKA_TIME = /^%\d\|(\d{9,10}(?:\.\d{1,6})?)\|/;

/**
 * A structured log's time field: JSON `"time"`, `"timestamp"`, `"ts"`, `"@timestamp"` (Docker's
 * json-file, zap, logrus, pino, kafkajs, Elastic) or logfmt `time=`, `ts=` (logrus, go-kit), holding
 * a date-time or epoch seconds / milliseconds (zap's `"ts":1597742901.053`, pino's `"time":1597…`).
 */
const TIME_FIELD =
  /(?:"(?:time|timestamp|ts|@timestamp)"\s{0,4}:\s{0,4}|(?:^|\s)(?:time|ts|timestamp)=)(?:"([^"]{1,40})"|([^\s,}"]{1,40}))/;

/** Epoch seconds (9–10 digits) or milliseconds (12–13), with an optional fraction. */
const EPOCH = /^(\d{9,13})(?:\.(\d{1,9}))?$/;

/**
 * The moment a log line says it was written, as an ISO string (`2022-02-21T21:39:42.000Z`): a
 * date-time leading the line, librdkafka's epoch prefix, or a structured time field anywhere in the
 * first 4,096 characters. A time without a zone is read as UTC, the zone of nearly every container.
 * Undefined when the line names no moment, or one without a year (klog's `I0417 09:25:33`, syslog's
 * `Apr 08 17:17:45`): a guessed year is a wrong answer.
 */
export function lineTime(line: string): string | undefined {
  const text = line.slice(0, EXAMINED_CHARS);
  const leading = LEADING_TIME.exec(text);
  if (leading !== null) return isoOf(leading.slice(1));
  const rdkafka = LIBRDKAFKA_TIME.exec(text);
  if (rdkafka !== null) return epochIso(rdkafka[1] ?? '');
  const field = TIME_FIELD.exec(text);
  if (field === null) return undefined;
  const value = field[1] ?? field[2] ?? '';
  const dated = DATE_TIME.exec(value);
  if (dated?.index === 0) return isoOf(dated.slice(1));
  return epochIso(value);
}

/** The ISO string of DATE_TIME's groups, undefined for an impossible date (`2021-02-30`). */
function isoOf(groups: readonly (string | undefined)[]): string | undefined {
  const [year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0] = groups.slice(0, 6).map(Number);
  const fraction = groups[6] ?? '';
  const ms = Math.floor(Number(`0.${fraction || '0'}`) * 1000);
  const utcMs = Date.UTC(year, month - 1, day, hour, minute, second, ms);
  const back = new Date(utcMs);
  // Date.UTC rolls 2021-02-30 over to March: a date that does not come back unchanged is no date.
  if (
    back.getUTCMonth() !== month - 1 ||
    back.getUTCDate() !== day ||
    hour > 23 ||
    minute > 59 ||
    second > 59
  ) {
    return undefined;
  }
  return new Date(utcMs - zoneOffsetMs(groups[7])).toISOString();
}

/** The offset a zone suffix names (`+01:00` is one hour ahead of UTC); none means UTC. */
function zoneOffsetMs(zone: string | undefined): number {
  if (zone === undefined || !/^[+-]/.test(zone)) return 0;
  const digits = zone.replace(':', '');
  const minutes = Number(digits.slice(1, 3)) * 60 + Number(digits.slice(3, 5));
  return (zone.startsWith('-') ? -1 : 1) * minutes * 60_000;
}

/** Epoch seconds or milliseconds as an ISO string; undefined for anything else. */
function epochIso(value: string): string | undefined {
  const match = EPOCH.exec(value);
  if (match === null) return undefined;
  const whole = match[1] ?? '';
  const number = Number(value);
  if (whole.length === 11) return undefined;
  const ms = whole.length >= 12 ? number : number * 1000;
  return new Date(Math.floor(ms)).toISOString();
}
