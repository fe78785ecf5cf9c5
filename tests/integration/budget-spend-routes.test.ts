import { ServicesResponseSchema, SpendReportResponseSchema } from "../../shared/index.js";
import { appHarness } from "../support/app-harness.js";

/** 0.10 USD at the harness's prices: 100,000 input tokens. */
const TEN_CENTS = {
  inputTokens: 100_000,
  cachedInputTokens: 0,
  outputTokens: 0,
  reasoningTokens: 0,
};

type Harness = Awaited<ReturnType<typeof appHarness>>;

/** A prompt task of this person on this repository, with `requests` metered requests of 0.10. */
async function spendOn(h: Harness, createdBy: string, repo: string, requests: number) {
  const { task } = await h.store.create({
    kind: "prompt",
    ticketKey: null,
    repo,
    baseBranch: "main",
    branch: null,
    prompt: "Explain the build",
    instructions: null,
    createdBy,
    ticketSnapshot: null,
  });
  for (let i = 0; i < requests; i += 1) {
    const admission = await h.meter!.admit(task.id);
    if (!("requestId" in admission)) throw new Error(admission.refused.message);
    await h.meter!.finish(admission.requestId, TEN_CENTS);
  }
  return task;
}

const today = () => new Date().toISOString().slice(0, 10);

describe("GET /api/budget/spend", () => {
  it("gives admins the day's spend per person and repository, with the daily budgets", async () => {
    const h = await appHarness({ budgets: { daily: 5, person: 1, repo: 2 } });
    try {
      await spendOn(h, "ann@acme.test", "acme/calc", 2);
      await spendOn(h, "ann@acme.test", "acme/web", 1);
      await spendOn(h, "bob@acme.test", "acme/calc", 3);

      const res = await h.as("admin").get("/api/budget/spend").expect(200);
      const report = SpendReportResponseSchema.parse(res.body);
      const day = today();
      expect(report.currency).toBe("USD");
      expect(report.to).toBe(day);
      expect(report.from).toBe(
        new Date(Date.parse(`${day}T00:00:00.000Z`) - 29 * 86_400_000).toISOString().slice(0, 10),
      );
      expect(report.limits).toEqual({ daily: 5, person: 1, repo: 2 });
      const rows = report.rows
        .map((row) => [row.day, row.person, row.repo, Number(row.spent.toFixed(6)), row.requests])
        .sort(
          (a, b) =>
            String(a[1]).localeCompare(String(b[1])) || String(a[2]).localeCompare(String(b[2])),
        );
      expect(rows).toEqual([
        [day, "ann@acme.test", "acme/calc", 0.2, 2],
        [day, "ann@acme.test", "acme/web", 0.1, 1],
        [day, "bob@acme.test", "acme/calc", 0.3, 3],
      ]);
    } finally {
      await h.close();
    }
  });

  it("reports only the days asked for", async () => {
    const h = await appHarness({ budgets: { daily: 5 } });
    try {
      await spendOn(h, "ann@acme.test", "acme/calc", 1);
      const res = await h
        .as("admin")
        .get("/api/budget/spend?from=2020-01-01&to=2020-01-31")
        .expect(200);
      const report = SpendReportResponseSchema.parse(res.body);
      expect([report.from, report.to, report.rows]).toEqual(["2020-01-01", "2020-01-31", []]);
    } finally {
      await h.close();
    }
  });

  it("refuses dates that are not dates, and a range that ends before it starts, with a 400", async () => {
    const h = await appHarness({ budgets: { daily: 5 } });
    try {
      const notADate = await h.as("admin").get("/api/budget/spend?from=yesterday").expect(400);
      expect(notADate.body.error.code).toBe("validation_error");
      expect(JSON.stringify(notADate.body.error)).toMatch(/from/);
      const backwards = await h
        .as("admin")
        .get("/api/budget/spend?from=2026-02-01&to=2026-01-01")
        .expect(400);
      expect(backwards.body.error.code).toBe("validation_error");
      expect(JSON.stringify(backwards.body.error)).toMatch(/from must not be after to/);
    } finally {
      await h.close();
    }
  });

  it("is for admins: a product manager and an engineer get a 403", async () => {
    const h = await appHarness({ budgets: { daily: 5 } });
    try {
      await h.as("pm").get("/api/budget/spend").expect(403);
      await h.as("engineer").get("/api/budget/spend").expect(403);
    } finally {
      await h.close();
    }
  });

  it("is a 404 on a server that meters no usage", async () => {
    const h = await appHarness();
    try {
      const res = await h.as("admin").get("/api/budget/spend").expect(404);
      expect(res.body.error).toEqual({
        code: "not_found",
        message: "This server does not meter model usage",
      });
    } finally {
      await h.close();
    }
  });
});

describe("GET /api/admin/services: the budget check", () => {
  it("warns admins once today's spend reaches 80 % of a daily budget", async () => {
    const h = await appHarness({ budgets: { daily: 1, person: 0.5 } });
    try {
      const services = async () =>
        ServicesResponseSchema.parse(
          (await h.as("admin").get("/api/admin/services").expect(200)).body,
        ).services;
      await spendOn(h, "ann@acme.test", "acme/calc", 3);
      expect(await services()).toEqual([
        expect.objectContaining({ name: "budget", state: "ok", code: null, message: null }),
      ]);
      await spendOn(h, "bob@acme.test", "acme/calc", 5);
      const [budget] = await services();
      expect(budget).toMatchObject({ name: "budget", state: "warning", code: "budget_exceeded" });
      expect(budget?.message).toMatch(
        /^The daily budget \(DAILY_BUDGET\): 0\.80 USD of 1\.00 USD used today \(80 %\); bob@acme\.test's daily budget \(PERSON_DAILY_BUDGET\): 0\.50 USD of 0\.50 USD used today \(100 %\), spent\. Daily budgets reset at 00:00 UTC/,
      );
    } finally {
      await h.close();
    }
  });

  it("is not listed without a daily budget", async () => {
    const h = await appHarness({ budgets: { task: 1 } });
    try {
      const res = await h.as("admin").get("/api/admin/services").expect(200);
      expect(res.body).toEqual({ services: [] });
    } finally {
      await h.close();
    }
  });
});
