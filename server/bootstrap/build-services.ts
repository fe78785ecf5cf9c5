import { mkdirSync } from "node:fs";
import path from "node:path";
import type { Logger } from "pino";
import { createCodexAgent, type CodexProviderTuning } from "../adapters/codex/index.js";
import { createGitWorkspaces, DEFAULT_WARM_WORKTREES } from "../adapters/git/index.js";
import { createGitHubHost } from "../adapters/github/index.js";
import { createJiraTracker } from "../adapters/jira/index.js";
import {
  createSqliteSessionStore,
  createSqliteTaskStore,
  createStatsQuery,
  openSqliteDatabase,
} from "../adapters/storage/index.js";
import type { AppConfig } from "../config/app-config.js";
import { publishGuardPolicy } from "../config/secret-values.js";
import { withArchivedDiffs } from "../domain/janitor/archived-workspaces.js";
import { WorkspaceJanitor } from "../domain/janitor/workspace-janitor.js";
import { RepoRegistry } from "../domain/repo-registry.js";
import { ServiceCheck } from "../domain/service-check/service-check.js";
import type { TaskDeps } from "../domain/task-deps.js";
import { TaskEventHub } from "../domain/task-event-hub.js";
import { recoverInterruptedTask } from "../domain/tasks/recover-task.js";
import { runTask } from "../domain/tasks/run-task.js";
import { TaskRunner } from "../domain/tasks/task-runner.js";
import { checkCodexCredentials } from "./codex-probe.js";
import { createFileDiffArchive } from "./file-diff-archive.js";
import { buildReviewService } from "./review-scheduler.js";
import { AgentSlots } from "../domain/reviews/agent-slots.js";

/** Defaults of settings the configuration does not carry yet (see `workspaceJanitorSettings`). */
const DEFAULT_RETENTION_HOURS = 72;
const HOUR_MS = 3_600_000;

/** Tuning of what {@link buildServices} builds; tests keep retries and periods small. */
export interface ServiceOverrides {
  /** Codex's own retries of the model API (its defaults otherwise). */
  codexTuning?: CodexProviderTuning;
  /** How long a finished task keeps its worktree, and how often the janitor sweeps. */
  janitor?: { retentionMs?: number; intervalMs?: number };
}

/** The real adapters and the task domain, wired from the configuration. */
export async function buildServices(
  config: AppConfig,
  logger: Logger,
  overrides: ServiceOverrides = {},
) {
  mkdirSync(config.dataDir, { recursive: true });
  mkdirSync(config.codexHome, { recursive: true });
  const db = await openSqliteDatabase({ file: path.join(config.dataDir, "patchboard.db"), logger });
  const store = createSqliteTaskStore(db);
  const worktrees = createGitWorkspaces({
    root: path.join(config.dataDir, "workspaces"),
    logger: logger.child({ adapter: "git" }),
    pushToken: config.github.token,
    warmWorktrees: DEFAULT_WARM_WORKTREES,
  });
  const diffArchive = createFileDiffArchive(path.join(config.dataDir, "diffs"));
  const deps: TaskDeps = {
    store,
    hub: new TaskEventHub(),
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
    workspaces: withArchivedDiffs(worktrees, diffArchive),
    agent: createCodexAgent({
      apiKey: config.codex.apiKey,
      baseUrl: config.codex.baseUrl,
      model: config.codex.model,
      codexHome: config.codexHome,
      logger: logger.child({ adapter: "codex" }),
      ...(overrides.codexTuning === undefined ? {} : { providerTuning: overrides.codexTuning }),
    }),
    repos: new RepoRegistry(config.repos),
    settings: {
      commitAuthor: { name: config.git.authorName, email: config.git.authorEmail },
      turnTimeoutMs: config.tasks.turnTimeoutMs,
      idleTimeoutMs: config.tasks.idleTimeoutMs,
      jiraTransitionOnStart: config.jira.transitionOnStart,
      jiraTransitionOnPr: config.jira.transitionOnPr,
      publishGuard: publishGuardPolicy(config),
    },
    logger,
    now: () => new Date(),
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
    ],
    logger: logger.child({ component: "service-check" }),
  });
  deps.serviceStatus = serviceCheck;
  // One agent concurrency limit for fix tasks and nightly reviews (tasks served first).
  const slots = new AgentSlots(config.tasks.maxConcurrent);
  const runner = new TaskRunner({
    store,
    run: (taskId, signal) => slots.run("task", signal, () => runTask(deps, taskId, signal)),
    concurrency: config.tasks.maxConcurrent,
    logger,
    recover: async (task) => {
      await recoverInterruptedTask(deps, task);
    },
  });
  const janitorSettings = workspaceJanitorSettings(config, overrides);
  const janitor = new WorkspaceJanitor({
    store,
    workspaces: worktrees,
    archive: diffArchive,
    ...janitorSettings,
    logger: logger.child({ component: "janitor" }),
  });
  return {
    deps,
    runner,
    serviceCheck,
    janitor,
    reviews: buildReviewService({ config, deps, checkouts: worktrees, db, slots, logger }),
    sessions: createSqliteSessionStore(db),
    stats: createStatsQuery(db),
    /** Mirrors and warm worktrees for the configured repositories, in the background. */
    warmUpWorkspaces: () => worktrees.warmUp(config.repos),
    stopWorkspaces: () => worktrees.stop(),
    close: () => db.close(),
  };
}

/**
 * The janitor's retention and period. `tasks.workspaceRetentionHours` is read when the
 * configuration has it (`WORKSPACE_RETENTION_HOURS`); until then the default applies.
 * It sweeps four times per retention period, at most hourly.
 */
function workspaceJanitorSettings(
  config: AppConfig,
  overrides: ServiceOverrides,
): { retentionMs: number; intervalMs: number } {
  const hours = config.tasks.workspaceRetentionHours ?? DEFAULT_RETENTION_HOURS;
  const retentionMs = overrides.janitor?.retentionMs ?? hours * HOUR_MS;
  const intervalMs =
    overrides.janitor?.intervalMs ?? Math.max(60_000, Math.min(HOUR_MS, retentionMs / 4));
  return { retentionMs, intervalMs };
}
