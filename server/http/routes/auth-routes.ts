import { Router } from "express";
import { DevLoginRequestSchema, type AuthConfigResponse } from "../../../shared/auth.js";
import type { MeResponse } from "../../../shared/user.js";
import type { BaseConfig } from "../../config/app-config.js";
import { AppError } from "../../domain/app-error.js";
import type { SessionStore } from "../../domain/ports/session-store.js";
import { handle } from "../middleware/handler.js";
import { findRequestUser } from "../request-user.js";
import {
  clearSessionCookie,
  hashSessionSecret,
  newSessionSecret,
  readSessionCookie,
  writeSessionCookie,
} from "../session-cookie.js";

/** Sign-in, sign-out and who am I. */
export function authRoutes(deps: {
  config: Pick<BaseConfig, "mode" | "auth">;
  sessions: SessionStore;
  now: () => Date;
}): Router {
  const router = Router();
  const { auth } = deps.config;

  router.get(
    "/auth/config",
    handle({ permission: "public" }, ({ res }) => {
      const body: AuthConfigResponse = {
        mode: auth.mode,
        sandbox: deps.config.mode === "sandbox",
        devUsers: auth.mode === "dev" ? auth.devUsers : [],
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
      const { secret, idHash } = newSessionSecret();
      const now = deps.now();
      await deps.sessions.create({
        idHash,
        user,
        createdAt: now.toISOString(),
        expiresAt: new Date(now.getTime() + auth.sessionTtlMs).toISOString(),
      });
      writeSessionCookie(req, res, secret, auth.sessionTtlMs);
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
      res.status(204).end();
    }),
  );

  router.get(
    "/me",
    handle({ permission: "public" }, ({ req, res }) => {
      const user = findRequestUser(req);
      if (user === undefined) throw new AppError("unauthorized", "Sign in first");
      const me: MeResponse = { user };
      res.json(me);
    }),
  );
  return router;
}
