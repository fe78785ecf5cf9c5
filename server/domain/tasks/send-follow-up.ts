import type { Task } from "../../../shared/task.js";
import type { User } from "../../../shared/user.js";
import { AppError } from "../app-error.js";
import type { TaskQueue } from "../ports/task-queue.js";
import type { TaskDeps } from "../task-deps.js";
import { getTask } from "./get-task.js";
import { requeue } from "./requeue.js";

/**
 * A follow-up turn on the task's Codex thread ("also add a regression test"). New commits
 * go to the same branch and pull request.
 */
export async function sendFollowUp(
  deps: Pick<TaskDeps, "store" | "hub"> & { queue: TaskQueue },
  input: { taskId: string; message: string; user: User },
): Promise<Task> {
  const task = await getTask(deps, input.taskId);
  if (task.status === "queued" || task.status === "running") {
    throw new AppError(
      "conflict",
      "The agent is still working on this task; send the follow-up when it has finished",
    );
  }
  if (task.threadId === null) {
    throw new AppError(
      "task_has_no_thread",
      "The agent never started on this task, so there is no conversation to follow up; retry it instead",
    );
  }
  return requeue(deps, task, ["completed", "failed", "cancelled"], {
    action: "follow_up",
    message: input.message,
    by: input.user.email,
  });
}
