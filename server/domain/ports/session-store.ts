import type { User } from "../../../shared/user.js";

/** A signed-in browser session. Only a hash of the cookie's secret is stored. */
export interface Session {
  /** SHA-256 of the session cookie value, hex. */
  idHash: string;
  user: User;
  createdAt: string;
  expiresAt: string;
}

/** Durable storage of browser sessions. */
export interface SessionStore {
  create(session: Session): Promise<void>;
  /** The session, or null when unknown or expired. */
  get(idHash: string): Promise<Session | null>;
  delete(idHash: string): Promise<void>;
  /** Removes expired sessions; returns how many. */
  deleteExpired(now: Date): Promise<number>;
}
