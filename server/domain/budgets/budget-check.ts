import type { BudgetLine } from "../../../shared/budget.js";
import type { Pricing } from "../../../shared/settings.js";
import { AppError } from "../app-error.js";
import type { UsageLedger, UsageOwner } from "../ports/usage-meter.js";
import type { BudgetSettings } from "./budget-settings.js";
import { budgetDay, budgetDayEnd, formatAmount } from "./budget-settings.js";

/** What the budget checks need. */
export interface BudgetCheckDeps {
  ledger: UsageLedger;
  budgets: BudgetSettings;
  pricing: Pricing;
  now: () => Date;
}

const DAILY_LABEL: Record<"daily" | "person" | "repo", string> = {
  daily: "The daily budget (DAILY_BUDGET)",
  person: "Your daily budget (PERSON_DAILY_BUDGET)",
  repo: "The daily budget of the repository (REPO_DAILY_BUDGET)",
};

/** The day's budgets that apply to a person and a repository, with what is spent against them. */
export async function dailyLines(
  deps: BudgetCheckDeps,
  who: { person: string | null; repo: string | null },
): Promise<(BudgetLine & { repo: string | null })[]> {
  const now = deps.now();
  const day = budgetDay(now);
  const resetsAt = budgetDayEnd(now);
  const wanted: { scope: "daily" | "person" | "repo"; limit: number | null; filter?: object }[] = [
    { scope: "daily", limit: deps.budgets.daily },
    ...(who.person === null
      ? []
      : [{ scope: "person" as const, limit: deps.budgets.person, filter: { person: who.person } }]),
    ...(who.repo === null
      ? []
      : [{ scope: "repo" as const, limit: deps.budgets.repo, filter: { repo: who.repo } }]),
  ];
  const lines = [];
  for (const entry of wanted) {
    if (entry.limit === null) continue;
    const spend = await deps.ledger.daySpend(day, entry.filter);
    lines.push({
      scope: entry.scope,
      limit: entry.limit,
      spent: spend.cost,
      resetsAt,
      repo: entry.scope === "repo" ? who.repo : null,
    });
  }
  return lines;
}

/** The error for a spent budget line: which budget, what was spent, when it resets. */
export function budgetError(line: BudgetLine, currency: string): AppError {
  const details = {
    budget: line.scope,
    limit: line.limit,
    spent: line.spent,
    resetsAt: line.resetsAt,
  };
  if (line.scope === "requests") {
    return new AppError(
      "budget_exceeded",
      `The task made ${line.spent} model requests, its limit (MAX_REQUESTS_PER_TASK = ${line.limit}); an engineer can continue it with a follow-up`,
      { details },
    );
  }
  const spent = `${formatAmount(line.spent, currency)} of ${formatAmount(line.limit, currency)} used`;
  if (line.scope === "task") {
    return new AppError(
      "budget_exceeded",
      `The task's budget (TASK_BUDGET) is spent: ${spent}; an engineer can continue it with a follow-up that adds budget`,
      { details },
    );
  }
  return new AppError(
    "budget_exceeded",
    `${DAILY_LABEL[line.scope]} is spent: ${spent} today; it resets at 00:00 UTC (${line.resetsAt ?? ""})`,
    { details },
  );
}

/** The first of the day's budgets that is spent for this person and repository, or null. */
export async function dailyBreach(
  deps: BudgetCheckDeps,
  who: { person: string | null; repo: string | null },
): Promise<AppError | null> {
  const spent = (await dailyLines(deps, who)).find((line) => line.spent >= line.limit);
  return spent === undefined ? null : budgetError(spent, deps.pricing.currency);
}

/** The task's own budget lines (money and requests), with what it spent. */
export async function taskLines(deps: BudgetCheckDeps, taskId: string): Promise<BudgetLine[]> {
  const { budgets } = deps;
  if (budgets.task === null && budgets.maxRequestsPerTask === null) return [];
  const spend = await deps.ledger.ownerSpend(taskId);
  const lines: BudgetLine[] = [];
  if (budgets.maxRequestsPerTask !== null) {
    lines.push({
      scope: "requests",
      limit: budgets.maxRequestsPerTask,
      spent: spend.requests,
      resetsAt: null,
    });
  }
  if (budgets.task !== null) {
    const limit = budgets.task + (await deps.ledger.grantedTo(taskId));
    lines.push({ scope: "task", limit, spent: spend.cost, resetsAt: null });
  }
  return lines;
}

/**
 * Whether one more model request may start for this owner: the first budget it would
 * start beyond, or null. A request that crosses a line is let through (its cost is only
 * known at its end); the next one is refused, so a task ends at most one request past it.
 */
export async function requestBreach(
  deps: BudgetCheckDeps,
  owner: UsageOwner,
): Promise<AppError | null> {
  if (owner.kind === "task") {
    const spent = (await taskLines(deps, owner.id)).find((line) => line.spent >= line.limit);
    if (spent !== undefined) return budgetError(spent, deps.pricing.currency);
  }
  return dailyBreach(deps, owner);
}
