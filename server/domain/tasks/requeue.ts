import type { Task } from "../../../shared/task.js";
import type { TaskStatus } from "../../../shared/task-state.js";
import { AppError } from "../app-error.js";
import type { TaskQueue } from "../ports/task-queue.js";
import type { TaskDeps } from "../task-deps.js";
import { changeStatus } from "./change-status.js";
import { recordEvent } from "./record-event.js";

/**
 * Puts a finished task back in the queue for more work (retry, follow-up). The request is
 * stored before the task is queued, so an acknowledged request survives a crash.
 */
export async function requeue(
  deps: Pick<TaskDeps, "store" | "hub"> & { queue: TaskQueue },
  task: Task,
  from: TaskStatus[],
  request: { action: "retry" | "follow_up"; message: string | null; by: string },
): Promise<Task> {
  await recordEvent(deps, task.id, { type: "task.request", payload: request });
  let queued: Task | null;
  try {
    queued = await changeStatus(
      deps,
      task.id,
      { status: "queued", phase: "queued", error: null, finishedAt: null },
      from,
    );
  } catch (error) {
    // The store refuses a second active task for one ticket.
    if (error instanceof AppError && error.code === "conflict") {
      throw new AppError(
        "conflict",
        `${task.ticketKey ?? "This ticket"} already has a task in progress; follow that one instead`,
        { cause: error },
      );
    }
    throw error;
  }
  if (queued === null) {
    throw new AppError("conflict", "The task changed meanwhile; reload it and try again");
  }
  deps.queue.enqueue(task.id);
  return queued;
}
