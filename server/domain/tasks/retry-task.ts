import type { Task } from "../../../shared/task.js";
import type { User } from "../../../shared/user.js";
import { AppError } from "../app-error.js";
import type { TaskQueue } from "../ports/task-queue.js";
import type { TaskDeps } from "../task-deps.js";
import { requeue } from "./requeue.js";
import { getTask } from "./get-task.js";

/** Retries a failed or cancelled task; it resumes the same thread where there is one. */
export async function retryTask(
  deps: Pick<TaskDeps, "store" | "hub"> & { queue: TaskQueue },
  input: { taskId: string; user: User },
): Promise<Task> {
  const task = await getTask(deps, input.taskId);
  if (task.status !== "failed" && task.status !== "cancelled") {
    throw new AppError(
      "task_not_retryable",
      `The task is ${task.status}; only a failed or cancelled task can be retried`,
    );
  }
  return requeue(deps, task, ["failed", "cancelled"], {
    action: "retry",
    message: null,
    by: input.user.email,
  });
}
