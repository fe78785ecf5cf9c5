import { sql } from "kysely";
import pino from "pino";
import { TaskStatsResponseSchema, type PullRequestFigures } from "../../shared/stats.js";
import {
  createPullRequestStore,
  createStatsQuery,
  createTaskStore,
  openSqliteDatabase,
  type Database,
} from "../../server/adapters/storage/index.js";
import { queryPullRequestStats, weekOf } from "../../server/adapters/storage/pull-request-stats.js";
import { pricePullRequestFigures } from "../../server/domain/after-pr/price-pull-request-figures.js";
import type { PullRequestStore } from "../../server/domain/ports/pull-request-store.js";
import type { TaskStore } from "../../server/domain/ports/task-store.js";
import { openTestPostgres } from "../support/postgres-database.js";
import { newFixTask } from "../support/task-store-contract.js";

/**
 * History's pull request figures per week and month, their prices, and the CSV export's
 * pull request columns, on both databases.
 */
const DATABASES: Array<[string, () => Promise<Database>]> = [
  ["SQLite", () => openSqliteDatabase({ file: ":memory:", logger: pino({ level: "silent" }) })],
  ["PostgreSQL", () => openTestPostgres()],
];

let db: Database;
let store: TaskStore;
let pullRequests: PullRequestStore;

let ticket = 0;
/** A task whose pull request opened at `openedAt`, then merged at `mergedAt` (or not). */
async function pullRequest(
  openedAt: string,
  end: { merged?: string; closed?: string } = {},
  tokens = 0,
  repo = "acme/calc",
): Promise<string> {
  const { task } = await store.create(newFixTask(`PRF-${++ticket}`, { repo }));
  await store.addUsage(task.id, { inputTokens: tokens, cachedInputTokens: 0, outputTokens: 0 });
  await pullRequests.recordPush({
    taskId: task.id,
    repo,
    number: ticket,
    url: `https://github.test/${repo}/pull/${ticket}`,
    branch: `codex/prf-${ticket}`,
    draft: false,
    headSha: "a".repeat(40),
    at: openedAt,
  });
  if (end.merged) {
    await pullRequests.update(task.id, {
      state: "merged",
      mergedAt: end.merged,
      closedAt: end.merged,
    });
  } else if (end.closed) {
    await pullRequests.update(task.id, { state: "closed", closedAt: end.closed });
  }
  return task.id;
}

describe("weekOf", () => {
  it("keys a time by the Monday of its ISO week, across months and years", () => {
    expect(weekOf("2024-05-06T10:00:00Z")).toBe("2024-05-06"); // a Monday
    expect(weekOf("2024-05-12T23:59:59Z")).toBe("2024-05-06"); // its Sunday
    expect(weekOf("2024-06-01T00:00:00Z")).toBe("2024-05-27"); // a Saturday
    expect(weekOf("2025-01-01T12:00:00Z")).toBe("2024-12-30");
  });
});

/**
 * Pull requests across a week boundary (Sunday 23:59:59.999, then Monday 00:00), a month
 * boundary, three repositories, every outcome, CI verdicts and rounds. Opened in 2099 so click → pull request
 * is positive. Returns the merged one's task id.
 */
async function mixedPullRequests(): Promise<string> {
  const web = await pullRequest(
    "2099-03-01T23:59:59.999Z",
    { merged: "2099-03-02T01:00:00.000Z" },
    1_000,
    "acme/web",
  );
  await pullRequests.update(web, { firstCiGreen: true });
  await pullRequests.claimRound({
    taskId: web,
    trigger: "review",
    actor: "octo",
    headSha: "a".repeat(40),
    key: "review:1",
    at: "2099-03-01T23:59:59.999Z",
  });
  const calc = await pullRequest("2099-03-02T00:00:00.000Z", { closed: "2099-03-03T00:00:00Z" });
  await pullRequests.update(calc, { firstCiGreen: false });
  for (const key of ["ci:1", "ci:2"]) {
    await pullRequests.claimRound({
      taskId: calc,
      trigger: "ci",
      actor: "lint",
      headSha: "a".repeat(40),
      key,
      at: "2099-03-02T01:00:00Z",
    });
  }
  await pullRequest("2099-02-28T12:00:00Z", {}, 5, "zeta/app");
  return web;
}

