import type { PullRequest, Task } from "../../../shared/task.js";
import { changeRunning } from "./run-update.js";
import type { RunContext } from "./run-context.js";

/**
 * Ends the run as completed with an outcome: a published pull request, no changes, a
 * ticket that is not fixable in code, or an answered prompt.
 */
export async function completeTask(
  ctx: RunContext,
  outcome: NonNullable<Task["outcome"]>,
  pullRequest: PullRequest | null,
): Promise<Task> {
  ctx.task = await changeRunning(ctx.deps, ctx.task.id, {
    status: "completed",
    phase: "done",
    outcome,
    error: null,
    finishedAt: ctx.deps.now().toISOString(),
    ...(pullRequest ? { pullRequest } : {}),
  });
  return ctx.task;
}
