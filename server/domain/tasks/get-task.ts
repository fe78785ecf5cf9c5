import type { Task } from "../../../shared/task.js";
import { AppError } from "../app-error.js";
import type { TaskStore } from "../ports/task-store.js";

/** A task by id, or a 404. */
export async function getTask(deps: { store: TaskStore }, id: string): Promise<Task> {
  const task = await deps.store.get(id);
  if (task === null) throw new AppError("not_found", `No task with id ${id}`);
  return task;
}
