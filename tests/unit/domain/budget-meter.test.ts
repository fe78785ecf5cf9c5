import { pino } from "pino";
import { AppError } from "../../../server/domain/app-error.js";
import { assertBudgetLeft } from "../../../server/domain/budgets/assert-budget-left.js";
import { BudgetMeter } from "../../../server/domain/budgets/budget-meter.js";
import { NO_BUDGETS, type BudgetSettings } from "../../../server/domain/budgets/budget-settings.js";
import type { ModelUsage } from "../../../server/domain/ports/usage-meter.js";
import { InProcessEventHub } from "../../../server/adapters/events/in-process-event-hub.js";
import { InMemoryUsageLedger } from "../../support/fakes/in-memory-usage-ledger.js";
import { InMemoryTaskStore } from "../../support/in-memory-task-store.js";

const PRICING = {
  currency: "EUR",
  inputPerMillion: 1,
  cachedInputPerMillion: 0.1,
  outputPerMillion: 10,
};
/** 0.10 EUR: 100,000 input tokens, none cached, no output. */
const TEN_CENTS: ModelUsage = {
  inputTokens: 100_000,
  cachedInputTokens: 0,
  outputTokens: 0,
  reasoningTokens: 0,
};

function setup(budgets: Partial<BudgetSettings>, start = "2026-12-01T10:00:00.000Z") {
  const clock = { now: new Date(start) };
  const store = new InMemoryTaskStore();
  const ledger = new InMemoryUsageLedger();
  const hub = new InProcessEventHub();
  const meter = new BudgetMeter({
    ledger,
    budgets: { ...NO_BUDGETS, ...budgets },
    pricing: PRICING,
    now: () => clock.now,
    store,
    hub,
    logger: pino({ level: "silent" }),
  });
  const newTask = async (createdBy = "pat@acme.test", repo = "acme/calc") =>
    (
      await store.create({
        kind: "prompt",
        ticketKey: null,
        repo,
        baseBranch: "main",
        branch: null,
        prompt: "Do it",
        instructions: null,
        createdBy,
        ticketSnapshot: null,
      })
    ).task;
  /** Admits one request and completes it with `usage`; the refusal message when refused. */
  const spend = async (ownerId: string, usage: ModelUsage = TEN_CENTS): Promise<string | null> => {
    const admission = await meter.admit(ownerId);
    if ("refused" in admission) return admission.refused.message;
    await meter.finish(admission.requestId, usage);
    return null;
  };
  return { clock, store, ledger, meter, newTask, spend };
}

