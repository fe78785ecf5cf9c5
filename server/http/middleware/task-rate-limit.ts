import { rateLimit } from "express-rate-limit";
import type { RequestHandler } from "express";
import { AppError } from "../../domain/app-error.js";
import { findRequestUser } from "../request-user.js";

/** The routes (under /api) that start an agent run: create, free-form, retry, follow-up. */
const STARTS_A_RUN = /^\/(?:tasks|codex\/task|tasks\/[^/]+\/(?:retry|messages))\/?$/;

/**
 * Limits how many agent runs one person (or service token) may start per minute: each
 * costs model tokens and a worktree, and a stuck script or a leaked token should not be
 * able to queue hundreds. Counted per user, not per address, since a whole office can
 * share one. Unauthenticated requests pass through to be refused by the route (401).
 */
export function taskRateLimit(perMinute: number): RequestHandler {
  return rateLimit({
    windowMs: 60_000,
    limit: perMinute,
    standardHeaders: "draft-8",
    legacyHeaders: false,
    skip: (req) =>
      req.method !== "POST" || !STARTS_A_RUN.test(req.path) || findRequestUser(req) === undefined,
    keyGenerator: (req) => `user:${findRequestUser(req)?.email.toLowerCase() ?? ""}`,
    handler: (_req, _res, next) => {
      next(
        new AppError(
          "rate_limited",
          `You have started ${perMinute} tasks in the last minute; wait a minute and try again`,
        ),
      );
    },
  });
}