describe.each(DATABASES)("pull request figures on %s", (name, open) => {
  beforeEach(async () => {
    db = await open();
    store = createTaskStore(db);
    pullRequests = createPullRequestStore(db);
  });
  afterEach(async () => {
    await store.close();
  });

  it("groups the figures per ISO week and per month opened", async () => {
    await pullRequest("2024-05-06T09:00:00Z", { merged: "2024-05-07T09:00:00Z" });
    await pullRequest("2024-05-12T09:00:00Z", { closed: "2024-05-13T09:00:00Z" });
    await pullRequest("2024-05-31T09:00:00Z");
    await pullRequest("2024-06-01T09:00:00Z", { merged: "2024-06-01T10:00:00Z" });
    const stats = TaskStatsResponseSchema.parse(await createStatsQuery(db).taskStats({}));
    const prs = stats.pullRequests;
    expect(prs?.weeks.map((w) => [w.key, w.opened, w.merged, w.closed, w.mergeRate])).toEqual([
      ["2024-05-06", 2, 1, 1, 0.5],
      ["2024-05-27", 2, 1, 0, 1],
    ]);
    expect(prs?.months.map((m) => [m.key, m.opened, m.merged, m.medianPrToMergeMs])).toEqual([
      ["2024-05", 3, 1, 24 * 3_600_000],
      ["2024-06", 1, 1, 3_600_000],
    ]);
    expect(prs?.total.opened).toBe(4);
  });

  it("keys days, ISO weeks, months and repositories exactly at their boundaries", async () => {
    await mixedPullRequests();
    const prs = (await createStatsQuery(db).taskStats({})).pullRequests;
    const counts = (figures: PullRequestFigures[] | undefined) =>
      figures?.map((f) => [f.key, f.opened, f.merged, f.closed]);
    expect(counts(prs?.days)).toEqual([
      ["2099-02-28", 1, 0, 0],
      ["2099-03-01", 1, 1, 0],
      ["2099-03-02", 1, 0, 1],
    ]);
    expect(counts(prs?.weeks)).toEqual([
      ["2099-02-23", 2, 1, 0],
      ["2099-03-02", 1, 0, 1],
    ]);
    expect(counts(prs?.months)).toEqual([
      ["2099-02", 1, 0, 0],
      ["2099-03", 2, 1, 1],
    ]);
    expect(counts(prs?.repos)).toEqual([
      ["acme/calc", 1, 0, 1],
      ["acme/web", 1, 1, 0],
      ["zeta/app", 1, 0, 0],
    ]);
    expect(prs?.total).toMatchObject({
      key: "total",
      opened: 3,
      mergeRate: 0.5,
      medianPrToMergeMs: 3_600_001,
      firstPushGreenRate: 0.5,
      roundsPerPr: 1,
      mergedUsage: { inputTokens: 1_000, cachedInputTokens: 0, outputTokens: 0 },
    });
    expect(prs?.total.medianClickToPrMs).toBeGreaterThan(0);
  });

  it("counts only the pull requests of the tasks the filters select", async () => {
    await mixedPullRequests();
    const prs = (await createStatsQuery(db).taskStats({ repo: "acme/web" })).pullRequests;
    expect(prs?.repos.map((r) => [r.key, r.opened])).toEqual([["acme/web", 1]]);
    expect(prs?.weeks.map((w) => [w.key, w.opened])).toEqual([["2099-02-23", 1]]);
    const none = (await createStatsQuery(db).taskStats({ repo: "nobody/none" })).pullRequests;
    expect([none?.total.opened, none?.total.mergeRate, none?.total.medianClickToPrMs]).toEqual([
      0,
      null,
      null,
    ]);
    expect([none?.days, none?.weeks, none?.months, none?.repos]).toEqual([[], [], [], []]);
  });

  it("prices the merged pull requests and divides by how many merged", async () => {
    await pullRequest("2024-05-06T09:00:00Z", { merged: "2024-05-07T09:00:00Z" }, 2_000_000);
    await pullRequest("2024-05-06T10:00:00Z", { merged: "2024-05-08T09:00:00Z" }, 1_000_000);
    await pullRequest("2024-05-06T11:00:00Z", { closed: "2024-05-08T09:00:00Z" }, 9_000_000);
    const priced = pricePullRequestFigures(await createStatsQuery(db).taskStats({}), {
      currency: "USD",
      inputPerMillion: 1.5,
      cachedInputPerMillion: 0,
      outputPerMillion: 0,
    });
    // The closed pull request's tokens are not in the merged ones' price.
    expect(priced.pullRequests?.total).toMatchObject({ mergedCost: 4.5, costPerMergedPr: 2.25 });
    expect(priced.pullRequests?.weeks[0]).toMatchObject({ mergedCost: 4.5, costPerMergedPr: 2.25 });
    const none = pricePullRequestFigures(
      await createStatsQuery(db).taskStats({ ticketKey: "X-9" }),
      {
        currency: "USD",
        inputPerMillion: 1.5,
        cachedInputPerMillion: 0,
        outputPerMillion: 0,
      },
    );
    expect(none.pullRequests?.total).toMatchObject({ mergedCost: 0, costPerMergedPr: null });
  });

  it("exports each task's pull request outcome and rounds, and nothing for a task without one", async () => {
    const merged = await pullRequest("2024-05-06T09:00:00Z", { merged: "2024-05-07T09:00:00Z" });
    await pullRequests.claimRound({
      taskId: merged,
      trigger: "ci",
      actor: "lint",
      headSha: "a".repeat(40),
      key: "ci:aaa",
      at: "2024-05-06T12:00:00Z",
    });
    await pullRequests.update(merged, { firstCiGreen: false });
    const { task: without } = await store.create(newFixTask("PRF-NONE"));
    const rows = new Map<string, unknown>();
    for await (const row of createStatsQuery(db).exportRows({}, 1)) rows.set(row.id, row.afterPr);
    expect(rows.get(merged)).toEqual({
      state: "merged",
      openedAt: "2024-05-06T09:00:00Z",
      mergedAt: "2024-05-07T09:00:00Z",
      ciRounds: 1,
      reviewRounds: 0,
      firstCiGreen: false,
    });
    expect(rows.get(without.id)).toBeNull();
  });

  // PostgreSQL groups in SQL (the dialect's summarizePullRequests); Node groups the rows.
  it.skipIf(name === "SQLite")(
    "groups in SQL exactly as Node groups every pull request row",
    async () => {
      await mixedPullRequests();
      // An even count per group too, so the medians interpolate the middle two.
      await pullRequest("2099-03-01T08:00:00Z", { merged: "2099-03-01T08:00:00.500Z" }, 7);
      // Bulk-loaded rows may carry microseconds; Node reads times to the millisecond.
      await sql`update tasks set created_at = '2099-01-01T00:00:00.123789Z'`.execute(db.kysely);
      expect(db.dialect.summarizePullRequests !== undefined).toBe(true);
      for (const filters of [{}, { repo: "acme/calc" }, { ticketKey: "NONE-1" }]) {
        const sqlGrouped = (await createStatsQuery(db).taskStats(filters)).pullRequests;
        expect(sqlGrouped).toEqual(await queryPullRequestStats(db, filters));
      }
    },
  );
});
