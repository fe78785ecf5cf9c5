import { BUDGET_WARNING_SHARE } from "../../../../shared/index.js";
import type { SpendReportResponse, SpendRow } from "../../../../shared/index.js";

/** How close a spend is to its daily budget. */
export type BudgetUse = "ok" | "near" | "over";

/** One line of a spend table: a day, a person or a repository. */
export interface SpendLine {
  key: string;
  spent: number;
  requests: number;
  /** The day with the most spend (the one to read against a daily budget). */
  peakDay: string;
  peakSpent: number;
  /** The daily budget this line is read against; null without one. */
  limit: number | null;
  /** How the peak day (or, for a day, the day itself) compares to the limit. */
  use: BudgetUse;
}

/** The spend report grouped three ways, each group biggest spend first (days newest first). */
export interface SpendRollup {
  total: number;
  requests: number;
  days: SpendLine[];
  people: SpendLine[];
  repos: SpendLine[];
}

/** Compares a day's spend with a daily budget. */
export function budgetUse(spent: number, limit: number | null): BudgetUse {
  if (limit === null) return "ok";
  if (spent >= limit) return "over";
  return spent >= limit * BUDGET_WARNING_SHARE ? "near" : "ok";
}

function group(
  rows: SpendRow[],
  keyOf: (row: SpendRow) => string,
  limit: number | null,
  /** The key of rows no daily budget of this kind applies to (reviews have no person). */
  unowned?: string,
): SpendLine[] {
  // key -> day -> spent, so the peak is a whole day's spend, not one row's.
  const perDay = new Map<string, Map<string, number>>();
  const totals = new Map<string, { spent: number; requests: number }>();
  for (const row of rows) {
    const key = keyOf(row);
    const days = perDay.get(key) ?? new Map<string, number>();
    days.set(row.day, (days.get(row.day) ?? 0) + row.spent);
    perDay.set(key, days);
    const total = totals.get(key) ?? { spent: 0, requests: 0 };
    total.spent += row.spent;
    total.requests += row.requests;
    totals.set(key, total);
  }
  return [...totals.entries()].map(([key, total]) => {
    let peakDay = "";
    let peakSpent = -1;
    for (const [day, spent] of perDay.get(key) ?? []) {
      if (spent > peakSpent) [peakDay, peakSpent] = [day, spent];
    }
    const applies = key === unowned ? null : limit;
    return {
      key,
      ...total,
      peakDay,
      peakSpent,
      limit: applies,
      use: budgetUse(peakSpent, applies),
    };
  });
}

/** Label of the rows that belong to no person: the nightly reviews. */
export const NO_PERSON = "Nightly reviews";
/** Label of the rows that belong to no repository. */
export const NO_REPO = "No repository (reviews)";

/**
 * Groups the report's rows (one per day, person and repository) per day, per person and
 * per repository, each read against its daily budget.
 */
export function rollUpSpend(report: SpendReportResponse): SpendRollup {
  const { rows, limits } = report;
  const bySpent = (a: SpendLine, b: SpendLine) => b.spent - a.spent || a.key.localeCompare(b.key);
  return {
    total: rows.reduce((sum, row) => sum + row.spent, 0),
    requests: rows.reduce((sum, row) => sum + row.requests, 0),
    days: group(rows, (row) => row.day, limits.daily).sort((a, b) => b.key.localeCompare(a.key)),
    people: group(rows, (row) => row.person ?? NO_PERSON, limits.person, NO_PERSON).sort(bySpent),
    repos: group(rows, (row) => row.repo ?? NO_REPO, limits.repo, NO_REPO).sort(bySpent),
  };
}
