const relative = new Intl.RelativeTimeFormat(undefined, { numeric: "auto" });
const absolute = new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "short" });
const short = new Intl.DateTimeFormat(undefined, {
  month: "short",
  day: "numeric",
  hour: "2-digit",
  minute: "2-digit",
});
const compact = new Intl.NumberFormat(undefined, { notation: "compact", maximumFractionDigits: 1 });
const whole = new Intl.NumberFormat();

const UNITS: [Intl.RelativeTimeFormatUnit, number][] = [
  ["year", 365 * 24 * 3600],
  ["month", 30 * 24 * 3600],
  ["week", 7 * 24 * 3600],
  ["day", 24 * 3600],
  ["hour", 3600],
  ["minute", 60],
];

/** Parses an ISO date; null when it is not one. */
export function parseDate(iso: string | null | undefined): Date | null {
  if (!iso) return null;
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? null : date;
}

/** "3 hours ago", "yesterday"… relative to `now`. */
export function formatRelative(iso: string, now: number = Date.now()): string {
  const date = parseDate(iso);
  if (!date) return iso;
  const seconds = Math.round((date.getTime() - now) / 1000);
  for (const [unit, size] of UNITS) {
    if (Math.abs(seconds) >= size) {
      return relative.format(Math.sign(seconds) * Math.round(Math.abs(seconds) / size), unit);
    }
  }
  return Math.abs(seconds) < 45 ? "just now" : relative.format(seconds, "second");
}

/** A full local date and time. */
export function formatAbsolute(iso: string): string {
  const date = parseDate(iso);
  return date ? absolute.format(date) : iso;
}

/** A short local date and time ("May 3, 14:05"). */
export function formatShort(iso: string): string {
  const date = parseDate(iso);
  return date ? short.format(date) : iso;
}

/** "1h 04m", "3m 12s", "42s". */
export function formatDuration(ms: number): string {
  const total = Math.max(0, Math.round(ms / 1000));
  const hours = Math.floor(total / 3600);
  const minutes = Math.floor((total % 3600) / 60);
  const seconds = total % 60;
  if (hours > 0) return `${hours}h ${String(minutes).padStart(2, "0")}m`;
  if (minutes > 0) return `${minutes}m ${String(seconds).padStart(2, "0")}s`;
  return `${seconds}s`;
}

/** Milliseconds between two ISO dates (end defaults to `now`); null without a start. */
export function durationBetween(
  start: string | null,
  end: string | null,
  now: number = Date.now(),
): number | null {
  const from = parseDate(start);
  if (!from) return null;
  const to = parseDate(end);
  return (to ? to.getTime() : now) - from.getTime();
}

/** "12.3K" tokens. */
export function formatCompact(value: number): string {
  return compact.format(value);
}

/** "12,345". */
export function formatNumber(value: number): string {
  return whole.format(value);
}

/** "87%". */
export function formatPercent(ratio: number): string {
  return `${Math.round(ratio * 100)}%`;
}
