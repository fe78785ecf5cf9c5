import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pino from "pino";
import { createTaskStore, openSqliteDatabase } from "../../server/adapters/storage/index.js";
import { TaskListQuerySchema } from "../../shared/task.js";
import { newFixTask } from "../support/task-store-contract.js";

// The list cache of the SQLite store: pages are reused until something a list shows
// changes — in this process (any store on the connection) or in another one.

const logger = pino({ level: "silent" });
const query = TaskListQuerySchema.parse({});
let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "patchboard-list-cache-"));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("task list cache", () => {
  it("answers a repeated list from the cache until a write, and events do not count", async () => {
    const db = await openSqliteDatabase({ file: join(dir, "a.db"), logger });
    const store = createTaskStore(db);
    const task = (await store.create(newFixTask("CALC-1"))).task;
    const first = await store.list(query);
    // Same filters in another order: the same cached page, shared and frozen.
    expect(await store.list({ status: undefined, cursor: undefined, limit: 50 })).toBe(first);
    expect(Object.isFrozen(first.tasks[0])).toBe(true);
    await store.appendEvent(task.id, {
      type: "task.log",
      payload: { level: "info", message: "x" },
    });
    expect(await store.list(query)).toBe(first);

    await store.update(task.id, { phase: "analyzing" });
    const second = await store.list(query);
    expect(second).not.toBe(first);
    expect(second.tasks[0]?.phase).toBe("analyzing");
    await store.close();
  });

  it("sees writes of another store on the same connection", async () => {
    const db = await openSqliteDatabase({ file: join(dir, "b.db"), logger });
    const reader = createTaskStore(db);
    const writer = createTaskStore(db);
    const task = (await writer.create(newFixTask("CALC-2"))).task;
    expect((await reader.list(query)).tasks[0]?.status).toBe("queued");
    await writer.transition(task.id, ["queued"], { status: "cancelled" });
    expect((await reader.list(query)).tasks[0]?.status).toBe("cancelled");
    await reader.close();
  });

  it("sees writes another process commits to the same file", async () => {
    const file = join(dir, "c.db");
    const db = await openSqliteDatabase({ file, logger });
    const store = createTaskStore(db);
    const other = await openSqliteDatabase({ file, logger });
    const task = (await store.create(newFixTask("CALC-3"))).task;
    expect((await store.list(query)).tasks[0]?.usage.inputTokens).toBe(0);
    // Another connection stands for another process (npm run review, a second server).
    other.connection.prepare("UPDATE tasks SET input_tokens = 42 WHERE id = ?").run(task.id);
    expect((await store.list(query)).tasks[0]?.usage.inputTokens).toBe(42);
    await other.close();
    await store.close();
  });
});
