import { existsSync } from "node:fs";
import path from "node:path";
import express, { type Express } from "express";
import { pinoHttp } from "pino-http";
import type { Logger } from "pino";
import { randomUUID } from "node:crypto";
import type { BaseConfig } from "./config/app-config.js";
import type { SessionStore } from "./domain/ports/session-store.js";
import type { TaskQueue } from "./domain/ports/task-queue.js";
import type { TaskStatsQuery } from "./domain/ports/task-stats.js";
import type { TaskDeps } from "./domain/task-deps.js";
import { authenticate } from "./http/middleware/authenticate.js";
import { apiNotFound, errorHandler } from "./http/middleware/error-handler.js";
import { authRoutes } from "./http/routes/auth-routes.js";
import { historyRoutes } from "./http/routes/history-routes.js";
import { metaRoutes } from "./http/routes/meta-routes.js";
import { taskEventRoutes } from "./http/routes/task-event-routes.js";
import { taskRoutes } from "./http/routes/task-routes.js";
import { ticketRoutes } from "./http/routes/ticket-routes.js";

/** Everything the HTTP app needs, built by `main.ts` (or a test) and passed in. */
export interface AppDeps {
  config: Pick<BaseConfig, "mode" | "version" | "auth" | "pricing">;
  /** Jira's web address, for links. */
  jiraBaseUrl: string;
  logger: Logger;
  tasks: TaskDeps & { queue: TaskQueue };
  sessions: SessionStore;
  stats: TaskStatsQuery;
  /** The built web app to serve, if any (`dist/web`). */
  webDir?: string | null;
}

/** The largest JSON body accepted; prompts and follow-ups are far smaller. */
const JSON_LIMIT = "100kb";

/** Builds the Express app from its dependencies. No module-level state. */
export function createApp(deps: AppDeps): Express {
  const app = express();
  app.disable("x-powered-by");
  app.set("trust proxy", "loopback");
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
  api.use(express.json({ limit: JSON_LIMIT }));
  api.use(authenticate({ apiTokens: deps.config.auth.apiTokens, sessions: deps.sessions }));
  api.use(
    metaRoutes({ config: deps.config, jiraBaseUrl: deps.jiraBaseUrl, repos: deps.tasks.repos }),
  );
  api.use(authRoutes({ config: deps.config, sessions: deps.sessions, now: deps.tasks.now }));
  api.use(ticketRoutes(deps.tasks));
  // Before /tasks/:id, which would otherwise take "stats" for an id.
  api.use(historyRoutes({ stats: deps.stats }));
  api.use(taskEventRoutes(deps.tasks));
  api.use(taskRoutes(deps.tasks));
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
