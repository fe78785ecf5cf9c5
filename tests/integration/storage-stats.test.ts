import pino from "pino";
import { TaskStatsResponseSchema } from "../../shared/stats.js";
import {
  createTaskStore,
  createStatsQuery,
  openSqliteDatabase,
} from "../../server/adapters/storage/index.js";
import type { Database } from "../../server/adapters/storage/index.js";
import type { TaskStatsQuery } from "../../server/domain/ports/task-stats.js";
import type { TaskStore } from "../../server/domain/ports/task-store.js";
import type { Task } from "../../shared/task.js";
import { openTestPostgres } from "../support/postgres-database.js";
import { newFixTask, newPromptTask } from "../support/task-store-contract.js";

let db: Database;
let store: TaskStore;
let stats: TaskStatsQuery;
afterEach(async () => {
  vi.useRealTimers();
  await store.close();
});

/** Each test on a fresh database of each kind; the slicing tests are SQLite's alone. */
const DATABASES: Array<[string, () => Promise<Database>]> = [
  ["SQLite", () => openSqliteDatabase({ file: ":memory:", logger: pino({ level: "silent" }) })],
  ["PostgreSQL", () => openTestPostgres()],
];

let ticket = 0;
/** Creates a task at `createdAt` and finishes it `durationMs` after starting. */
async function task(
  createdAt: string,
  status: Task["status"],
  durationMs: number | null,
  extra: Partial<Task> = {},
): Promise<Task> {
  vi.useFakeTimers({ toFake: ["Date"] });
  vi.setSystemTime(new Date(createdAt));
  const { task: created } = await store.create(newFixTask(`ST-${++ticket}`));
  vi.useRealTimers();
  const started = Date.parse(createdAt) + 1000;
  return store.update(created.id, {
    status,
    startedAt: durationMs === null ? null : new Date(started).toISOString(),
    finishedAt: durationMs === null ? null : new Date(started + durationMs).toISOString(),
    ...extra,
  });
}

