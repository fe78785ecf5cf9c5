import { existsSync } from "node:fs";
import path from "node:path";
import express, { type Express } from "express";
import { pinoHttp } from "pino-http";
import type { Logger } from "pino";
import { randomBytes, randomUUID } from "node:crypto";
import { createMemoryRunGate, DEFAULT_RUNS_PER_MINUTE } from "./adapters/limits/memory-run-gate.js";
import {
  createMemoryConcurrencyLimiter,
  createMemoryRateLimiter,
  DEFAULT_DIFFS_PER_MINUTE,
  DEFAULT_EVENT_STREAMS_PER_PERSON,
} from "./adapters/limits/memory-request-limits.js";
import { createTaskDiffs } from "./domain/tasks/task-diffs.js";
import type { RunGate } from "./domain/ports/run-gate.js";
import type { BaseConfig, RoleMapping } from "./config/app-config.js";
import type { SessionStore } from "./domain/ports/session-store.js";
import type { TaskQueue } from "./domain/ports/task-queue.js";
import type { TaskStatsQuery } from "./domain/ports/task-stats.js";
import type { TaskDeps } from "./domain/task-deps.js";
import { authenticate } from "./http/middleware/authenticate.js";
import { csrfProtection } from "./http/middleware/csrf.js";
import { securityHeaders } from "./http/middleware/security-headers.js";
import { OidcClient } from "./http/oidc/oidc-client.js";
import { oidcRoutes } from "./http/routes/oidc-routes.js";
import { SignedCookies } from "./http/signed-cookie.js";
import { apiNotFound, errorHandler } from "./http/middleware/error-handler.js";
import { auditRoutes } from "./http/routes/audit-routes.js";
import { authRoutes } from "./http/routes/auth-routes.js";
import { historyRoutes } from "./http/routes/history-routes.js";
import { budgetRoutes } from "./http/routes/budget-routes.js";
import { metaRoutes } from "./http/routes/meta-routes.js";
import { reviewRoutes, type ReviewRouteService } from "./http/routes/review-routes.js";
import { taskEventRoutes } from "./http/routes/task-event-routes.js";
import { serviceRoutes } from "./http/routes/service-routes.js";
import { sessionRoutes } from "./http/routes/session-routes.js";
import { taskRoutes } from "./http/routes/task-routes.js";
import { ticketRoutes } from "./http/routes/ticket-routes.js";
import { webhookRoutes, type WebhookRouteDeps } from "./http/routes/webhook-routes.js";

/** Everything the HTTP app needs, built by `main.ts` (or a test) and passed in. */
export interface AppDeps {
  config: Pick<BaseConfig, "mode" | "version" | "auth" | "pricing" | "security">;
  /** Jira's web address, for links. */
  jiraBaseUrl: string;
  logger: Logger;
  /** `gate`: the per-person run budget, shared with automated starts (webhooks); made here when absent. */
  tasks: TaskDeps & { queue: TaskQueue; gate?: RunGate | undefined };
  sessions: SessionStore;
  stats: TaskStatsQuery;
  /** The built web app to serve, if any (`dist/web`). */
  webDir?: string | null;
  /** The nightly pull request review; without it the review routes are not mounted. */
  reviews?: ReviewRouteService | undefined;
  /** GitHub and Jira webhooks; without them both routes answer 401 to everything. */
  webhooks?: WebhookRouteDeps | undefined;
}

/** The largest JSON body accepted; prompts and follow-ups are far smaller. */
const JSON_LIMIT = "100kb";

/** GitHub's largest webhook payloads (a check suite of a big push) stay well under this. */
const WEBHOOK_LIMIT = "5mb";

const NO_ROLES: RoleMapping = {
  groups: { pm: [], engineer: [], admin: [] },
  emails: { pm: [], engineer: [], admin: [] },
};

