import type {
  BudgetStatusResponse,
  SpendReportResponse,
  TaskSpendResponse,
} from "../../../shared/budget.js";
import type { BudgetMeter } from "./budget-meter.js";
import { budgetError, dailyLines, taskLines } from "./budget-check.js";
import { budgetDay } from "./budget-settings.js";

/**
 * The day's budgets for a person (the whole day's, theirs, and each repository's with a
 * budget), and why a new task cannot start, if it cannot.
 */
export async function getBudgetStatus(
  budgets: BudgetMeter,
  input: { person: string; repos: string[] },
): Promise<BudgetStatusResponse> {
  const { deps } = budgets;
  const mine = await dailyLines(deps, { person: input.person, repo: null });
  const perRepo =
    deps.budgets.repo === null
      ? []
      : (
          await Promise.all(input.repos.map((repo) => dailyLines(deps, { person: null, repo })))
        ).flatMap((lines) => lines.filter((line) => line.scope === "repo"));
  const lines = [...mine, ...perRepo];
  // Only the day's and the person's budget block every click; a spent repository blocks its own tickets.
  const spent = mine.find((line) => line.spent >= line.limit);
  return {
    currency: deps.pricing.currency,
    day: budgetDay(deps.now()),
    budgets: lines,
    blocked: spent === undefined ? null : budgetError(spent, deps.pricing.currency).message,
  };
}

/** A task's spend against its budget. */
export async function getTaskSpend(
  budgets: BudgetMeter,
  taskId: string,
): Promise<TaskSpendResponse> {
  const { deps } = budgets;
  const [spend, lines] = await Promise.all([
    deps.ledger.ownerSpend(taskId),
    taskLines(deps, taskId),
  ]);
  return {
    currency: deps.pricing.currency,
    spent: spend.cost,
    limit: lines.find((line) => line.scope === "task")?.limit ?? null,
    requests: spend.requests,
    maxRequests: deps.budgets.maxRequestsPerTask,
  };
}

const DAY_MS = 86_400_000;

/** Spend per day, person and repository for a range of budget days (default: the 30 up to `to`, today by default). */
export async function getSpendReport(
  budgets: BudgetMeter,
  range: { from?: string | undefined; to?: string | undefined },
): Promise<SpendReportResponse> {
  const { deps } = budgets;
  const now = deps.now();
  const to = range.to ?? budgetDay(now);
  // Without a start, the 30 days that end at `to`.
  const from = range.from ?? budgetDay(new Date(Date.parse(`${to}T00:00:00.000Z`) - 29 * DAY_MS));
  return {
    currency: deps.pricing.currency,
    from,
    to,
    rows: await deps.ledger.spendReport(from, to),
    limits: { daily: deps.budgets.daily, person: deps.budgets.person, repo: deps.budgets.repo },
  };
}
