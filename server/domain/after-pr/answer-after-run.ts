import type { AfterPrDeps } from "./after-pr-deps.js";
import { evaluateChecks, type ChecksVerdict } from "./evaluate-checks.js";

/**
 * A run of a task ended: checks on its pull request that completed while the run was
 * busy were answered `task_busy` then, and are answered now. GitHub keeps the results,
 * so the checks on the head Patchboard pushed last are read again and decided as a
 * webhook would: a failure the run did not push over starts its round (once — rounds are
 * claimed by head), a new head's checks are usually still pending, all green marks a
 * draft ready. Never throws: the run has already ended and a GitHub outage must not turn
 * into an error of the task runner.
 */
export async function answerChecksAfterRun(
  deps: AfterPrDeps,
  taskId: string,
): Promise<ChecksVerdict | null> {
  try {
    const tracked = await deps.pullRequests.forTask(taskId);
    if (tracked === null || tracked.state !== "open" || tracked.headSha === null) return null;
    const task = await deps.store.get(taskId);
    // Queued again meanwhile (a follow-up): the end of that run answers instead.
    if (task === null || task.status === "queued" || task.status === "running") return null;
    const verdict = await evaluateChecks(deps, tracked, tracked.headSha);
    deps.logger.info({ taskId, verdict }, "checks read again after the run");
    return verdict;
  } catch (error) {
    deps.logger.warn({ err: error, taskId }, "checks not read after the run");
    return null;
  }
}
