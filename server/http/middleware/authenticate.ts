import { timingSafeEqual, createHash } from "node:crypto";
import type { Request, RequestHandler } from "express";
import type { ApiToken, ProxySettings, RoleMapping } from "../../config/app-config.js";
import { IpAllowList } from "../../config/ip-allow-list.js";
import { nameFromEmail } from "../../config/parse-users.js";
import { resolveRole } from "../../config/role-mapping.js";
import type { User } from "../../../shared/user.js";
import type { Session, SessionStore } from "../../domain/ports/session-store.js";
import { AppError } from "../../domain/app-error.js";
import { recordSessionSeen } from "../../domain/sessions/record-session-seen.js";
import { readNoAccess } from "../no-access-cookie.js";
import { setRequestUser, setUnassignedIdentity } from "../request-user.js";
import { hashSessionSecret, readSessionCookie } from "../session-cookie.js";
import { currentUser } from "../session-role.js";
import type { SignedCookies } from "../signed-cookie.js";

/** What authentication needs. */
export interface AuthenticateDeps {
  apiTokens: ApiToken[];
  sessions: SessionStore;
  /** Set with AUTH_MODE=proxy: trust an identity header from the proxy's addresses. */
  proxy?: ProxySettings | null;
  roles?: RoleMapping;
  cookies?: SignedCookies;
  /** With AUTH_MODE=dev: the configured people, whose listed role a dev session gets. */
  devUsers?: User[] | null;
  /** The clock a session's last-seen time is recorded with (tests move it). */
  now?: () => Date;
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
  const now = deps.now ?? (() => new Date());
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
        const user = currentUser(session, deps);
        if (user === null) setUnassignedIdentity(req, session.user);
        else setRequestUser(req, user);
        req.log = req.log.child({ user: session.user.email });
        await noteSeen(deps.sessions, session, now(), req);
        next();
        return;
      }
    }
    const noAccess = deps.cookies ? readNoAccess(deps.cookies, req) : undefined;
    if (noAccess !== undefined) setUnassignedIdentity(req, noAccess);
    next();
  };
}

/**
 * Keeps the session's last-seen time for the admin Sessions page. It is bookkeeping: a
 * database hiccup while writing it is logged, and the person's request goes on.
 */
async function noteSeen(
  sessions: SessionStore,
  session: Session,
  at: Date,
  req: Request,
): Promise<void> {
  try {
    await recordSessionSeen({ sessions }, session, at);
  } catch (error) {
    req.log.warn({ err: error }, "could not record when the session was last seen");
  }
}

function fromProxy(req: Request, proxy: ProxySettings, roles: RoleMapping | undefined): void {
  refuseRepeated(req, [proxy.emailHeader, proxy.nameHeader, proxy.groupsHeader]);
  const email = single(req.headers[proxy.emailHeader]);
  if (email === undefined || !email.includes("@")) return;
  if (/[\s,;]/.test(email)) {
    throw new AppError(
      "unauthorized",
      `The ${proxy.emailHeader} header holds more than one address`,
    );
  }
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

/**
 * A proxy that appends its identity headers instead of replacing the client's would hand
 * over both copies (Node joins them with ", ", which for groups would add the client's
 * own); a header that arrives more than once is refused rather than guessed at.
 */
function refuseRepeated(req: Request, names: (string | null)[]): void {
  const wanted = new Set(names.filter((n): n is string => n !== null).map((n) => n.toLowerCase()));
  const seen = new Set<string>();
  for (let i = 0; i < req.rawHeaders.length; i += 2) {
    const name = (req.rawHeaders[i] ?? "").toLowerCase();
    if (!wanted.has(name)) continue;
    if (seen.has(name)) {
      throw new AppError("unauthorized", `The identity header ${name} was sent more than once`);
    }
    seen.add(name);
  }
}

function single(value: string | string[] | undefined): string | undefined {
  const text = Array.isArray(value) ? value[0] : value;
  const trimmed = text?.trim();
  return trimmed === "" ? undefined : trimmed;
}

function digest(value: string): Buffer {
  return createHash("sha256").update(value).digest();
}
