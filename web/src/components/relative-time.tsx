import { formatAbsolute, formatRelative } from "../lib/format.js";

/** A time shown relative to now ("3 hours ago"), with the absolute time on hover. */
export function RelativeTime({ iso }: { iso: string }) {
  return (
    <time dateTime={iso} title={formatAbsolute(iso)}>
      {formatRelative(iso)}
    </time>
  );
}
