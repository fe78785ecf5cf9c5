import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pino from "pino";
import { MIGRATION_NAMES, openSqliteDatabase } from "../../server/adapters/storage/index.js";

const logger = pino({ level: "silent" });
let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "patchboard-db-"));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("openSqliteDatabase", () => {
  it("opens a file database in WAL mode with the safety pragmas", async () => {
    const db = await openSqliteDatabase({ file: join(dir, "wal.db"), logger });
    const pragma = (name: string): unknown => db.connection.pragma(name, { simple: true });
    expect(pragma("journal_mode")).toBe("wal");
    expect(pragma("busy_timeout")).toBe(5000);
    expect(pragma("foreign_keys")).toBe(1);
    expect(pragma("synchronous")).toBe(1); // NORMAL
    await db.close();
    await db.close(); // shared by several stores, so closing twice is fine
  });

  it("opens :memory: with every migration applied", async () => {
    const db = await openSqliteDatabase({ file: ":memory:", logger });
    const names = db.connection
      .prepare("SELECT name FROM kysely_migration ORDER BY name")
      .pluck()
      .all();
    expect(names).toEqual(MIGRATION_NAMES);
    const tables = db.connection
      .prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
      .pluck()
      .all();
    expect(tables).toEqual(expect.arrayContaining(["sessions", "task_events", "tasks"]));
    await db.close();
  });

  it("logs the migrations it applied with fixed messages", async () => {
    const lines: Array<Record<string, unknown>> = [];
    const capture = pino(
      { level: "info" },
      { write: (l: string) => lines.push(JSON.parse(l) as Record<string, unknown>) },
    );
    const db = await openSqliteDatabase({ file: ":memory:", logger: capture });
    await db.close();
    expect(lines.map((l) => l.msg)).toEqual([
      ...MIGRATION_NAMES.map(() => "storage migration"),
      "storage opened",
    ]);
    expect(lines[0]).toMatchObject({ migration: MIGRATION_NAMES[0], status: "Success" });
  });

  it("rolls a failed migration run back completely", async () => {
    const file = join(dir, "failed.db");
    await expect(
      openSqliteDatabase({ file, logger, migrateTo: "9999-missing" }),
    ).rejects.toMatchObject({ code: "internal" });
    // Nothing of the failed run was committed: the next open still has everything to do.
    const applied: unknown[] = [];
    const capture = pino({ level: "info" }, { write: (l: string) => applied.push(JSON.parse(l)) });
    const db = await openSqliteDatabase({ file, logger: capture });
    expect(applied.at(-1)).toMatchObject({ msg: "storage opened", applied: MIGRATION_NAMES });
    await db.close();
  });

  it("enforces foreign keys from events to tasks", async () => {
    const db = await openSqliteDatabase({ file: ":memory:", logger });
    expect(() =>
      db.connection
        .prepare(
          "INSERT INTO task_events (task_id, seq, type, payload, at) VALUES ('x', 1, 't', '{}', 'now')",
        )
        .run(),
    ).toThrow(/FOREIGN KEY/);
    await db.close();
  });
});
