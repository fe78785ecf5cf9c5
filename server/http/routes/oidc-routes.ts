import { Router, type Request } from "express";
import { z } from "zod";
import type { RoleMapping } from "../../config/app-config.js";
import { resolveRole } from "../../config/role-mapping.js";
import { SIGN_IN_ERROR_PARAM, type SignInError } from "../../../shared/auth.js";
import { isAppError } from "../../domain/app-error.js";
import type { SessionStore } from "../../domain/ports/session-store.js";
import { handle } from "../middleware/handler.js";
import { writeNoAccess, NO_ACCESS_COOKIE } from "../no-access-cookie.js";
import type { OidcClient, OidcIdentity, OidcTransaction } from "../oidc/oidc-client.js";
import { startSession } from "../session-cookie.js";
import type { SignedCookies } from "../signed-cookie.js";

/** The cookie holding the sign-in transaction, only sent to the callback. */
const TRANSACTION_COOKIE = "pb_oidc";
const TRANSACTION_PATH = "/api/auth/oidc";
/** How long someone may take at the identity provider. */
const TRANSACTION_MAX_AGE_MS = 10 * 60_000;

const LoginQuerySchema = z.object({ returnTo: z.string().max(2000).optional() }).loose();
const TransactionSchema = z.object({
  state: z.string(),
  nonce: z.string(),
  codeVerifier: z.string(),
  redirectUri: z.string(),
  returnTo: z.string(),
});

/** Dependencies of the OpenID Connect routes. */
export interface OidcRouteDeps {
  oidc: OidcClient;
  redirectUrl: string | null;
  roles: RoleMapping;
  sessions: SessionStore;
  cookies: SignedCookies;
  sessionTtlMs: number;
  now: () => Date;
}

/**
 * `AUTH_MODE=oidc`: `/api/auth/oidc/login` sends the browser to the identity provider;
 * `/api/auth/oidc/callback` takes it back, checks everything, and starts a database
 * session (or marks the browser "signed in without a role") before returning to the app.
 */
export function oidcRoutes(deps: OidcRouteDeps): Router {
  const router = Router();
  router.get(
    "/auth/oidc/login",
    handle({ permission: "public", query: LoginQuerySchema }, async ({ query, req, res }) => {
      const redirectUri = deps.redirectUrl ?? `${origin(req)}/api/auth/oidc/callback`;
      const { url, transaction } = await deps.oidc.start(redirectUri, safeReturnTo(query.returnTo));
      deps.cookies.write(req, res, TRANSACTION_COOKIE, transaction, {
        maxAgeMs: TRANSACTION_MAX_AGE_MS,
        path: TRANSACTION_PATH,
      });
      res.redirect(302, url);
    }),
  );

  router.get(
    "/auth/oidc/callback",
    handle({ permission: "public" }, async ({ req, res }) => {
      const stored = TransactionSchema.safeParse(deps.cookies.read(req, TRANSACTION_COOKIE));
      // One use only, whatever happens next.
      deps.cookies.clear(req, res, TRANSACTION_COOKIE, TRANSACTION_PATH);
      const query = req.originalUrl.includes("?")
        ? req.originalUrl.slice(req.originalUrl.indexOf("?"))
        : "";
      // A person is looking at this page: failures go back to the app's sign-in page,
      // which explains them, rather than ending on a JSON error body.
      const fail = (reason: SignInError, error?: unknown): void => {
        req.log.warn({ reason, err: error }, "oidc sign-in failed");
        res.redirect(302, `/?${SIGN_IN_ERROR_PARAM}=${reason}`);
      };
      if (!stored.success) return fail("expired");
      const providerError = new URLSearchParams(query).get("error");
      if (providerError !== null) {
        return fail(DENIALS.has(providerError) ? "denied" : "failed", providerError);
      }
      const transaction: OidcTransaction = stored.data;
      let identity: OidcIdentity;
      try {
        identity = await deps.oidc.finish(query, transaction);
      } catch (error) {
        return fail(
          isAppError(error) && error.code === "internal" ? "unavailable" : "failed",
          error,
        );
      }
      const role = resolveRole(deps.roles, identity);
      if (role === null) {
        req.log.info({ user: identity.email }, "signed in without a role");
        writeNoAccess(deps.cookies, req, res, { email: identity.email, name: identity.name });
        res.redirect(302, "/");
        return;
      }
      const user = { email: identity.email, name: identity.name, role };
      await startSession({ ...deps, req, res, user, groups: identity.groups });
      deps.cookies.clear(req, res, NO_ACCESS_COOKIE);
      req.log.info({ user: user.email, role }, "signed in");
      res.redirect(302, transaction.returnTo);
    }),
  );
  return router;
}

/** OAuth error codes that mean the person (or the provider's policy) said no. */
const DENIALS = new Set([
  "access_denied",
  "consent_required",
  "interaction_required",
  "login_required",
  "account_selection_required",
]);

/** The app's own origin as the browser sees it (trust proxy decides what counts). */
export function origin(req: Request): string {
  return `${req.protocol}://${req.get("host") ?? "localhost"}`;
}

/** Only same-site app paths: never `//evil.example` or an absolute URL (open redirect). */
export function safeReturnTo(value: string | undefined): string {
  if (value === undefined || !/^\/(?![/\\])/.test(value) || /[\r\n]/.test(value)) return "/";
  return value.startsWith("/api/") ? "/" : value;
}
