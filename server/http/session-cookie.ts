import { createHash, randomBytes } from "node:crypto";
import type { Request, Response } from "express";
import type { User } from "../../shared/user.js";
import type { SessionStore } from "../domain/ports/session-store.js";

/** The name of the session cookie. */
export const SESSION_COOKIE = "pb_session";

/** A new random session secret (the cookie value) and the hash that is stored. */
export function newSessionSecret(): { secret: string; idHash: string } {
  const secret = randomBytes(32).toString("base64url");
  return { secret, idHash: hashSessionSecret(secret) };
}

/** SHA-256 of a session secret: the database never holds the cookie itself. */
export function hashSessionSecret(secret: string): string {
  return createHash("sha256").update(secret).digest("hex");
}

/** The session cookie's value, if the request has one. */
export function readSessionCookie(req: Request): string | undefined {
  return readCookie(req, SESSION_COOKIE);
}

/** A cookie's value, if the request has it (and it is not empty). */
export function readCookie(req: Request, name: string): string | undefined {
  const header = req.headers.cookie;
  if (!header) return undefined;
  for (const part of header.split(";")) {
    const eq = part.indexOf("=");
    if (eq < 0) continue;
    if (part.slice(0, eq).trim() === name) {
      const value = part.slice(eq + 1).trim();
      return value === "" ? undefined : value;
    }
  }
  return undefined;
}

/** Sets the session cookie: httpOnly, SameSite=Lax, Secure behind https. */
export function writeSessionCookie(
  req: Request,
  res: Response,
  secret: string,
  maxAgeMs: number,
): void {
  res.cookie(SESSION_COOKIE, secret, {
    httpOnly: true,
    sameSite: "lax",
    secure: req.secure,
    path: "/",
    maxAge: maxAgeMs,
  });
}

/** Removes the session cookie. */
export function clearSessionCookie(req: Request, res: Response): void {
  res.clearCookie(SESSION_COOKIE, {
    httpOnly: true,
    sameSite: "lax",
    secure: req.secure,
    path: "/",
  });
}

/**
 * Starts a database-backed session for a signed-in user and sets its cookie. Only the
 * hash of the cookie's secret is stored; the session ends after `sessionTtlMs`.
 */
export async function startSession(deps: {
  sessions: SessionStore;
  sessionTtlMs: number;
  now: () => Date;
  req: Request;
  res: Response;
  user: User;
  /** The directory's groups at sign-in; null for a dev sign-in. */
  groups: string[] | null;
}): Promise<void> {
  const { secret, idHash } = newSessionSecret();
  const now = deps.now();
  await deps.sessions.create({
    idHash,
    user: deps.user,
    groups: deps.groups,
    createdAt: now.toISOString(),
    expiresAt: new Date(now.getTime() + deps.sessionTtlMs).toISOString(),
    // Signing in is the first time the session is seen.
    lastSeenAt: now.toISOString(),
  });
  writeSessionCookie(deps.req, deps.res, secret, deps.sessionTtlMs);
}
