import type { JobQueue } from "../ports/job-queue.js";
import type { TaskStore } from "../ports/task-store.js";

/**
 * Sends a job for every task the database holds `queued`, once at a worker's start: tasks
 * queued before the job queue existed (an upgrade), or whose send failed after the row was
 * written. A task that already has a waiting job gets no second one. Returns the ids sent.
 */
export async function sendQueuedTaskRuns(deps: {
  store: Pick<TaskStore, "listByStatus">;
  jobs: Pick<JobQueue, "sendTaskRun">;
}): Promise<string[]> {
  const ids = (await deps.store.listByStatus(["queued"])).map((task) => task.id);
  for (const id of ids) await deps.jobs.sendTaskRun(id);
  return ids;
}
