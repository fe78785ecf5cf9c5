/** The configured budgets; null means no such budget. Amounts are in the price currency. */
export interface BudgetSettings {
  /** TASK_BUDGET: one task, all its turns and follow-ups. */
  task: number | null;
  /** DAILY_BUDGET: all tasks (and nightly reviews) of a day. */
  daily: number | null;
  /** PERSON_DAILY_BUDGET: the tasks one person started, per day. */
  person: number | null;
  /** REPO_DAILY_BUDGET: the tasks on one repository, per day. */
  repo: number | null;
  /** MAX_REQUESTS_PER_TASK: model requests of one task, whatever they cost. */
  maxRequestsPerTask: number | null;
}

/** No budget at all. */
export const NO_BUDGETS: BudgetSettings = {
  task: null,
  daily: null,
  person: null,
  repo: null,
  maxRequestsPerTask: null,
};

/** Estimated cost of some usage (the contract's definition, shared with the pages). */
export { estimateCost } from "../../../shared/settings.js";

/** The budget day of a moment: its UTC date, `YYYY-MM-DD`. Daily budgets reset at 00:00 UTC. */
export function budgetDay(at: Date): string {
  return at.toISOString().slice(0, 10);
}

/** When the budget day of `at` ends (the next 00:00 UTC), ISO-8601. */
export function budgetDayEnd(at: Date): string {
  const end = new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), at.getUTCDate() + 1));
  return end.toISOString();
}

/** An amount with two decimals and the currency, for messages. */
export function formatAmount(amount: number, currency: string): string {
  return `${amount.toFixed(2)} ${currency}`;
}
