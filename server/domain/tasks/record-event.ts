import type { TaskEvent, TaskEventInput } from "../../../shared/task-event.js";
import type { TaskDeps } from "../task-deps.js";

/** Stores an event in the task's log, then hands it to live listeners: stored before streamed. */
export async function recordEvent(
  deps: Pick<TaskDeps, "store" | "hub">,
  taskId: string,
  event: TaskEventInput,
): Promise<TaskEvent> {
  const stored = await deps.store.appendEvent(taskId, event);
  deps.hub.publish(stored);
  return stored;
}
