import type { Logger } from "pino";
import type { EnvironmentDeps } from "./environment/environment-settings.js";
import type { PublishGuardPolicy } from "./publish-guard/index.js";
import type { CodeHost } from "./ports/code-host.js";
import type { CodingAgent } from "./ports/coding-agent.js";
import type { IssueTracker } from "./ports/issue-tracker.js";
import type { PullRequestStore } from "./ports/pull-request-store.js";
import type { TaskStore } from "./ports/task-store.js";
import type { CommitAuthor, Workspaces } from "./ports/workspaces.js";
import type { Redactor } from "./redaction/redactor.js";
import type { BudgetMeter } from "./budgets/budget-meter.js";
import type { RepoRegistry } from "./repo-registry.js";
import type { ServiceStatusSource } from "./ports/service-status.js";
import type { TaskEventHub } from "./ports/event-hub.js";
import type { ThreadRollouts, TurnCheckpoints } from "./ports/turn-checkpoints.js";
import type { JobQueue } from "./ports/job-queue.js";

/** Settings the task domain needs, taken from the configuration at start-up. */
export interface TaskSettings {
  commitAuthor: CommitAuthor;
  /** Deadline of one agent turn. */
  turnTimeoutMs: number;
  /** A turn with no agent event for this long is aborted. */
  idleTimeoutMs: number;
  /** Jira transition names, or null to leave the ticket's status alone. */
  jiraTransitionOnStart: string | null;
  jiraTransitionOnPr: string | null;
  /**
   * How many tasks run at once across every worker (`TOTAL_MAX_CONCURRENT_TASKS`);
   * repositories add their own `maxConcurrentTasks`. No limit when absent or null.
   */
  totalMaxConcurrent?: number | null;
  /** What a change must pass before it is pushed; the defaults when absent. */
  publishGuard?: Partial<PublishGuardPolicy>;
}

/** Everything the task use cases work with, passed in as arguments (no singletons). */
export interface TaskDeps {
  store: TaskStore;
  hub: TaskEventHub;
  tracker: IssueTracker;
  codeHost: CodeHost;
  workspaces: Workspaces;
  agent: CodingAgent;
  repos: RepoRegistry;
  settings: TaskSettings;
  logger: Logger;
  now: () => Date;
  /** Tracks each pull request after it opened (CI and review rounds, outcome); optional in tests. */
  pullRequests?: PullRequestStore;
  /** The start-up credential check of Codex, Jira and GitHub, when the server ran one. */
  serviceStatus?: ServiceStatusSource;
  /** The job queue's counts for the admins (PostgreSQL's pg-boss; absent on SQLite). */
  jobQueue?: Pick<JobQueue, "stats">;
  /**
   * Runs the repositories' own commands (setup, maintenance, the server's test run) in
   * isolation. Without it no setup runs and no test verdict is given (pull requests open
   * as drafts that say so).
   */
  environment?: EnvironmentDeps;
  /** Removes secrets from outgoing and stored text; the secret-shaped patterns alone when absent. */
  redactor?: Redactor;
  /**
   * The model gateway's meter and budgets, when Codex talks to the model through the
   * gateway: it records usage per model response, so `turn.completed` usage is not added.
   */
  budgets?: BudgetMeter;
  /**
   * Where each completed turn's checkpoint is stored, and the Codex homes its thread is read
   * from and restored into: another worker taking the task over resumes it from there.
   * Without them no checkpoint is taken, and a takeover starts the task again.
   */
  checkpoints?: { store: TurnCheckpoints; rollouts: ThreadRollouts };
}
