import type { TaskEvent, TaskEventInput } from "../../../shared/task-event.js";
import { PATTERN_REDACTOR } from "../redaction/redactor.js";
import type { TaskDeps } from "../task-deps.js";

/**
 * Stores an event in the task's log, then hands it to live listeners: stored before
 * streamed. Secrets are redacted first (command output can print a token); when one was,
 * a `task.log` line after it says so.
 */
export async function recordEvent(
  deps: Pick<TaskDeps, "store" | "hub" | "redactor">,
  taskId: string,
  event: TaskEventInput,
): Promise<TaskEvent> {
  const { value, found } = (deps.redactor ?? PATTERN_REDACTOR).value(event);
  const stored = await deps.store.appendEvent(taskId, value);
  deps.hub.publish(stored);
  if (found.length > 0) {
    const note = await deps.store.appendEvent(taskId, {
      type: "task.log",
      payload: { level: "warn", message: `Redacted ${found.join(", ")} from a stored event` },
    });
    deps.hub.publish(note);
  }
  return stored;
}
