import type { BudgetSettings } from "../../../server/domain/budgets/budget-settings.js";
import { NO_BUDGETS } from "../../../server/domain/budgets/budget-settings.js";
import { budgetServiceStatus } from "../../../server/domain/budgets/budget-watch.js";
import type { UsageOwner } from "../../../server/domain/ports/usage-meter.js";
import { InMemoryUsageLedger } from "../../support/fakes/in-memory-usage-ledger.js";

const PRICING = {
  currency: "EUR",
  inputPerMillion: 1,
  cachedInputPerMillion: 0.1,
  outputPerMillion: 10,
};
const NOW = new Date("2026-12-01T10:00:00.000Z");
const TOMORROW = "2026-12-02T00:00:00.000Z";

/** A ledger holding requests of these costs, on this day (today by default). */
async function ledgerWith(
  spends: { person: string | null; repo: string | null; cost: number; day?: string }[],
): Promise<InMemoryUsageLedger> {
  const ledger = new InMemoryUsageLedger();
  let n = 0;
  for (const spend of spends) {
    n += 1;
    const owner: UsageOwner = {
      kind: spend.person === null ? "review" : "task",
      id: `owner-${n}`,
      person: spend.person,
      repo: spend.repo,
    };
    await ledger.startRequest({ id: `r${n}`, owner, day: spend.day ?? "2026-12-01" });
    await ledger.completeRequest(
      `r${n}`,
      { inputTokens: 1, cachedInputTokens: 0, outputTokens: 0, reasoningTokens: 0 },
      spend.cost,
    );
  }
  return ledger;
}

function check(ledger: InMemoryUsageLedger, budgets: Partial<BudgetSettings>) {
  return budgetServiceStatus({
    ledger,
    budgets: { ...NO_BUDGETS, ...budgets },
    pricing: PRICING,
    now: () => NOW,
  });
}

describe("the budget service check", () => {
  it("is absent without a daily budget (a task budget alone is not watched)", async () => {
    const ledger = await ledgerWith([{ person: "ann@acme.test", repo: "acme/calc", cost: 100 }]);
    await expect(check(ledger, { task: 1, maxRequestsPerTask: 3 })).resolves.toBeNull();
  });

  it("is ok below 80 % of every daily budget", async () => {
    const ledger = await ledgerWith([
      { person: "ann@acme.test", repo: "acme/calc", cost: 7.99 },
      // Yesterday's spend does not count today.
      { person: "ann@acme.test", repo: "acme/calc", cost: 50, day: "2026-11-30" },
    ]);
    await expect(check(ledger, { daily: 10, person: 10, repo: 10 })).resolves.toEqual({
      name: "budget",
      state: "ok",
      code: null,
      message: null,
      checkedAt: NOW.toISOString(),
    });
  });

  it("warns at 80 % of the day's budget, naming it, what is spent and when it resets", async () => {
    const ledger = await ledgerWith([
      { person: "ann@acme.test", repo: "acme/calc", cost: 5 },
      { person: null, repo: null, cost: 3 },
    ]);
    await expect(check(ledger, { daily: 10 })).resolves.toEqual({
      name: "budget",
      state: "warning",
      code: null,
      message: `The daily budget (DAILY_BUDGET): 8.00 EUR of 10.00 EUR used today (80 %). Daily budgets reset at 00:00 UTC (${TOMORROW})`,
      checkedAt: NOW.toISOString(),
    });
  });

  it("warns for each person and repository at 80 % of theirs, and says which are spent", async () => {
    const ledger = await ledgerWith([
      { person: "ann@acme.test", repo: "acme/calc", cost: 1.7 },
      { person: "bob@acme.test", repo: "acme/calc", cost: 1 },
      { person: "cid@acme.test", repo: "acme/web", cost: 2.1 },
      // Reviews count against the day only, never a person's nor a repository's budget.
      { person: null, repo: null, cost: 50 },
    ]);
    const status = await check(ledger, { person: 2, repo: 3 });
    expect(status?.state).toBe("warning");
    expect(status?.code).toBe("budget_exceeded");
    expect(status?.message?.split("; ")).toEqual([
      "ann@acme.test's daily budget (PERSON_DAILY_BUDGET): 1.70 EUR of 2.00 EUR used today (85 %)",
      "cid@acme.test's daily budget (PERSON_DAILY_BUDGET): 2.10 EUR of 2.00 EUR used today (105 %), spent",
      `acme/calc's daily budget (REPO_DAILY_BUDGET): 2.70 EUR of 3.00 EUR used today (90 %). Daily budgets reset at 00:00 UTC (${TOMORROW})`,
    ]);
  });
});
