import { timingSafeEqual, createHash } from "node:crypto";
import type { RequestHandler } from "express";
import type { ApiToken } from "../../config/app-config.js";
import type { SessionStore } from "../../domain/ports/session-store.js";
import { AppError } from "../../domain/app-error.js";
import { setRequestUser } from "../request-user.js";
import { hashSessionSecret, readSessionCookie } from "../session-cookie.js";

/**
 * Finds who is calling: a bearer service token (`PATCHBOARD_API_TOKENS`) or a browser
 * session cookie. It refuses nothing by itself (routes decide), except a bearer token
 * that matches no configured token, which is a 401 rather than an anonymous request.
 */
export function authenticate(deps: {
  apiTokens: ApiToken[];
  sessions: SessionStore;
}): RequestHandler {
  const tokens = deps.apiTokens.map((t) => ({ digest: digest(t.token), user: t.user }));
  return async (req, _res, next) => {
    const header = req.headers.authorization;
    if (header !== undefined) {
      const match = /^Bearer\s+(.+)$/i.exec(header.trim());
      const presented = match?.[1] ? digest(match[1]) : null;
      // Compare digests in constant time so timing does not reveal a token's prefix.
      const found = presented && tokens.find((t) => timingSafeEqual(t.digest, presented));
      if (!found) throw new AppError("unauthorized", "The bearer token is not valid");
      setRequestUser(req, found.user);
      req.log = req.log.child({ user: found.user.email });
      next();
      return;
    }
    const secret = readSessionCookie(req);
    if (secret !== undefined) {
      const session = await deps.sessions.get(hashSessionSecret(secret));
      if (session !== null) {
        setRequestUser(req, session.user);
        req.log = req.log.child({ user: session.user.email });
      }
    }
    next();
  };
}

function digest(value: string): Buffer {
  return createHash("sha256").update(value).digest();
}