/** Builds the Express app from its dependencies. No module-level state. */
export function createApp(deps: AppDeps): Express {
  const app = express();
  const { auth, security } = deps.config;
  app.disable("x-powered-by");
  // Only named proxies may say the request was https (Secure cookies) or whose it was.
  app.set("trust proxy", security?.trustProxy ?? ["loopback"]);
  app.use(securityHeaders());
  app.use(
    pinoHttp({
      logger: deps.logger,
      genReqId: (req, res) => {
        const id = randomUUID();
        res.setHeader("X-Request-Id", id);
        return id;
      },
      customLogLevel: (_req, res, error) =>
        error || res.statusCode >= 500 ? "error" : res.statusCode >= 400 ? "info" : "debug",
      autoLogging: { ignore: (req) => req.url === "/api/health" },
    }),
  );

  const api = express.Router();
  const cookies = new SignedCookies(auth.sessionSecret ?? randomBytes(48).toString("base64url"));
  const roles = auth.roles ?? NO_ROLES;
  const oidc =
    auth.mode === "oidc" && auth.oidc
      ? new OidcClient(auth.oidc, deps.logger.child({ auth: "oidc" }), {
          requireVerifiedEmail: Object.values(roles.emails).some((list) => list.length > 0),
        })
      : null;
  // Webhook signatures are over the exact bytes sent: those routes keep the raw body.
  api.use("/webhooks", express.raw({ type: () => true, limit: WEBHOOK_LIMIT }));
  api.use(express.json({ limit: JSON_LIMIT }));
  api.use(
    authenticate({
      apiTokens: auth.apiTokens,
      sessions: deps.sessions,
      proxy: auth.mode === "proxy" ? (auth.proxy ?? null) : null,
      roles,
      cookies,
      devUsers: auth.mode === "dev" ? auth.devUsers : null,
    }),
  );
  api.use(csrfProtection({ ambientIdentity: auth.mode === "proxy" }));
  // Every use case that starts an agent run takes it from the person's per-minute budget.
  const gate =
    deps.tasks.gate ??
    createMemoryRunGate({
      perWindow: security?.taskRateLimitPerMinute ?? DEFAULT_RUNS_PER_MINUTE,
    });
  api.use(
    metaRoutes({ config: deps.config, jiraBaseUrl: deps.jiraBaseUrl, repos: deps.tasks.repos }),
  );
  api.use(
    authRoutes({
      config: deps.config,
      sessions: deps.sessions,
      now: deps.tasks.now,
      cookies,
      oidc,
    }),
  );
  if (oidc !== null) {
    api.use(
      oidcRoutes({
        oidc,
        redirectUrl: auth.oidc?.redirectUrl ?? null,
        roles,
        sessions: deps.sessions,
        cookies,
        sessionTtlMs: auth.sessionTtlMs,
        now: deps.tasks.now,
      }),
    );
  }
  api.use(
    sessionRoutes({
      sessions: deps.sessions,
      roles,
      devUsers: auth.mode === "dev" ? auth.devUsers : null,
    }),
  );
  api.use(ticketRoutes(deps.tasks));
  // Before /tasks/:id, which would otherwise take "stats" for an id.
  api.use(historyRoutes({ stats: deps.stats, pricing: deps.config.pricing }));
  api.use(budgetRoutes(deps.tasks));
  api.use(serviceRoutes(deps.tasks));
  api.use(auditRoutes(deps.tasks));
  // What a page left open or refreshed in a loop costs is capped per person (in-process).
  const streams = createMemoryConcurrencyLimiter({
    perPerson: security?.eventStreamsPerPerson ?? DEFAULT_EVENT_STREAMS_PER_PERSON,
  });
  const diffs = createTaskDiffs({
    ...deps.tasks,
    limiter: createMemoryRateLimiter({
      perWindow: security?.diffRateLimitPerMinute ?? DEFAULT_DIFFS_PER_MINUTE,
    }),
  });
  api.use(taskEventRoutes({ ...deps.tasks, streams }));
  api.use(taskRoutes({ ...deps.tasks, gate, diffs }));
  if (deps.reviews) api.use(reviewRoutes(deps.reviews));
  if (deps.webhooks) api.use(webhookRoutes(deps.webhooks));
  api.use(apiNotFound);
  app.use("/api", api);

  const webDir = deps.webDir;
  if (webDir && existsSync(path.join(webDir, "index.html"))) {
    app.use(express.static(webDir, { index: false, maxAge: "1h" }));
    // Client-side routes: every other GET gets the app's shell.
    app.get(/^\/(?!api\/).*/, (_req, res) => {
      res.sendFile(path.join(webDir, "index.html"), { maxAge: 0 });
    });
  }
  app.use(errorHandler);
  return app;
}
