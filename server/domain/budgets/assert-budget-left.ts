import type { BudgetMeter } from "./budget-meter.js";
import { budgetError, dailyBreach, taskLines } from "./budget-check.js";

/**
 * Refuses to start work (a new task, a retry, a follow-up) when a budget it would spend
 * from is already spent: the day's (all tasks, this person, this repository) and, for an
 * existing task, its own. Throws AppError `budget_exceeded` (402) naming the budget, what
 * was spent and when it resets. Without a meter there are no budgets.
 */
export async function assertBudgetLeft(
  budgets: BudgetMeter | undefined,
  who: { person: string; repo: string; taskId?: string },
): Promise<void> {
  if (budgets === undefined) return;
  const deps = budgets.deps;
  if (who.taskId !== undefined) {
    const spent = (await taskLines(deps, who.taskId)).find((line) => line.spent >= line.limit);
    if (spent !== undefined) throw budgetError(spent, deps.pricing.currency);
  }
  const daily = await dailyBreach(deps, who);
  if (daily !== null) throw daily;
}
