import type { Task } from "../../../shared/task.js";
import type { NewTaskRequest } from "../ports/task-store.js";
import type { TaskDeps } from "../task-deps.js";
import { recordEvent } from "./record-event.js";

/**
 * Stores a request of the task (what a run reads), then records it in the log (what
 * people watch and the stream replays). Stored before the task is queued, so an
 * acknowledged request survives a crash.
 */
export async function recordRequest(
  deps: Pick<TaskDeps, "store" | "hub">,
  taskId: string,
  request: NewTaskRequest,
): Promise<void> {
  await deps.store.addRequest(taskId, request);
  const { action, message, by, source } = request;
  await recordEvent(deps, taskId, {
    type: "task.request",
    payload: { action, message, by, ...(source === undefined ? {} : { source }) },
  });
}

/** How the task's last run ended, for a request made now: a retry resumes from there. */
export function endedRun(task: Task): NewTaskRequest["previous"] {
  return task.status === "failed" || task.status === "cancelled"
    ? { phase: task.phase, error: task.error }
    : null;
}
