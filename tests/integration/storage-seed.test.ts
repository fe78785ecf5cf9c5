import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pino from "pino";
import {
  createTaskStore,
  createStatsQuery,
  openSqliteDatabase,
  seedTasks,
} from "../../server/adapters/storage/index.js";
import { encodeCursor } from "../../server/adapters/storage/cursor.js";
import { listQuery } from "../support/task-store-contract.js";

const logger = pino({ level: "silent" });
let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "patchboard-seed-"));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function timed<T>(work: () => Promise<T>): Promise<{ value: T; ms: number }> {
  const start = performance.now();
  const value = await work();
  return { value, ms: Math.round((performance.now() - start) * 100) / 100 };
}

describe("seedTasks", () => {
  it("inserts tasks and events that the stores read back as valid", async () => {
    const db = await openSqliteDatabase({ file: join(dir, "small.db"), logger });
    const result = await seedTasks(db, 2000, 5);
    expect(result).toMatchObject({ tasks: 2000, events: 10_000 });
    const store = createTaskStore(db);
    const page = await store.list(listQuery({ limit: 200 }));
    expect(page.tasks).toHaveLength(200);
    const first = page.tasks[0];
    expect((await store.listEvents(first?.id ?? "")).map((e) => e.seq)).toEqual([1, 2, 3, 4, 5]);
    expect(
      (
        await store.appendEvent(first?.id ?? "", {
          type: "task.log",
          payload: { level: "info", message: "x" },
        })
      ).seq,
    ).toBe(6);
    const exported: string[] = [];
    for await (const task of createStatsQuery(db).exportRows({})) exported.push(task.id);
    expect(exported).toHaveLength(2000);
    // Seeding twice stays within the one-active-task-per-ticket index.
    await expect(seedTasks(db, 500, 1)).resolves.toMatchObject({ tasks: 500 });
    await store.close();
  });
});

/**
 * `STORAGE_BENCH=1 npx vitest run tests/integration/storage-seed.test.ts` seeds 100,000
 * tasks and 2,000,000 events into a file database and prints how long the hot queries take.
 */
describe.runIf(process.env.STORAGE_BENCH === "1")("storage benchmark", () => {
  it("seeds 100k tasks / 2M events and keeps list pages fast", { timeout: 600_000 }, async () => {
    const db = await openSqliteDatabase({ file: join(dir, "bench.db"), logger });
    const store = createTaskStore(db);
    const stats = createStatsQuery(db);
    const seeded = await seedTasks(db, 100_000, 20);
    const report: Record<string, number> = { seedMs: Math.round(seeded.durationMs) };
    await store.list(listQuery()); // warm the statement cache once
    const runs: Array<[string, () => Promise<unknown>]> = [
      ["listFirstPage", () => store.list(listQuery())],
      ["listDeepCursor", () => store.list(listQuery({ cursor: encodeCursor(1000) }))],
      ["listStatusFirst", () => store.list(listQuery({ status: "failed" }))],
      [
        "listStatusDeep",
        () => store.list(listQuery({ status: "failed", cursor: encodeCursor(1000) })),
      ],
      [
        "listRepoCreatedBy",
        () => store.list(listQuery({ repo: "acme/web", createdBy: "user2@example.com" })),
      ],
      ["listOutcome", () => store.list(listQuery({ outcome: "answered" }))],
      [
        "listDateRange",
        () => store.list(listQuery({ from: "2000-01-01T00:00:00Z", to: "2100-01-01T00:00:00Z" })),
      ],
      ["listTicket", () => store.list(listQuery({ ticketKey: "SEED-42" }))],
      [
        "findActive100",
        () => store.findActive(Array.from({ length: 100 }, (_, i) => `SEEDACT-${99_001 + i}`)),
      ],
      [
        "listEvents",
        async () =>
          store.listEvents((await store.list(listQuery({ limit: 1 }))).tasks[0]?.id ?? ""),
      ],
      ["taskStatsAll", () => stats.taskStats({})],
      [
        "exportAll",
        async () => {
          let n = 0;
          for await (const _t of stats.exportRows({})) n++;
          return n;
        },
      ],
    ];
    for (const [name, run] of runs) report[name] = (await timed(run)).ms;
    process.stdout.write(`storage benchmark ${JSON.stringify(report, null, 2)}\n`);
    expect(report.listFirstPage).toBeLessThan(100);
    expect(report.listDeepCursor).toBeLessThan(100);
    await store.close();
  });
});
