import type { Request, Response } from "express";
import type { UnassignedIdentity } from "./request-user.js";
import type { SignedCookies } from "./signed-cookie.js";

/**
 * Marks a browser whose person signed in at the identity provider but matched no role,
 * so the app can say "ask an admin for access" instead of offering sign-in again. It
 * grants nothing: no session is created for such a person.
 */
export const NO_ACCESS_COOKIE = "pb_no_access";

/** How long the marker lasts: long enough to read the page and ask. */
const NO_ACCESS_MAX_AGE_MS = 60 * 60_000;

/** Sets the marker. */
export function writeNoAccess(
  cookies: SignedCookies,
  req: Request,
  res: Response,
  identity: UnassignedIdentity,
): void {
  cookies.write(req, res, NO_ACCESS_COOKIE, identity, { maxAgeMs: NO_ACCESS_MAX_AGE_MS });
}

/** The identity in a valid marker, if any. */
export function readNoAccess(cookies: SignedCookies, req: Request): UnassignedIdentity | undefined {
  const value = cookies.read(req, NO_ACCESS_COOKIE) as Partial<UnassignedIdentity> | undefined;
  if (typeof value?.email !== "string" || typeof value.name !== "string") return undefined;
  return { email: value.email, name: value.name };
}
