import type { Task } from "../../../shared/task.js";
import type { TaskStatus } from "../../../shared/task-state.js";
import type { TaskPatch } from "../ports/task-store.js";
import type { TaskDeps } from "../task-deps.js";
import { recordEvent } from "./record-event.js";

/**
 * Moves a task to a new status or phase and records a `task.status` event. With `from`,
 * the change only happens if the task is in one of those statuses (atomically, in the
 * store); returns null when it was not.
 */
export async function changeStatus(
  deps: Pick<TaskDeps, "store" | "hub">,
  taskId: string,
  patch: TaskPatch,
  from?: TaskStatus[],
): Promise<Task | null> {
  const task =
    from === undefined
      ? await deps.store.update(taskId, patch)
      : await deps.store.transition(taskId, from, patch);
  if (task === null) return null;
  await recordEvent(deps, taskId, {
    type: "task.status",
    payload: { status: task.status, phase: task.phase, outcome: task.outcome, error: task.error },
  });
  return task;
}
