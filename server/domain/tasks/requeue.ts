import type { Task } from "../../../shared/task.js";
import type { TaskStatus } from "../../../shared/task-state.js";
import type { RequestSource } from "../../../shared/task-event.js";
import { AppError } from "../app-error.js";
import type { RunGate } from "../ports/run-gate.js";
import type { TaskQueue } from "../ports/task-queue.js";
import type { TaskDeps } from "../task-deps.js";
import { changeStatus } from "./change-status.js";
import { endedRun, recordRequest } from "./record-request.js";

/** What a person (or GitHub, or Jira) asked for when a finished task goes back in the queue. */
export interface RequeueRequest {
  action: "retry" | "follow_up";
  message: string | null;
  by: string;
  source?: RequestSource;
}

/**
 * Puts a finished task back in the queue for more work (retry, follow-up). The request is
 * stored before the task is queued, so an acknowledged request survives a crash. Each
 * requeue is a new run and spends one from the requester's budget (given back when the
 * task could not be queued).
 */
export async function requeue(
  deps: Pick<TaskDeps, "store" | "hub"> & { queue: TaskQueue; gate: RunGate },
  task: Task,
  from: TaskStatus[],
  request: RequeueRequest,
): Promise<Task> {
  const permit = await deps.gate.take(request.by);
  try {
    return await queueAgain(deps, task, from, request);
  } catch (error) {
    permit.release();
    throw error;
  }
}

async function queueAgain(
  deps: Pick<TaskDeps, "store" | "hub"> & { queue: TaskQueue },
  task: Task,
  from: TaskStatus[],
  request: RequeueRequest,
): Promise<Task> {
  await recordRequest(deps, task.id, { ...request, previous: endedRun(task) });
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
  await deps.queue.enqueue(task.id);
  return queued;
}
