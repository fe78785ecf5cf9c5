import type { Task } from "../../../shared/task.js";
import type { RequestSource } from "../../../shared/task-event.js";
import type { FollowUpRound } from "../ports/pull-request-store.js";
import { requeue } from "../tasks/requeue.js";
import { recordEvent } from "../tasks/record-event.js";
import type { AfterPrDeps } from "./after-pr-deps.js";

/** What became of a request for an automatic round. */
export type RoundOutcome = "started" | "duplicate" | "busy";

/**
 * Starts a follow-up round nobody typed on Patchboard (failing checks, a review): the
 * round is recorded under its key first, so the same event delivered twice (or by the
 * webhook and the poller) starts one round.
 */
export async function startRound(
  deps: AfterPrDeps,
  task: Task,
  round: Omit<FollowUpRound, "taskId" | "at"> & {
    message: string;
    by: string;
    source: Extract<RequestSource, "ci" | "review">;
  },
): Promise<RoundOutcome> {
  // A turn still running pushes a new head; the checks on that head decide next.
  if (task.status === "queued" || task.status === "running" || task.threadId === null) {
    deps.logger.info({ taskId: task.id, key: round.key }, "round not started: the task is busy");
    return "busy";
  }
  const claimed = await deps.pullRequests.claimRound({
    taskId: task.id,
    trigger: round.trigger,
    actor: round.actor,
    headSha: round.headSha,
    key: round.key,
    at: deps.now().toISOString(),
  });
  if (!claimed) return "duplicate";
  await recordEvent(deps, task.id, {
    type: "task.log",
    payload: { level: "info", message: `Automatic follow-up started by ${round.by}` },
  });
  await requeue(deps, task, ["completed", "failed", "cancelled"], {
    action: "follow_up",
    message: round.message,
    by: round.by,
    source: round.source,
  });
  return "started";
}
