/**
 * How the interface writes sizes, times, hashes and keys. Pure functions, so pages agree.
 */

const byteUnits = ['B', 'KB', 'MB', 'GB', 'TB'];

/** `1536` -> `1.5 KB`. Decimal units, as disks and browsers' storage estimates use. */
export function formatBytes(bytes: number | null | undefined): string {
  if (bytes === null || bytes === undefined || !Number.isFinite(bytes)) return '—';

  let value = bytes;
  let unit = 0;
  while (value >= 1000 && unit < byteUnits.length - 1) {
    value /= 1000;
    unit += 1;
  }

  const digits = unit === 0 || value >= 100 ? 0 : value >= 10 ? 1 : 2;
  return `${value.toFixed(digits)} ${byteUnits[unit]}`;
}

const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });

/** A timestamp in the reader's locale, e.g. `12 Mar 2025, 14:05`. */
export function formatTime(ms: number): string {
  return dateTime.format(new Date(ms));
}

const relative = new Intl.RelativeTimeFormat(undefined, { numeric: 'auto' });

const spans: [Intl.RelativeTimeFormatUnit, number][] = [
  ['year', 365 * 86_400_000],
  ['month', 30 * 86_400_000],
  ['day', 86_400_000],
  ['hour', 3_600_000],
  ['minute', 60_000],
];

/** `3 hours ago`; anything under a minute is `just now`. */
export function formatRelative(ms: number, now: number = Date.now()): string {
  const delta = ms - now;
  for (const [unit, size] of spans) {
    if (Math.abs(delta) >= size) return relative.format(Math.round(delta / size), unit);
  }
  return 'just now';
}

/** The first characters of a hash, enough to tell files apart by eye. */
export function shortHash(hash: string, length = 12): string {
  return hash.length > length ? `${hash.slice(0, length)}…` : hash;
}

/** A member's public key, cut to a recognisable stub. */
export function shortKey(key: string): string {
  return key.length > 10 ? key.slice(0, 8) : key;
}

/** Plain text from Markdown, cut at a word boundary: for one-line previews in lists. */
export function excerpt(markdown: string, limit = 160): string {
  const text = markdown
    .replace(/```[\s\S]*?```/g, ' ')
    .replace(/!\[[^\]]*\]\([^)]*\)/g, ' ')
    .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/^\s*(?:[-+*]|\d+\.)\s+/gm, ' ')
    .replace(/[*`~]+/g, '')
    .replace(/[#>|]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  if (text.length <= limit) return text;

  const cut = text.slice(0, limit);
  const space = cut.lastIndexOf(' ');
  return `${cut.slice(0, space > limit / 2 ? space : limit)}…`;
}

/** A metric value with as many digits as it needs and no more. */
export function formatMetric(value: number | undefined): string {
  if (value === undefined || Number.isNaN(value)) return '—';
  if (Number.isInteger(value)) return String(value);
  const magnitude = Math.abs(value);
  if (magnitude !== 0 && (magnitude < 1e-3 || magnitude >= 1e6)) return value.toExponential(3);
  return String(Number(value.toPrecision(5)));
}

/** `models:/name/3`, the URI a version is known by. */
export function versionUri(modelName: string, number: number): string {
  return `models:/${modelName}/${number}`;
}

/** A `datetime-local` input's value for a timestamp, in the reader's time zone. */
export function toDateTimeLocal(ms: number): string {
  const date = new Date(ms);
  const pad = (n: number) => String(n).padStart(2, '0');
  return (
    `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}` +
    `T${pad(date.getHours())}:${pad(date.getMinutes())}`
  );
}