describe("budget meter", () => {
  it("lets the request that crosses the task's budget through and refuses the next", async () => {
    const { meter, newTask, spend } = setup({ task: 0.25 });
    const task = await newTask();
    expect(await spend(task.id)).toBeNull(); // 0.10
    expect(await spend(task.id)).toBeNull(); // 0.20
    expect(await spend(task.id)).toBeNull(); // 0.30: started below the line
    expect(await spend(task.id)).toBe(
      "The task's budget (TASK_BUDGET) is spent: 0.30 EUR of 0.25 EUR used; an engineer can continue it with a follow-up that adds budget",
    );
    const refusal = meter.takeRefusal(task.id);
    expect(refusal).toBeInstanceOf(AppError);
    expect(refusal?.code).toBe("budget_exceeded");
    expect(refusal?.status).toBe(402);
    expect(meter.takeRefusal(task.id)).toBeNull();
  });

  it("records each response on the task at once, with an event of the totals", async () => {
    const { store, newTask, spend } = setup({});
    const task = await newTask();
    await spend(task.id, {
      inputTokens: 1000,
      cachedInputTokens: 400,
      outputTokens: 50,
      reasoningTokens: 20,
    });
    expect((await store.get(task.id))?.usage).toEqual({
      inputTokens: 1000,
      cachedInputTokens: 400,
      outputTokens: 50,
    });
    await spend(task.id, {
      inputTokens: 2000,
      cachedInputTokens: 0,
      outputTokens: 0,
      reasoningTokens: 0,
    });
    const events = (await store.listEvents(task.id)).filter((e) => e.type === "task.usage");
    expect(events.map((e) => e.payload)).toEqual([
      {
        usage: { inputTokens: 1000, cachedInputTokens: 400, outputTokens: 50 },
        spent: expect.closeTo(0.00114, 9) as number,
        requests: 1,
      },
      {
        usage: { inputTokens: 3000, cachedInputTokens: 400, outputTokens: 50 },
        spent: expect.closeTo(0.00314, 9) as number,
        requests: 2,
      },
    ]);
  });

  it("stops a looping task at MAX_REQUESTS_PER_TASK whatever the price", async () => {
    const { newTask, spend } = setup({ maxRequestsPerTask: 2 });
    const task = await newTask();
    const free: ModelUsage = {
      inputTokens: 0,
      cachedInputTokens: 0,
      outputTokens: 0,
      reasoningTokens: 0,
    };
    expect(await spend(task.id, free)).toBeNull();
    expect(await spend(task.id, free)).toBeNull();
    expect(await spend(task.id, free)).toMatch(
      /^The task made 2 model requests, its limit \(MAX_REQUESTS_PER_TASK = 2\)/,
    );
  });

  it("counts a request as made even when its response never completed", async () => {
    const { meter, newTask, spend } = setup({ maxRequestsPerTask: 1 });
    const task = await newTask();
    const admission = await meter.admit(task.id);
    if ("refused" in admission) throw new Error("refused");
    await meter.finish(admission.requestId, null);
    expect(await spend(task.id)).toMatch(/MAX_REQUESTS_PER_TASK/);
  });

  it("applies a person's daily budget to that person only, until the day ends (UTC)", async () => {
    const { clock, newTask, spend } = setup({ person: 0.15 });
    const pats = [await newTask("pat@acme.test"), await newTask("pat@acme.test")];
    const eves = await newTask("eve@acme.test");
    expect(await spend(pats[0]!.id)).toBeNull();
    expect(await spend(pats[0]!.id)).toBeNull();
    expect(await spend(pats[1]!.id)).toBe(
      "Your daily budget (PERSON_DAILY_BUDGET) is spent: 0.20 EUR of 0.15 EUR used today; it resets at 00:00 UTC (2026-12-02T00:00:00.000Z)",
    );
    expect(await spend(eves.id)).toBeNull();
    clock.now = new Date("2026-12-02T00:00:00.000Z");
    expect(await spend(pats[1]!.id)).toBeNull();
  });

  it("counts a nightly review run against the day, not as a task", async () => {
    const { store, newTask, spend } = setup({ daily: 0.15, repo: 0.05 });
    expect(await spend("review-run-1")).toBeNull();
    expect(await spend("review-run-1")).toBeNull();
    const task = await newTask();
    expect(await spend(task.id)).toMatch(/^The daily budget \(DAILY_BUDGET\) is spent: 0.20 EUR/);
    expect((await store.get(task.id))?.usage.inputTokens).toBe(0);
  });

  it("raises a task's budget by what people added", async () => {
    const { ledger, newTask, spend } = setup({ task: 0.1 });
    const task = await newTask();
    expect(await spend(task.id)).toBeNull();
    expect(await spend(task.id)).not.toBeNull();
    await ledger.addGrant({ ownerId: task.id, amount: 0.1, by: "eve@acme.test", at: "now" });
    expect(await spend(task.id)).toBeNull();
    expect(await spend(task.id)).toMatch(/0.20 EUR of 0.20 EUR used/);
  });

  it("refuses a click beyond a daily budget with a 402 naming it and when it resets", async () => {
    const { meter, newTask, spend } = setup({ repo: 0.05 });
    const task = await newTask("pat@acme.test", "acme/calc");
    await spend(task.id);
    const click = assertBudgetLeft(meter, { person: "ann@acme.test", repo: "acme/calc" });
    await expect(click).rejects.toMatchObject({
      code: "budget_exceeded",
      status: 402,
      message:
        "The daily budget of the repository (REPO_DAILY_BUDGET) is spent: 0.10 EUR of 0.05 EUR used today; it resets at 00:00 UTC (2026-12-02T00:00:00.000Z)",
      details: { budget: "repo", limit: 0.05, spent: 0.1, resetsAt: "2026-12-02T00:00:00.000Z" },
    });
    await expect(
      assertBudgetLeft(meter, { person: "ann@acme.test", repo: "acme/other" }),
    ).resolves.toBeUndefined();
  });
});
