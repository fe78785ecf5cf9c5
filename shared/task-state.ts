import { z } from "zod";

/**
 * Where a task is in its life. `completed`, `failed`, `cancelled` and `setup_failed` (the
 * repository's setup command failed before the agent started) are final.
 */
export const TaskStatusSchema = z.enum([
  "queued",
  "running",
  "completed",
  "failed",
  "cancelled",
  "setup_failed",
]);
/** Where a task is in its life. */
export type TaskStatus = z.infer<typeof TaskStatusSchema>;

/** The statuses after which nothing more happens unless someone retries or follows up. */
export const FINAL_TASK_STATUSES: readonly TaskStatus[] = [
  "completed",
  "failed",
  "cancelled",
  "setup_failed",
];

/** Whether a status is final. */
export function isFinalStatus(status: TaskStatus): boolean {
  return FINAL_TASK_STATUSES.includes(status);
}

/**
 * What a task is doing now; `preparing` makes the worktree and its environment (the
 * repository's setup). A fix goes queued → preparing → analyzing → fixing →
 * publishing → done; a free-form prompt goes queued → preparing → working → done.
 */
export const TaskPhaseSchema = z.enum([
  "queued",
  "preparing",
  "analyzing",
  "fixing",
  "working",
  "publishing",
  "done",
]);
/** What a task is doing now. */
export type TaskPhase = z.infer<typeof TaskPhaseSchema>;

/** How a completed task ended. */
export const TaskOutcomeSchema = z.enum(["pr_opened", "no_changes", "not_fixable", "answered"]);
/** How a completed task ended. */
export type TaskOutcome = z.infer<typeof TaskOutcomeSchema>;

/** A fix for a ticket, or a free-form prompt on a repository. */
export const TaskKindSchema = z.enum(["fix", "prompt"]);
/** A fix for a ticket, or a free-form prompt on a repository. */
export type TaskKind = z.infer<typeof TaskKindSchema>;
