import type { PullRequestStore } from "../ports/pull-request-store.js";
import type { RunGate } from "../ports/run-gate.js";
import type { TaskQueue } from "../ports/task-queue.js";
import type { TaskDeps } from "../task-deps.js";

/** Settings of what happens after a pull request opened (`CI_FIX_MAX_ROUNDS`, …). */
export interface AfterPrSettings {
  /** Automatic CI rounds per pull request before it is left to people. */
  ciFixMaxRounds: number;
  /** Rounds started by reviews and mentions per pull request before it is left to people. */
  reviewMaxRounds: number;
  /** The mention that asks for a follow-up in a pull request comment (`@patchboard`). */
  mention: string;
  /** A Jira transition by name when the pull request merges; null: leave the ticket. */
  jiraTransitionOnMerge: string | null;
}

/** What the after-pull-request use cases work with. */
export type AfterPrDeps = TaskDeps & {
  queue: TaskQueue;
  /** The per-person run budget people's clicks take from too. */
  gate: RunGate;
  pullRequests: PullRequestStore;
  afterPr: AfterPrSettings;
};
