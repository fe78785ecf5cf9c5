import type { Task } from "../../../shared/task.js";
import type { TrackedPullRequest } from "../ports/pull-request-store.js";
import { recordEvent } from "../tasks/record-event.js";
import { PATCHBOARD_COMMENT_MARKER } from "../tasks/publish-text.js";
import type { AfterPrDeps } from "./after-pr-deps.js";

/**
 * Says the same thing on the pull request and in the task's log. A comment GitHub
 * refuses is logged, not thrown: the task's log still says it.
 */
export async function noteOnPullRequest(
  deps: AfterPrDeps,
  task: Task,
  tracked: TrackedPullRequest,
  message: string,
  level: "info" | "warn" = "info",
): Promise<void> {
  await recordEvent(deps, task.id, { type: "task.log", payload: { level, message } });
  try {
    await deps.codeHost.comment(
      task.repo,
      tracked.number,
      `${PATCHBOARD_COMMENT_MARKER}\n${message}`,
    );
  } catch (error) {
    deps.logger.warn({ err: error, taskId: task.id }, "pull request note not posted");
  }
}

/** Stops automatic CI rounds on a pull request, once, saying why. */
export async function stopAutomation(
  deps: AfterPrDeps,
  task: Task,
  tracked: TrackedPullRequest,
  reason: string,
): Promise<void> {
  if (tracked.automationStopped !== null) return;
  await deps.pullRequests.update(task.id, { automationStopped: reason });
  await noteOnPullRequest(deps, task, tracked, reason, "warn");
}
