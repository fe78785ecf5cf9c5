import type { Task } from "../../../shared/task.js";
import type { User } from "../../../shared/user.js";
import { AppError } from "../app-error.js";
import type { RunGate } from "../ports/run-gate.js";
import { assertBudgetLeft } from "../budgets/assert-budget-left.js";
import type { TaskQueue } from "../ports/task-queue.js";
import type { TaskDeps } from "../task-deps.js";
import { requeue } from "./requeue.js";
import { getTask } from "./get-task.js";
import { assertMaySteer } from "./task-ownership.js";

const RETRYABLE: Task["status"][] = ["failed", "cancelled", "setup_failed"];

/**
 * Retries a failed, cancelled or setup-failed task; it resumes the same thread where
 * there is one (a setup that failed never started one: the task starts afresh). A PM
 * retries only their own tasks, and only someone who may create a free-form task may
 * re-run one. Retries of one task are decided one at a time, so a double click queues one run.
 */
export async function retryTask(
  deps: Pick<TaskDeps, "store" | "hub" | "budgets"> & { queue: TaskQueue; gate: RunGate },
  input: { taskId: string; user: User },
): Promise<Task> {
  const task = await getTask(deps, input.taskId);
  assertMaySteer(task, input.user, "retry");
  return deps.gate.serialize(`task:${task.id}`, async () => {
    const current = await getTask(deps, task.id);
    if (!RETRYABLE.includes(current.status)) {
      throw new AppError(
        "task_not_retryable",
        `The task is ${current.status}; only a failed, cancelled or setup-failed task can be retried`,
      );
    }
    // A retry adds no budget: a task stopped by its budget continues with a follow-up that does.
    await assertBudgetLeft(deps.budgets, {
      person: current.createdBy,
      repo: current.repo,
      taskId: current.id,
    });
    return requeue(deps, current, RETRYABLE, {
      action: "retry",
      message: null,
      by: input.user.email,
    });
  });
}
