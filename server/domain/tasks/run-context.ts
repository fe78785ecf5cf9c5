import type { Logger } from "pino";
import type { Task } from "../../../shared/task.js";
import type { RequestSource } from "../../../shared/task-event.js";
import type { Workspace } from "../ports/workspaces.js";
import type { RepoConfig } from "../repo-config.js";
import type { TaskDeps } from "../task-deps.js";

/** What was asked of this run of the task: the latest `task.request`. */
export interface RunRequest {
  action: "create" | "follow_up" | "retry";
  message: string | null;
  by: string;
  /** What asked for it; absent: a person. */
  source?: RequestSource | undefined;
  /** How the run before this request ended, for a retry to pick up where it stopped. */
  previous: { phase: Task["phase"]; error: Task["error"] } | null;
}

/** The state one run of a task carries from step to step. */
export interface RunContext {
  deps: TaskDeps;
  /** The task as last stored; steps replace it as they update it. */
  task: Task;
  repo: RepoConfig;
  workspace: Workspace;
  request: RunRequest;
  /**
   * The ticket's start transition, running beside the agent (a Jira round trip should not
   * delay the agent's start); awaited before any later transition. Never rejects.
   */
  ticketStarted: Promise<void>;
  /** Aborted when the task is cancelled or the server stops. */
  signal: AbortSignal;
  /**
   * Called on each agent event (only the first counts): the background work this task's
   * start held back (the warm worktree's refill) may now take the cores.
   */
  agentStarted: () => void;
  log: Logger;
}
