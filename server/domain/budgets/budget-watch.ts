import { BUDGET_WARNING_SHARE } from "../../../shared/budget.js";
import type { ServiceStatus } from "../../../shared/service-status.js";
import type { BudgetCheckDeps } from "./budget-check.js";
import { budgetDay, budgetDayEnd, formatAmount } from "./budget-settings.js";

/** A millionth of a cent: below it, two amounts are the same. */
const EPSILON = 1e-8;

/** One of today's daily budgets with what is spent against it. */
interface Watched {
  what: string;
  spent: number;
  limit: number;
}

/** Today's spend against every daily budget: the whole day's, each person's, each repository's. */
async function todaysLines(deps: BudgetCheckDeps, day: string): Promise<Watched[]> {
  const { daily, person, repo } = deps.budgets;
  const rows = await deps.ledger.spendReport(day, day);
  const sum = (key: (row: (typeof rows)[number]) => string | null) => {
    const totals = new Map<string, number>();
    for (const row of rows) {
      const k = key(row);
      // Nightly reviews have no person nor repository: they count against the day only.
      if (k !== null) totals.set(k, (totals.get(k) ?? 0) + row.spent);
    }
    return [...totals.entries()].sort(([a], [b]) => a.localeCompare(b));
  };
  const lines: Watched[] = [];
  if (daily !== null) {
    const spent = rows.reduce((total, row) => total + row.spent, 0);
    lines.push({ what: "The daily budget (DAILY_BUDGET)", spent, limit: daily });
  }
  if (person !== null) {
    for (const [who, spent] of sum((row) => row.person)) {
      lines.push({ what: `${who}'s daily budget (PERSON_DAILY_BUDGET)`, spent, limit: person });
    }
  }
  if (repo !== null) {
    for (const [name, spent] of sum((row) => row.repo)) {
      lines.push({ what: `${name}'s daily budget (REPO_DAILY_BUDGET)`, spent, limit: repo });
    }
  }
  return lines;
}

/**
 * The admins' service check of the budgets: `warning` when today's spend reaches 80 % of
 * a daily budget (all tasks, a person's, a repository's), naming each such budget and what
 * is spent, with the code `budget_exceeded` once one is spent; `ok` below. Null when no
 * daily budget is configured (nothing to watch). Read at each call: spend moves all day.
 */
export async function budgetServiceStatus(deps: BudgetCheckDeps): Promise<ServiceStatus | null> {
  const { daily, person, repo } = deps.budgets;
  if (daily === null && person === null && repo === null) return null;
  const now = deps.now();
  const currency = deps.pricing.currency;
  // Costs are sums of floating-point estimates: 8 × 0.10 must count as 80 % of 1.00.
  const near = (await todaysLines(deps, budgetDay(now))).filter(
    (line) => line.spent + EPSILON >= line.limit * BUDGET_WARNING_SHARE,
  );
  const checkedAt = now.toISOString();
  if (near.length === 0) {
    return { name: "budget", state: "ok", code: null, message: null, checkedAt };
  }
  const spent = near.some((line) => line.spent + EPSILON >= line.limit);
  const parts = near.map((line) => {
    const share = line.limit > 0 ? Math.round((line.spent / line.limit) * 100) : 100;
    const used = `${formatAmount(line.spent, currency)} of ${formatAmount(line.limit, currency)} used today (${share} %)`;
    return `${line.what}: ${used}${line.spent + EPSILON >= line.limit ? ", spent" : ""}`;
  });
  return {
    name: "budget",
    state: "warning",
    code: spent ? "budget_exceeded" : null,
    message: `${parts.join("; ")}. Daily budgets reset at 00:00 UTC (${budgetDayEnd(now)})`,
    checkedAt,
  };
}
