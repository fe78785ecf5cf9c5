import type { Task } from "../../../shared/task.js";
import type { TaskPatch } from "../ports/task-store.js";
import type { TaskDeps } from "../task-deps.js";
import { changeStatus } from "./change-status.js";

/**
 * The task a run works on is no longer `running`: it was cancelled (perhaps by another
 * node, which cannot signal this process) or ended otherwise. The run stops and writes
 * nothing more, so a late finish never overwrites that decision.
 */
export class RunSuperseded extends Error {
  constructor(readonly taskId: string) {
    super(`Task ${taskId} is no longer running here`);
    this.name = "RunSuperseded";
  }
}

/** Writes to the run's task only while it is still `running`; throws RunSuperseded otherwise. */
export async function updateRunning(
  deps: Pick<TaskDeps, "store">,
  taskId: string,
  patch: TaskPatch,
): Promise<Task> {
  const task = await deps.store.transition(taskId, ["running"], patch);
  if (task === null) throw new RunSuperseded(taskId);
  return task;
}

/**
 * Moves the run's task on (a phase, or its end) with a `task.status` event, only while it
 * is still `running`; throws RunSuperseded otherwise.
 */
export async function changeRunning(
  deps: Pick<TaskDeps, "store" | "hub">,
  taskId: string,
  patch: TaskPatch,
): Promise<Task> {
  const task = await changeStatus(deps, taskId, patch, ["running"]);
  if (task === null) throw new RunSuperseded(taskId);
  return task;
}
