/**
 * Values of the `created` field. A number is milliseconds since the epoch; a string is a day
 * (`'2026-01-31'`) or an ISO 8601 time (`'2026-01-31T12:30:00Z'`). Times without an offset
 * are read as UTC, so that a query means the same on every machine.
 */

const DAY_MS = 86_400_000;
const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;
const TIME = new RegExp(
  '^(\\d{4})-(\\d{2})-(\\d{2})[T ](\\d{2}):(\\d{2})' +
    '(?::(\\d{2})(?:\\.(\\d{1,3})\\d*)?)?' +
    '(Z|[+-]\\d{2}:?\\d{2})?$',
  'i',
);

/** A `created` value: an instant, or a whole UTC day `[start, start + 1 day)`. */
export type CreatedValue = { kind: 'instant'; ms: number } | { kind: 'day'; start: number };

export const DATE_HELP =
  "a day such as '2026-01-31', a time such as '2026-01-31T12:00:00Z', " +
  'or milliseconds since the epoch';

/** Reads a `created` literal, or returns null when it is not a valid date or time. */
export function parseCreated(value: string | number): CreatedValue | null {
  if (typeof value === 'number')
    return Number.isFinite(value) ? { kind: 'instant', ms: value } : null;

  const text = value.trim();
  const day = DAY.exec(text);
  if (day) {
    const start = utc(day[1], day[2], day[3], '0', '0', '0', '0');
    return start === null ? null : { kind: 'day', start };
  }

  const time = TIME.exec(text);
  if (!time) return null;
  const [, year, month, date, hour, minute, second = '0', fraction = '0', offset] = time;
  const local = utc(year, month, date, hour, minute, second, fraction.padEnd(3, '0'));
  if (local === null) return null;
  return { kind: 'instant', ms: local - offsetMs(offset) };
}

/** The first millisecond of the day after `start`. */
export function nextDay(start: number): number {
  return start + DAY_MS;
}

/** Milliseconds for the given UTC fields, or null when a field is out of range (Feb 30). */
function utc(...fields: string[]): number | null {
  const [year, month, day, hour, minute, second, ms] = fields.map(Number);
  const time = Date.UTC(year, month - 1, day, hour, minute, second, ms);
  const back = new Date(time);
  const valid =
    back.getUTCFullYear() === year &&
    back.getUTCMonth() === month - 1 &&
    back.getUTCDate() === day &&
    back.getUTCHours() === hour &&
    back.getUTCMinutes() === minute &&
    back.getUTCSeconds() === second;
  return valid ? time : null;
}

function offsetMs(offset: string | undefined): number {
  if (!offset || offset.toUpperCase() === 'Z') return 0;
  const sign = offset[0] === '-' ? -1 : 1;
  const digits = offset.slice(1).replace(':', '');
  const hours = Number(digits.slice(0, 2));
  const minutes = Number(digits.slice(2, 4));
  return sign * (hours * 60 + minutes) * 60_000;
}
