import { pino, type Logger } from "pino";
import supertest from "supertest";
import {
  createSessionStore,
  createTaskStore,
  createStatsQuery,
  createUsageLedger,
  openSqliteDatabase,
} from "../../server/adapters/storage/index.js";
import { createApp, type AppDeps } from "../../server/app.js";
import type { BaseConfig } from "../../server/config/app-config.js";
import { BudgetMeter } from "../../server/domain/budgets/budget-meter.js";
import { NO_BUDGETS, type BudgetSettings } from "../../server/domain/budgets/budget-settings.js";
import type { TaskDeps } from "../../server/domain/task-deps.js";
import { TaskRunner } from "../../server/domain/tasks/task-runner.js";
import { runTask } from "../../server/domain/tasks/run-task.js";
import { domainHarness } from "./fakes/domain-harness.js";
import { testBaseConfig } from "./test-config.js";

/** Service tokens for each role, as PATCHBOARD_API_TOKENS would give them. */
export const TOKENS = {
  pm: "pm-token-0123456789abcdef",
  engineer: "engineer-token-0123456789ab",
  admin: "admin-token-0123456789abcdef",
} as const;

/** The harness's token prices (USD): 100,000 input tokens cost 0.10. */
export const PRICING = testBaseConfig().pricing;

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
  /** The session store (to share one between two apps, as a restart would); SQLite by default. */
  sessions?: AppDeps["sessions"];
  /** The history queries (e.g. a scripted CSV export); SQLite by default. */
  stats?: AppDeps["stats"];
  /** A real issue tracker (e.g. the Jira adapter on the fake Jira) instead of the in-memory one. */
  tracker?: TaskDeps["tracker"];
  /** Meters model usage on the SQLite ledger with these budgets (none: the app meters nothing). */
  budgets?: Partial<BudgetSettings>;
}

/**
 * The HTTP app on a real SQLite database (in memory) with in-memory Jira, GitHub, git
 * and agent fakes: for route tests with supertest.
 */
export async function appHarness(options: AppHarnessOptions = {}) {
  const h = domainHarness(options.settings);
  const db = await openSqliteDatabase({ file: ":memory:", logger: pino({ level: "silent" }) });
  const store = createTaskStore(db);
  const meter =
    options.budgets === undefined
      ? undefined
      : new BudgetMeter({
          ledger: createUsageLedger(db),
          budgets: { ...NO_BUDGETS, ...options.budgets },
          pricing: PRICING,
          now: () => h.deps.now(),
          store,
          hub: h.deps.hub,
          logger: pino({ level: "silent" }),
        });
  const deps = {
    ...h.deps,
    store,
    ...(meter ? { budgets: meter } : {}),
    ...(options.logger ? { logger: options.logger } : {}),
    ...(options.tracker ? { tracker: options.tracker } : {}),
  };
  const runner = new TaskRunner({
    store,
    run: (taskId, signal) => runTask(deps, taskId, signal),
    concurrency: 2,
    logger: deps.logger,
  });
  const config = testBaseConfig({
    version: "1.2.3",
    auth: {
      devUsers: [
        { email: "pat@acme.test", name: "Pat", role: "pm" },
        { email: "eve@acme.test", name: "Eve", role: "engineer" },
      ],
      apiTokens: (Object.keys(TOKENS) as (keyof typeof TOKENS)[]).map((role) => ({
        token: TOKENS[role],
        user: { email: `${role}@acme.test`, name: role, role },
      })),
      ...options.auth,
    },
    ...(options.security ? { security: options.security } : {}),
  });
  const app = createApp({
    config,
    jiraBaseUrl: "https://jira.example",
    logger: options.logger ?? pino({ level: "silent" }),
    // The app's own run budget, from `security` above (not the domain harness's generous one).
    tasks: { ...deps, queue: runner, gate: undefined },
    sessions: options.sessions ?? createSessionStore(db),
    stats: options.stats ?? createStatsQuery(db),
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
    meter,
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
