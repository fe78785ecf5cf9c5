import { recordEvent } from "../tasks/record-event.js";
import type { TaskDeps } from "../task-deps.js";
import { formatAmount } from "./budget-settings.js";

/**
 * Adds budget to a task (a follow-up's `addBudget`): stored with who decided it, and told
 * in the task's log, so the audit shows why the task could spend more than TASK_BUDGET.
 */
export async function addTaskBudget(
  deps: Pick<TaskDeps, "store" | "hub" | "budgets">,
  input: { taskId: string; amount: number; by: string },
): Promise<void> {
  const { budgets } = deps;
  if (budgets === undefined) return;
  await budgets.deps.ledger.addGrant({
    ownerId: input.taskId,
    amount: input.amount,
    by: input.by,
    at: budgets.deps.now().toISOString(),
  });
  await recordEvent(deps, input.taskId, {
    type: "task.log",
    payload: {
      level: "info",
      message: `${input.by} added ${formatAmount(input.amount, budgets.deps.pricing.currency)} to the task's budget`,
    },
  });
}
