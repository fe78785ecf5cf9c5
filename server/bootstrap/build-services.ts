import { mkdirSync } from "node:fs";
import path from "node:path";
import type { Logger } from "pino";
import {
  createAgentHomeDirs,
  createCodexAgent,
  createThreadRollouts,
  type CodexProviderTuning,
} from "../adapters/codex/index.js";
import {
  createEnvironmentHomeDirs,
  createGitWorkspaces,
  DEFAULT_WARM_WORKTREES,
} from "../adapters/git/index.js";
import { createGitHubHost } from "../adapters/github/index.js";
import { createJiraTracker } from "../adapters/jira/index.js";
import { OPENAI_API_URL, startModelGateway } from "../adapters/model-gateway/index.js";
import {
  createPullRequestStore,
  createWebhookDeliveryStore,
  createSessionStore,
  createTaskStore,
  createStatsQuery,
  createUsageLedger,
  createDatabaseRunGate,
  createTurnCheckpointStore,
  openDatabase,
  taskListChanges,
} from "../adapters/storage/index.js";
import type { AppConfig } from "../config/app-config.js";
import { publishGuardPolicy, secretValues } from "../config/secret-values.js";
import { Redactor } from "../domain/redaction/redactor.js";
import { BudgetMeter } from "../domain/budgets/budget-meter.js";
import { NO_BUDGETS } from "../domain/budgets/budget-settings.js";
import { withArchivedDiffs } from "../domain/janitor/archived-workspaces.js";
import { WorkspaceJanitor } from "../domain/janitor/workspace-janitor.js";
import { RepoRegistry } from "../domain/repo-registry.js";
import { ServiceCheck } from "../domain/service-check/service-check.js";
import type { TaskDeps } from "../domain/task-deps.js";
import { buildTaskQueue, type JobQueueTuning } from "./task-queue-services.js";
import { checkCodexCredentials } from "./codex-probe.js";
import { startEventHub } from "../adapters/events/index.js";
import { createFileDiffArchive } from "../adapters/diff-archive/file-diff-archive.js";
import { buildReviewService } from "./review-scheduler.js";
import { buildAgentSlots } from "./agent-slot-pool.js";
import { isolationProbe, resolveAgentIsolation } from "./agent-isolation.js";
import { prepareWarmWorktree } from "../domain/environment/prepare-warm-worktree.js";
import type { CommandSandbox } from "../domain/ports/command-sandbox.js";
import { buildEnvironmentDeps } from "./environment-services.js";
import type { AfterPrDeps } from "../domain/after-pr/after-pr-deps.js";
import { answerChecksAfterRun } from "../domain/after-pr/answer-after-run.js";
import type { WebhookDeliveryStore } from "../domain/ports/pull-request-store.js";
import {
  createMemoryRunGate,
  DEFAULT_RUNS_PER_MINUTE,
} from "../adapters/limits/memory-run-gate.js";

const HOUR_MS = 3_600_000;
const DEFAULT_CI_FIX_MAX_ROUNDS = 2;
const DEFAULT_REVIEW_MAX_ROUNDS = 5;

/** Tuning of what {@link buildServices} builds; tests keep retries and periods small. */
export interface ServiceOverrides {
  /** Codex's own retries of the model API (its defaults otherwise). */
  codexTuning?: CodexProviderTuning;
  /** How long a finished task keeps its worktree, and how often the janitor sweeps. */
  janitor?: { retentionMs?: number; intervalMs?: number };
  /** Where repository commands run (setup, tests); bubblewrap when the host has it. */
  sandbox?: CommandSandbox;
  /** Warm worktrees kept per repository (`DEFAULT_WARM_WORKTREES` unless told). */
  warmWorktrees?: number;
  /** pg-boss's retries and polling (PostgreSQL only). */
  jobQueue?: JobQueueTuning;
}

