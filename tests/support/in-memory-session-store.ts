import type { Session, SessionStore } from "../../server/domain/ports/session-store.js";
import { AppError } from "../../server/domain/app-error.js";
import { toIsoUtc } from "../../server/adapters/storage/timestamps.js";

/**
 * An in-memory SessionStore for unit tests, with the SQL store's semantics: expired
 * sessions are invisible to get() before any sweep, and duplicates are a conflict.
 */
export class InMemorySessionStore implements SessionStore {
  readonly #sessions = new Map<string, Session>();

  /** How many sessions are stored, expired or not; for assertions. */
  get size(): number {
    return this.#sessions.size;
  }

  create(session: Session): Promise<void> {
    if (this.#sessions.has(session.idHash)) {
      return Promise.reject(new AppError("conflict", "Session already exists"));
    }
    this.#sessions.set(session.idHash, {
      ...structuredClone(session),
      createdAt: toIsoUtc(session.createdAt),
      expiresAt: toIsoUtc(session.expiresAt),
      lastSeenAt: session.lastSeenAt === null ? null : toIsoUtc(session.lastSeenAt),
    });
    return Promise.resolve();
  }

  recordSeen(idHash: string, at: Date): Promise<void> {
    const session = this.#sessions.get(idHash);
    const seen = at.toISOString();
    if (session !== undefined && (session.lastSeenAt === null || session.lastSeenAt < seen)) {
      session.lastSeenAt = seen;
    }
    return Promise.resolve();
  }

  get(idHash: string): Promise<Session | null> {
    const session = this.#sessions.get(idHash);
    const live = session !== undefined && session.expiresAt > new Date().toISOString();
    return Promise.resolve(live ? structuredClone(session) : null);
  }

  delete(idHash: string): Promise<void> {
    this.#sessions.delete(idHash);
    return Promise.resolve();
  }

  list(): Promise<Session[]> {
    const now = new Date().toISOString();
    const live = [...this.#sessions.values()].filter((s) => s.expiresAt > now);
    live.sort((a, b) => b.createdAt.localeCompare(a.createdAt));
    return Promise.resolve(live.map((s) => structuredClone(s)));
  }

  deleteExpired(now: Date): Promise<number> {
    const cutoff = now.toISOString();
    let removed = 0;
    for (const [key, session] of this.#sessions) {
      if (session.expiresAt <= cutoff) {
        this.#sessions.delete(key);
        removed++;
      }
    }
    return Promise.resolve(removed);
  }
}
