import type { Task } from "../../../shared/task.js";
import { AppError } from "../app-error.js";
import type { TaskDeps } from "../task-deps.js";
import { changeStatus } from "./change-status.js";

/**
 * A task-run job that failed every attempt (the job queue's dead letter): the task, if it
 * is still `queued`, ends `failed` with `queue_failed` so a person sees it and can retry,
 * instead of waiting forever for a run no worker will start. A task that meanwhile ran,
 * was cancelled or is running elsewhere is left alone (null).
 */
export async function failDeadTaskRun(
  deps: Pick<TaskDeps, "store" | "hub" | "now" | "logger">,
  taskId: string,
  attempts: number,
): Promise<Task | null> {
  const error = new AppError(
    "queue_failed",
    `No worker could start this task after ${attempts} attempts; retry it, and if it fails again an admin should read the workers' logs`,
  );
  const failed = await changeStatus(
    deps,
    taskId,
    {
      status: "failed",
      error: { code: error.code, message: error.message },
      finishedAt: deps.now().toISOString(),
    },
    ["queued"],
  );
  if (failed !== null) deps.logger.error({ taskId, attempts }, "task run dead-lettered");
  return failed;
}
