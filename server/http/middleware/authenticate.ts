import { timingSafeEqual, createHash } from "node:crypto";
import type { Request, RequestHandler } from "express";
import type { ApiToken, ProxySettings, RoleMapping } from "../../config/app-config.js";
import { IpAllowList } from "../../config/ip-allow-list.js";
import { nameFromEmail } from "../../config/parse-users.js";
import { resolveRole } from "../../config/role-mapping.js";
import type { SessionStore } from "../../domain/ports/session-store.js";
import { AppError } from "../../domain/app-error.js";
import { readNoAccess } from "../no-access-cookie.js";
import { setRequestUser, setUnassignedIdentity } from "../request-user.js";
import { hashSessionSecret, readSessionCookie } from "../session-cookie.js";
import type { SignedCookies } from "../signed-cookie.js";

/** What authentication needs. */
export interface AuthenticateDeps {
  apiTokens: ApiToken[];
  sessions: SessionStore;
  /** Set with AUTH_MODE=proxy: trust an identity header from the proxy's addresses. */
  proxy?: ProxySettings | null;
  roles?: RoleMapping;
  cookies?: SignedCookies;
}

/**
 * Finds who is calling: a bearer service token (`PATCHBOARD_API_TOKENS`), the identity
 * header of a trusted authenticating proxy, or a browser session cookie. It refuses
 * nothing by itself (routes decide), except a bearer token that matches no configured
 * token, which is a 401 rather than an anonymous request.
 */
export function authenticate(deps: AuthenticateDeps): RequestHandler {
  const tokens = deps.apiTokens.map((t) => ({ digest: digest(t.token), user: t.user }));
  const proxy = deps.proxy ?? null;
  const trusted = proxy
    ? IpAllowList.parse("PROXY_TRUSTED_IPS", proxy.trustedIps.join(",")).list
    : null;
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
    if (proxy !== null && trusted !== null) {
      // The socket's peer, never req.ip: X-Forwarded-For is written by whoever connects.
      if (trusted.has(req.socket.remoteAddress)) fromProxy(req, proxy, deps.roles);
      next();
      return;
    }
    const secret = readSessionCookie(req);
    if (secret !== undefined) {
      const session = await deps.sessions.get(hashSessionSecret(secret));
      if (session !== null) {
        setRequestUser(req, session.user);
        req.log = req.log.child({ user: session.user.email });
        next();
        return;
      }
    }
    const noAccess = deps.cookies ? readNoAccess(deps.cookies, req) : undefined;
    if (noAccess !== undefined) setUnassignedIdentity(req, noAccess);
    next();
  };
}

function fromProxy(req: Request, proxy: ProxySettings, roles: RoleMapping | undefined): void {
  const email = single(req.headers[proxy.emailHeader]);
  if (email === undefined || !email.includes("@")) return;
  const name = (proxy.nameHeader && single(req.headers[proxy.nameHeader])) || nameFromEmail(email);
  const groups = proxy.groupsHeader
    ? (single(req.headers[proxy.groupsHeader]) ?? "")
        .split(",")
        .map((g) => g.trim())
        .filter(Boolean)
    : [];
  const role = roles ? resolveRole(roles, { email, groups }) : null;
  if (role === null) {
    setUnassignedIdentity(req, { email, name });
    return;
  }
  setRequestUser(req, { email, name, role });
  req.log = req.log.child({ user: email });
}

function single(value: string | string[] | undefined): string | undefined {
  const text = Array.isArray(value) ? value[0] : value;
  const trimmed = text?.trim();
  return trimmed === "" ? undefined : trimmed;
}

function digest(value: string): Buffer {
  return createHash("sha256").update(value).digest();
}
