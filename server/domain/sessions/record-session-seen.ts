import type { Session, SessionStore } from "../ports/session-store.js";

/**
 * How stale a session's last-seen time may get before a request writes it again. An admin
 * deciding whether a session is still used needs minutes, not milliseconds, and a write per
 * request would turn every page's dozen API calls into a dozen database writes.
 */
export const LAST_SEEN_INTERVAL_MS = 60_000;

/**
 * Records that `session` made a request at `now`, at most once per
 * {@link LAST_SEEN_INTERVAL_MS}: the session was just read to authenticate the request, so
 * deciding costs nothing and the write happens only when the stored time is that old.
 * Returns whether it wrote.
 */
export async function recordSessionSeen(
  deps: { sessions: SessionStore },
  session: Pick<Session, "idHash" | "lastSeenAt">,
  now: Date,
): Promise<boolean> {
  const last = session.lastSeenAt === null ? null : Date.parse(session.lastSeenAt);
  if (last !== null && now.getTime() - last < LAST_SEEN_INTERVAL_MS) return false;
  await deps.sessions.recordSeen(session.idHash, now);
  return true;
}