/** The real adapters and the task domain, wired from the configuration. */
export async function buildServices(
  config: AppConfig,
  logger: Logger,
  overrides: ServiceOverrides = {},
) {
  mkdirSync(config.dataDir, { recursive: true });
  mkdirSync(config.codexHome, { recursive: true });
  // Production refuses to start here when the agent cannot be isolated (AGENT_ISOLATION).
  const isolation = await resolveAgentIsolation(config, logger);
  const db = await openDatabase({
    url: config.database?.url ?? null,
    dataDir: config.dataDir,
    logger,
  });
  const store = createTaskStore(db);
  const agentHomesRoot = path.join(config.dataDir, "agent-homes");
  const environment = buildEnvironmentDeps(config, overrides.sandbox ?? isolation.sandbox, logger);
  const gitWorkspaces = createGitWorkspaces({
    root: path.join(config.dataDir, "workspaces"),
    logger: logger.child({ adapter: "git" }),
    pushToken: config.github.token,
    warmWorktrees: overrides.warmWorktrees ?? DEFAULT_WARM_WORKTREES,
    // Warm worktrees are prepared (setup, the base's tests) before a task claims one.
    prepareWarm: (repo, dir, commit, signal) =>
      prepareWarmWorktree(environment, { repo, dir, commit, signal }),
  });
  const diffArchive = createFileDiffArchive(path.join(config.dataDir, "diffs"));
  const pullRequests = createPullRequestStore(db);
  // In memory on SQLite; LISTEN/NOTIFY on PostgreSQL, so every node sees every event.
  // The same connection hears other nodes' task list writes, for the list cache.
  const listChanges = taskListChanges(db);
  const events = await startEventHub({
    db,
    databaseUrl: config.database?.url ?? null,
    store,
    logger,
    channels: listChanges?.channels,
  });
  listChanges?.follow(events.listener);
  const hub = events.hub;
  // The model gateway holds the key; Codex processes get a token of their task instead.
  const budgets = new BudgetMeter({
    ledger: createUsageLedger(db),
    budgets: config.budgets ?? NO_BUDGETS,
    pricing: config.pricing,
    now: () => new Date(),
    store,
    hub,
    logger: logger.child({ component: "budgets" }),
  });
  const gateway = await startModelGateway({
    upstreamUrl: config.codex.baseUrl ?? OPENAI_API_URL,
    apiKey: config.codex.apiKey,
    meter: budgets,
    logger: logger.child({ adapter: "model-gateway" }),
  });
  const deps: TaskDeps = {
    store,
    hub,
    tracker: createJiraTracker({
      baseUrl: config.jira.baseUrl,
      auth: config.jira.auth,
      jql: config.jira.jql,
      logger: logger.child({ adapter: "jira" }),
    }),
    codeHost: createGitHubHost({
      token: config.github.token,
      apiUrl: config.github.apiUrl,
      logger: logger.child({ adapter: "github" }),
    }),
    // A cleaned-up task's diff stays readable from the archive.
    workspaces: withArchivedDiffs(gitWorkspaces, diffArchive),
    agent: createCodexAgent({
      apiKey: config.codex.apiKey,
      baseUrl: config.codex.baseUrl,
      model: config.codex.model,
      codexHome: config.codexHome,
      // Each task (and review run) has its own HOME, CODEX_HOME and TMPDIR there.
      taskHomesRoot: agentHomesRoot,
      ...(isolation.launcher === undefined ? {} : { launcher: isolation.launcher }),
      logger: logger.child({ adapter: "codex" }),
      ...(overrides.codexTuning === undefined ? {} : { providerTuning: overrides.codexTuning }),
      gateway,
    }),
    repos: new RepoRegistry(config.repos),
    settings: {
      commitAuthor: { name: config.git.authorName, email: config.git.authorEmail },
      turnTimeoutMs: config.tasks.turnTimeoutMs,
      idleTimeoutMs: config.tasks.idleTimeoutMs,
      jiraTransitionOnStart: config.jira.transitionOnStart,
      jiraTransitionOnPr: config.jira.transitionOnPr,
      totalMaxConcurrent: config.tasks.totalMaxConcurrent ?? null,
      publishGuard: publishGuardPolicy(config),
    },
    logger,
    now: () => new Date(),
    environment,
    redactor: new Redactor(secretValues(config)),
    pullRequests,
    budgets,
    // Each turn's thread and files, for another worker to resume the task from.
    checkpoints: {
      store: createTurnCheckpointStore(db, { logger: logger.child({ component: "checkpoints" }) }),
      rollouts: createThreadRollouts({ root: agentHomesRoot }),
    },
  };
  const serviceCheck = new ServiceCheck({
    probes: [
      {
        name: "codex",
        check: () =>
          checkCodexCredentials({
            apiKey: config.codex.apiKey,
            baseUrl: config.codex.baseUrl,
            codexHome: config.codexHome,
          }),
      },
      { name: "jira", check: () => deps.tracker.checkAccess() },
      { name: "github", check: () => deps.codeHost.checkAccess() },
      ...(config.isolation === undefined ? [] : [isolationProbe(isolation)]),
    ],
    logger: logger.child({ component: "service-check" }),
  });
  deps.serviceStatus = serviceCheck;
  // One agent concurrency limit for fix tasks and nightly reviews (tasks served first),
  // shared with `npm run review` through the database.
  const slots = buildAgentSlots(config, db, logger);
  const { queue, runner, jobs } = await buildTaskQueue({
    config,
    deps,
    slots,
    logger,
    ...(overrides.jobQueue === undefined ? {} : { jobQueue: overrides.jobQueue }),
    // Checks that completed while the run was busy were not answered then: now they are.
    afterRun: async (taskId) => {
      await answerChecksAfterRun(afterPr, taskId);
    },
  });
  if (jobs !== null) deps.jobQueue = jobs;
  const janitorSettings = workspaceJanitorSettings(config, overrides);
  const janitor = new WorkspaceJanitor({
    store,
    workspaces: gitWorkspaces,
    archive: diffArchive,
    homes: [
      createAgentHomeDirs({ root: agentHomesRoot, sharedCodexHome: config.codexHome }),
      createEnvironmentHomeDirs({ root: path.join(config.dataDir, "environments") }),
    ],
    ...janitorSettings,
    logger: logger.child({ component: "janitor" }),
  });
  const hooks = config.hooks;
  // One run budget per person for clicks and automated starts alike (see app.ts); in the
  // database when other nodes take from the same budget.
  const perWindow = config.security?.taskRateLimitPerMinute ?? DEFAULT_RUNS_PER_MINUTE;
  const gate =
    db.dialect.name === "postgres"
      ? createDatabaseRunGate(db, { perWindow })
      : createMemoryRunGate({ perWindow });
  const afterPr: AfterPrDeps & { deliveries: WebhookDeliveryStore } = {
    ...deps,
    queue,
    gate,
    pullRequests,
    deliveries: createWebhookDeliveryStore(db),
    afterPr: {
      ciFixMaxRounds: hooks?.ciFixMaxRounds ?? DEFAULT_CI_FIX_MAX_ROUNDS,
      reviewMaxRounds: hooks?.reviewMaxRounds ?? DEFAULT_REVIEW_MAX_ROUNDS,
      mention: hooks?.githubMention ?? "@patchboard",
      jiraTransitionOnMerge: hooks?.jiraTransitionOnMerge ?? null,
    },
  };
  return {
    deps,
    gate,
    /** The isolation repository commands run in (setup, the server's test run). */
    commandSandbox: isolation.sandbox,
    afterPr,
    webhooks: {
      afterPr,
      githubSecret: hooks?.githubWebhookSecret ?? null,
      jiraSecret: hooks?.jiraWebhookSecret ?? null,
      jiraTriggerLabel: hooks?.jiraTriggerLabel ?? "patchboard-fix",
    },
    queue,
    runner,
    /** pg-boss on PostgreSQL (task runs, the review schedule); null on SQLite. */
    jobs,
    /** The live-event hub and, on PostgreSQL, the process's LISTEN connection. */
    events,
    /** Other nodes' task list writes as this node hears them (PostgreSQL; null on SQLite). */
    taskListChanges: listChanges,
    serviceCheck,
    janitor,
    reviews: buildReviewService({ config, deps, checkouts: gitWorkspaces, db, slots, logger }),
    sessions: createSessionStore(db),
    stats: createStatsQuery(db),
    /** Mirrors and warm worktrees for the configured repositories, in the background. */
    warmUpWorkspaces: () => gitWorkspaces.warmUp(config.repos),
    stopWorkspaces: () => gitWorkspaces.stop(),
    gateway,
    close: async () => {
      await jobs?.close();
      await gateway.close();
      await events.close();
      await db.close();
    },
  };
}

/**
 * The janitor's retention (`WORKSPACE_RETENTION_HOURS`) and period: it sweeps four times
 * per retention period, at most hourly and at least every minute.
 */
function workspaceJanitorSettings(
  config: AppConfig,
  overrides: ServiceOverrides,
): { retentionMs: number; intervalMs: number } {
  const retentionMs =
    overrides.janitor?.retentionMs ?? config.tasks.workspaceRetentionHours * HOUR_MS;
  const intervalMs =
    overrides.janitor?.intervalMs ?? Math.max(60_000, Math.min(HOUR_MS, retentionMs / 4));
  return { retentionMs, intervalMs };
}
