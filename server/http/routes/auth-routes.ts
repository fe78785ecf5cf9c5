import { Router } from "express";
import {
  DevLoginRequestSchema,
  type AuthConfigResponse,
  type LogoutResponse,
} from "../../../shared/auth.js";
import type { MeResponse } from "../../../shared/user.js";
import type { BaseConfig } from "../../config/app-config.js";
import { AppError } from "../../domain/app-error.js";
import type { SessionStore } from "../../domain/ports/session-store.js";
import { handle } from "../middleware/handler.js";
import { NO_ACCESS_COOKIE } from "../no-access-cookie.js";
import type { OidcClient } from "../oidc/oidc-client.js";
import { findRequestUser, requireRequestUser } from "../request-user.js";
import {
  clearSessionCookie,
  hashSessionSecret,
  readSessionCookie,
  startSession,
} from "../session-cookie.js";
import type { SignedCookies } from "../signed-cookie.js";
import { origin } from "./oidc-routes.js";

/** Dependencies of the sign-in routes. */
export interface AuthRouteDeps {
  config: Pick<BaseConfig, "mode"> & {
    auth: Pick<BaseConfig["auth"], "mode" | "devUsers" | "sessionTtlMs"> & {
      oidc?: BaseConfig["auth"]["oidc"];
    };
  };
  sessions: SessionStore;
  now: () => Date;
  cookies?: SignedCookies;
  /** Set with AUTH_MODE=oidc. */
  oidc?: OidcClient | null;
}

/** Sign-in, sign-out and who am I. */
export function authRoutes(deps: AuthRouteDeps): Router {
  const router = Router();
  const { auth } = deps.config;

  router.get(
    "/auth/config",
    handle({ permission: "public" }, ({ res }) => {
      const body: AuthConfigResponse = {
        mode: auth.mode,
        sandbox: deps.config.mode === "sandbox",
        devUsers: auth.mode === "dev" ? auth.devUsers : [],
        ...(auth.mode === "oidc" ? { loginUrl: "/api/auth/oidc/login" } : {}),
      };
      res.json(body);
    }),
  );

  router.post(
    "/auth/dev-login",
    handle({ permission: "public", body: DevLoginRequestSchema }, async ({ body, req, res }) => {
      if (auth.mode !== "dev") throw new AppError("not_found", "Dev sign-in is not enabled");
      const user = auth.devUsers.find((u) => u.email.toLowerCase() === body.email.toLowerCase());
      if (user === undefined) {
        throw new AppError("unauthorized", `${body.email} is not in PATCHBOARD_DEV_USERS`);
      }
      await startSession({
        sessions: deps.sessions,
        sessionTtlMs: auth.sessionTtlMs,
        now: deps.now,
        req,
        res,
        user,
        groups: null,
      });
      req.log.info({ user: user.email }, "signed in");
      const me: MeResponse = { user };
      res.json(me);
    }),
  );

  router.post(
    "/auth/logout",
    handle({ permission: "public" }, async ({ req, res }) => {
      const secret = readSessionCookie(req);
      if (secret !== undefined) await deps.sessions.delete(hashSessionSecret(secret));
      clearSessionCookie(req, res);
      deps.cookies?.clear(req, res, NO_ACCESS_COOKIE);
      // RP-initiated logout: end the identity provider's session too, when it offers one.
      const postLogout = auth.oidc?.postLogoutRedirectUrl ?? `${origin(req)}/`;
      const logoutUrl = deps.oidc ? await deps.oidc.logoutUrl(postLogout) : null;
      if (logoutUrl === null) {
        res.status(204).end();
        return;
      }
      const body: LogoutResponse = { logoutUrl };
      res.json(body);
    }),
  );

  router.get(
    "/me",
    handle({ permission: "public" }, ({ req, res }) => {
      // 401 for nobody, 403 `forbidden` (with who) for someone signed in without a role.
      const user = findRequestUser(req) ?? requireRequestUser(req);
      const me: MeResponse = { user };
      res.json(me);
    }),
  );
  return router;
}
