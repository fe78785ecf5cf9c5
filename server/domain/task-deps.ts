import type { Logger } from "pino";
import type { PublishGuardPolicy } from "./publish-guard/index.js";
import type { CodeHost } from "./ports/code-host.js";
import type { CodingAgent } from "./ports/coding-agent.js";
import type { IssueTracker } from "./ports/issue-tracker.js";
import type { TaskStore } from "./ports/task-store.js";
import type { CommitAuthor, Workspaces } from "./ports/workspaces.js";
import type { RepoRegistry } from "./repo-registry.js";
import type { ServiceStatusSource } from "./service-check/service-check.js";
import type { TaskEventHub } from "./task-event-hub.js";

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
  /** The start-up credential check of Codex, Jira and GitHub, when the server ran one. */
  serviceStatus?: ServiceStatusSource;
}
