import { createHash, randomBytes } from "node:crypto";
import type { Request, Response } from "express";

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
  const header = req.headers.cookie;
  if (!header) return undefined;
  for (const part of header.split(";")) {
    const eq = part.indexOf("=");
    if (eq < 0) continue;
    if (part.slice(0, eq).trim() === SESSION_COOKIE) {
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