describe.each(DATABASES)("taskStats on %s", (dbName, open) => {
  beforeEach(async () => {
    db = await open();
    store = createTaskStore(db);
    stats = createStatsQuery(db);
  });

  it("reports nulls and zeroes when nothing matches", async () => {
    expect(await stats.taskStats({})).toEqual({
      days: [],
      total: 0,
      successRate: null,
      medianDurationMs: null,
      usage: { inputTokens: 0, cachedInputTokens: 0, outputTokens: 0 },
      pullRequests: {
        total: {
          key: "total",
          opened: 0,
          merged: 0,
          closed: 0,
          mergeRate: null,
          medianClickToPrMs: null,
          medianPrToMergeMs: null,
          firstPushGreenRate: null,
          roundsPerPr: null,
          mergedUsage: { inputTokens: 0, cachedInputTokens: 0, outputTokens: 0 },
        },
        days: [],
        weeks: [],
        months: [],
        repos: [],
      },
    });
  });

  it("counts per UTC day, rates success over finished tasks, and sums tokens", async () => {
    const a = await task("2024-03-01T23:59:00+00:00", "completed", 1000);
    await store.addUsage(a.id, { inputTokens: 100, cachedInputTokens: 10, outputTokens: 5 });
    // 00:30 on 2 March in UTC, although 1 March in New York.
    await task("2024-03-01T19:30:00-05:00", "failed", 3000);
    await task("2024-03-02T08:00:00Z", "cancelled", 5000);
    const b = await task("2024-03-02T09:00:00Z", "completed", 60_000);
    await store.addUsage(b.id, { inputTokens: 1, cachedInputTokens: 0, outputTokens: 2 });
    await task("2024-03-04T09:00:00Z", "running", null);

    const result = TaskStatsResponseSchema.parse(await stats.taskStats({}));
    const zero = { inputTokens: 0, cachedInputTokens: 0, outputTokens: 0 };
    expect(result.days).toEqual([
      {
        date: "2024-03-01",
        tasks: 1,
        completed: 1,
        failed: 0,
        usage: { inputTokens: 100, cachedInputTokens: 10, outputTokens: 5 },
      },
      {
        date: "2024-03-02",
        tasks: 3,
        completed: 1,
        failed: 1,
        usage: { inputTokens: 1, cachedInputTokens: 0, outputTokens: 2 },
      },
      { date: "2024-03-04", tasks: 1, completed: 0, failed: 0, usage: zero },
    ]);
    expect(result.total).toBe(5);
    expect(result.successRate).toBe(0.5); // 2 completed of 4 finished
    expect(result.medianDurationMs).toBe(4000); // mean of 3000 and 5000 (even count)
    expect(result.usage).toEqual({ inputTokens: 101, cachedInputTokens: 10, outputTokens: 7 });
  });

  it("takes the middle duration for an odd count and ignores tasks never started", async () => {
    await task("2024-04-01T00:00:00Z", "completed", 10);
    await task("2024-04-01T01:00:00Z", "failed", 250);
    await task("2024-04-01T02:00:00Z", "completed", 90_000);
    await task("2024-04-01T03:00:00Z", "cancelled", null);
    const result = await stats.taskStats({});
    expect(result.medianDurationMs).toBe(250);
    expect(result.successRate).toBe(0.5);
  });

  it("applies the list filters", async () => {
    await task("2024-05-01T00:00:00Z", "completed", 100, { outcome: "pr_opened" });
    await task("2024-05-02T00:00:00Z", "completed", 300, { outcome: "no_changes" });
    await task("2024-05-03T00:00:00Z", "failed", 500);
    const byOutcome = await stats.taskStats({ outcome: "no_changes" });
    expect(byOutcome).toMatchObject({ total: 1, successRate: 1, medianDurationMs: 300 });
    const byRange = await stats.taskStats({
      from: "2024-05-02T00:00:00Z",
      to: "2024-05-03T00:00:00Z",
    });
    expect(byRange.days.map((d) => d.date)).toEqual(["2024-05-02"]);
  });

  it.runIf(dbName === "SQLite")(
    "reads the table in slices, with the same answer whatever their size",
    async () => {
      const days = ["2024-06-01", "2024-06-02", "2024-06-03"];
      for (let i = 0; i < 12; i += 1) {
        const status =
          (["completed", "failed", "cancelled", "running"] as const)[i % 4] ?? "running";
        const made = await task(`${days[i % 3]}T0${i % 10}:00:00Z`, status, (i + 1) * 100);
        await store.addUsage(made.id, { inputTokens: i, cachedInputTokens: 1, outputTokens: 2 });
      }
      const whole = await createStatsQuery(db, { sliceRows: 1000 }).taskStats({});
      expect(whole).toMatchObject({ total: 12, successRate: 3 / 9, medianDurationMs: 600 });
      for (const sliceRows of [1, 2, 5]) {
        expect(await createStatsQuery(db, { sliceRows }).taskStats({})).toEqual(whole);
        expect(await createStatsQuery(db, { sliceRows }).taskStats({ status: "failed" })).toEqual(
          await createStatsQuery(db, { sliceRows: 1000 }).taskStats({ status: "failed" }),
        );
      }
    },
  );

  it.runIf(dbName === "SQLite")(
    "lets other requests run between slices (SQLite's driver blocks while it reads)",
    async () => {
      for (let i = 0; i < 10; i += 1)
        await task(`2024-07-0${(i % 9) + 1}T00:00:00Z`, "completed", 10);
      let turns = 0;
      let running = true;
      const tick = (): void => {
        turns += 1;
        if (running) setImmediate(tick);
      };
      setImmediate(tick);
      await createStatsQuery(db, { sliceRows: 2 }).taskStats({});
      running = false;
      // Five slices: the event loop went round between them, not only once at the end.
      expect(turns).toBeGreaterThanOrEqual(4);
    },
  );
});

describe.each(DATABASES)("exportRows on %s", (_dbName, open) => {
  beforeEach(async () => {
    db = await open();
    store = createTaskStore(db);
    stats = createStatsQuery(db);
  });

  it("streams every matching task newest first, page by page", async () => {
    const ids: string[] = [];
    for (let i = 0; i < 25; i++) {
      const create = i % 5 === 0 ? newPromptTask() : newFixTask(`EX-${i}`);
      ids.push((await store.create(create)).task.id);
    }
    const all: string[] = [];
    for await (const row of stats.exportRows({}, 10)) all.push(row.id);
    expect(all).toEqual([...ids].reverse());

    const prompts: string[] = [];
    for await (const row of stats.exportRows({ status: "queued", ticketKey: "EX-7" }, 2)) {
      prompts.push(row.id);
    }
    expect(prompts).toEqual([ids[7]]);
  });

  it("reads lazily: stopping early leaves later pages unread", async () => {
    for (let i = 0; i < 30; i++) await store.create(newFixTask(`LZ-${i}`));
    const spy = vi.spyOn(db.kysely, "selectFrom");
    let seen = 0;
    for await (const _row of stats.exportRows({}, 10)) {
      if (++seen === 12) break;
    }
    expect(spy).toHaveBeenCalledTimes(2); // two pages of 10 for 12 rows, not three
  });
});
