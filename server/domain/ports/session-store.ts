import type { User } from "../../../shared/user.js";

/** A signed-in browser session. Only a hash of the cookie's secret is stored. */
export interface Session {
  /** SHA-256 of the session cookie value, hex. */
  idHash: string;
  user: User;
  /**
   * The groups the identity provider gave at sign-in, so the role can be worked out again
   * from the current mapping on every request; null for a dev sign-in (no directory).
   */
  groups?: string[] | null;
  createdAt: string;
  expiresAt: string;
  /**
   * When the session last made a request, to the minute (see record-session-seen.ts);
   * the sign-in time at first, null for a session stored before this was kept.
   */
  lastSeenAt: string | null;
}

/** Durable storage of browser sessions. */
export interface SessionStore {
  create(session: Session): Promise<void>;
  /** The session, or null when unknown or expired. */
  get(idHash: string): Promise<Session | null>;
  delete(idHash: string): Promise<void>;
  /**
   * Records that the session made a request at `at`. A later time is never overwritten by
   * an earlier one, so two nodes recording the same session cannot move it backwards.
   */
  recordSeen(idHash: string, at: Date): Promise<void>;
  /** Every live (unexpired) session, newest first. */
  list(): Promise<Session[]>;
  /** Removes expired sessions; returns how many. */
  deleteExpired(now: Date): Promise<number>;
}
