import { mkdirSync } from "node:fs";
import path from "node:path";
import type { Logger } from "pino";
import { createCodexAgent } from "../adapters/codex/index.js";
import { createGitWorkspaces } from "../adapters/git/index.js";
import { createGitHubHost } from "../adapters/github/index.js";
import { createJiraTracker } from "../adapters/jira/index.js";
import {
  createSqliteSessionStore,
  createSqliteTaskStore,
  createStatsQuery,
  openSqliteDatabase,
} from "../adapters/storage/index.js";
import type { AppConfig } from "../config/app-config.js";
import { RepoRegistry } from "../domain/repo-registry.js";
import type { TaskDeps } from "../domain/task-deps.js";
import { TaskEventHub } from "../domain/task-event-hub.js";
import { runTask } from "../domain/tasks/run-task.js";
import { TaskRunner } from "../domain/tasks/task-runner.js";

/** The real adapters and the task domain, wired from the configuration. */
export async function buildServices(config: AppConfig, logger: Logger) {
  mkdirSync(config.dataDir, { recursive: true });
  mkdirSync(config.codexHome, { recursive: true });
  const db = await openSqliteDatabase({ file: path.join(config.dataDir, "patchboard.db"), logger });
  const store = createSqliteTaskStore(db);
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
    workspaces: createGitWorkspaces({
      root: path.join(config.dataDir, "workspaces"),
      logger: logger.child({ adapter: "git" }),
      pushToken: config.github.token,
    }),
    agent: createCodexAgent({
      apiKey: config.codex.apiKey,
      baseUrl: config.codex.baseUrl,
      model: config.codex.model,
      codexHome: config.codexHome,
      logger: logger.child({ adapter: "codex" }),
    }),
    repos: new RepoRegistry(config.repos),
    settings: {
      commitAuthor: { name: config.git.authorName, email: config.git.authorEmail },
      turnTimeoutMs: config.tasks.turnTimeoutMs,
      idleTimeoutMs: config.tasks.idleTimeoutMs,
      jiraTransitionOnStart: config.jira.transitionOnStart,
      jiraTransitionOnPr: config.jira.transitionOnPr,
    },
    logger,
    now: () => new Date(),
  };
  const runner = new TaskRunner({
    store,
    run: (taskId, signal) => runTask(deps, taskId, signal),
    concurrency: config.tasks.maxConcurrent,
    logger,
  });
  return {
    deps,
    runner,
    sessions: createSqliteSessionStore(db),
    stats: createStatsQuery(db),
    close: () => db.close(),
  };
}
