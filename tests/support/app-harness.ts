import { pino } from "pino";
import supertest from "supertest";
import {
  createSqliteSessionStore,
  createSqliteTaskStore,
  createStatsQuery,
  openSqliteDatabase,
} from "../../server/adapters/storage/index.js";
import { createApp } from "../../server/app.js";
import type { BaseConfig } from "../../server/config/app-config.js";
import { TaskRunner } from "../../server/domain/tasks/task-runner.js";
import { runTask } from "../../server/domain/tasks/run-task.js";
import { domainHarness } from "./fakes/domain-harness.js";

/** Service tokens for each role, as PATCHBOARD_API_TOKENS would give them. */
export const TOKENS = {
  pm: "pm-token-0123456789abcdef",
  engineer: "engineer-token-0123456789ab",
  admin: "admin-token-0123456789abcdef",
} as const;

/**
 * The HTTP app on a real SQLite database (in memory) with in-memory Jira, GitHub, git
 * and agent fakes: for route tests with supertest.
 */
export async function appHarness() {
  const h = domainHarness();
  const db = await openSqliteDatabase({ file: ":memory:", logger: pino({ level: "silent" }) });
  const store = createSqliteTaskStore(db);
  const deps = { ...h.deps, store };
  const runner = new TaskRunner({
    store,
    run: (taskId, signal) => runTask(deps, taskId, signal),
    concurrency: 2,
    logger: deps.logger,
  });
  const config: Pick<BaseConfig, "mode" | "version" | "auth" | "pricing"> = {
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
    },
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
    logger: pino({ level: "silent" }),
    tasks: { ...deps, queue: runner },
    sessions: createSqliteSessionStore(db),
    stats: createStatsQuery(db),
    webDir: null,
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
