import type { Task } from "../../../shared/task.js";
import type { User } from "../../../shared/user.js";
import { AppError } from "../app-error.js";
import type { RunGate } from "../ports/run-gate.js";
import { addTaskBudget } from "../budgets/add-task-budget.js";
import { assertBudgetLeft } from "../budgets/assert-budget-left.js";
import type { TaskQueue } from "../ports/task-queue.js";
import type { TaskDeps } from "../task-deps.js";
import { getTask } from "./get-task.js";
import { requeue } from "./requeue.js";

/**
 * A follow-up turn on the task's Codex thread ("also add a regression test"). New commits
 * go to the same branch and pull request. Follow-ups on one task are decided one at a time.
 */
export async function sendFollowUp(
  deps: Pick<TaskDeps, "store" | "hub" | "budgets"> & { queue: TaskQueue; gate: RunGate },
  input: { taskId: string; message: string; user: User; addBudget?: number | undefined },
): Promise<Task> {
  return deps.gate.serialize(`task:${input.taskId}`, () => followUp(deps, input));
}

async function followUp(
  deps: Pick<TaskDeps, "store" | "hub" | "budgets"> & { queue: TaskQueue; gate: RunGate },
  input: { taskId: string; message: string; user: User; addBudget?: number | undefined },
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
  if (input.addBudget !== undefined) {
    await addTaskBudget(deps, { taskId: task.id, amount: input.addBudget, by: input.user.email });
  }
  await assertBudgetLeft(deps.budgets, {
    person: task.createdBy,
    repo: task.repo,
    taskId: task.id,
  });
  return requeue(deps, task, ["completed", "failed", "cancelled", "setup_failed"], {
    action: "follow_up",
    message: input.message,
    by: input.user.email,
  });
}
