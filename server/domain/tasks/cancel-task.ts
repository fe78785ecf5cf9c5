import type { Task } from "../../../shared/task.js";
import type { User } from "../../../shared/user.js";
import { AppError } from "../app-error.js";
import type { TaskQueue } from "../ports/task-queue.js";
import type { TaskDeps } from "../task-deps.js";
import { changeStatus } from "./change-status.js";
import { getTask } from "./get-task.js";
import { assertMaySteer } from "./task-ownership.js";
import { recordRequest } from "./record-request.js";

/** The reason a cancelled turn is aborted with; the pipeline recognises it. */
export class CancelRequested extends Error {
  constructor(readonly by: string) {
    super(`Cancelled by ${by}`);
    this.name = "CancelRequested";
  }
}

/**
 * Cancels a queued or running task. A queued task ends at once; a running one has its
 * turn aborted and ends `cancelled` when the agent has stopped. A PM cancels only their
 * own tasks.
 */
export async function cancelTask(
  deps: Pick<TaskDeps, "store" | "hub" | "now"> & { queue: TaskQueue },
  input: { taskId: string; user: User },
): Promise<Task> {
  const task = await getTask(deps, input.taskId);
  assertMaySteer(task, input.user, "cancel");
  if (task.status !== "queued" && task.status !== "running") {
    throw new AppError(
      "task_not_running",
      `The task is ${task.status}; only a queued or running task can be cancelled`,
    );
  }
  await recordRequest(deps, task.id, {
    action: "cancel",
    message: null,
    by: input.user.email,
    previous: null,
  });
  const reason = new CancelRequested(input.user.email);
  if (deps.queue.abort(task.id, reason) === "running") {
    // The runner ends it once the agent has stopped.
    return task;
  }
  // Waiting in the queue, or running in no live process (a stale row): end it here.
  const ended = await changeStatus(
    deps,
    task.id,
    { status: "cancelled", finishedAt: deps.now().toISOString() },
    ["queued", "running"],
  );
  return ended ?? (await getTask(deps, task.id));
}
