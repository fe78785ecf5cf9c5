import { pino, type Logger } from "pino";
import supertest from "supertest";
import {
  createSqliteSessionStore,
  createSqliteTaskStore,
  createStatsQuery,
  openSqliteDatabase,
} from "../../server/adapters/storage/index.js";
import { createApp, type AppDeps } from "../../server/app.js";
import type { BaseConfig } from "../../server/config/app-config.js";
import type { TaskDeps } from "../../server/domain/task-deps.js";
import { TaskRunner } from "../../server/domain/tasks/task-runner.js";
import { runTask } from "../../server/domain/tasks/run-task.js";
import { domainHarness } from "./fakes/domain-harness.js";

/** Service tokens for each role, as PATCHBOARD_API_TOKENS would give them. */
export const TOKENS = {
  pm: "pm-token-0123456789abcdef",
  engineer: "engineer-token-0123456789ab",
  admin: "admin-token-0123456789abcdef",
} as const;

/** What a test may change about the harness's app (sign-in modes, logging, the guard). */
export interface AppHarnessOptions {
  auth?: Partial<BaseConfig["auth"]>;
  security?: BaseConfig["security"];
  logger?: Logger;
  settings?: Partial<TaskDeps["settings"]>;
  /** Mounts the review routes on this service (the route walk needs every route). */
  reviews?: AppDeps["reviews"];
  /** Serves this built web app too (browser tests); none by default. */
  webDir?: string;
}

/**
 * The HTTP app on a real SQLite database (in memory) with in-memory Jira, GitHub, git
 * and agent fakes: for route tests with supertest.
 */
export async function appHarness(options: AppHarnessOptions = {}) {
  const h = domainHarness(options.settings);
  const db = await openSqliteDatabase({ file: ":memory:", logger: pino({ level: "silent" }) });
  const store = createSqliteTaskStore(db);
  const deps = { ...h.deps, store, ...(options.logger ? { logger: options.logger } : {}) };
  const runner = new TaskRunner({
    store,
    run: (taskId, signal) => runTask(deps, taskId, signal),
    concurrency: 2,
    logger: deps.logger,
  });
  const config: Pick<BaseConfig, "mode" | "version" | "auth" | "pricing" | "security"> = {
    mode: "production",
    version: "1.2.3",
    auth: {
      mode: "dev",
      devUsers: [
        { email: "pat@acme.test", name: "Pat", role: "pm" },
        { email: "eve@acme.test", name: "Eve", role: "engineer" },
      ],
      apiTokens: (Object.keys(TOKENS) as (keyof typeof TOKENS)[]).map((role) => ({
        token: TOKENS[role],
        user: { email: `${role}@acme.test`, name: role, role },
      })),
      sessionTtlMs: 3_600_000,
      ...options.auth,
    },
    ...(options.security ? { security: options.security } : {}),
    pricing: {
      currency: "USD",
      inputPerMillion: 1,
      cachedInputPerMillion: 0.1,
      outputPerMillion: 10,
    },
  };
  const app = createApp({
    config,
    jiraBaseUrl: "https://jira.example",
    logger: options.logger ?? pino({ level: "silent" }),
    tasks: { ...deps, queue: runner },
    sessions: createSqliteSessionStore(db),
    stats: createStatsQuery(db),
    webDir: options.webDir ?? null,
    ...(options.reviews ? { reviews: options.reviews } : {}),
  });
  const request = supertest(app);
  const as = (role: keyof typeof TOKENS) => ({
    get: (url: string) => request.get(url).set("Authorization", `Bearer ${TOKENS[role]}`),
    post: (url: string) => request.post(url).set("Authorization", `Bearer ${TOKENS[role]}`),
  });
  return {
    ...h,
    store,
    runner,
    app,
    request,
    as,
    close: async () => {
      await runner.stop();
      await db.close();
    },
  };
}
