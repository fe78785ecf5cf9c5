import { execFile } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { promisify } from "node:util";
import pino from "pino";
import { createTaskStore, openSqliteDatabase } from "../../server/adapters/storage/index.js";
import { listQuery, newFixTask } from "../support/task-store-contract.js";

const logger = pino({ level: "silent" });
let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "patchboard-race-"));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("one active task per ticket, enforced by the database", () => {
  it("yields one task from 100 creates over two connections to one file", async () => {
    const file = join(dir, "two.db");
    const a = createTaskStore(await openSqliteDatabase({ file, logger }));
    const b = createTaskStore(await openSqliteDatabase({ file, logger }));
    const results = await Promise.all(
      Array.from({ length: 100 }, (_, i) => (i % 2 ? a : b).create(newFixTask("RACE-1"))),
    );
    expect(results.filter((r) => r.created)).toHaveLength(1);
    expect(results.filter((r) => !r.created)).toHaveLength(99);
    expect(new Set(results.map((r) => r.task.id)).size).toBe(1);
    expect((await b.list(listQuery({ ticketKey: "RACE-1" }))).tasks).toHaveLength(1);
    await Promise.all([a.close(), b.close()]);
  });

  it("rejects a second active row even from raw SQL that skips the store", async () => {
    const db = await openSqliteDatabase({ file: ":memory:", logger });
    const store = createTaskStore(db);
    await store.create(newFixTask("RAW-1"));
    const insert = db.connection.prepare(
      `INSERT INTO tasks (id, kind, ticket_key, repo, status, phase, base_branch, created_by,
        created_at, updated_at) VALUES (?, 'fix', 'RAW-1', 'r', ?, 'queued', 'main', 'u', 'now', 'now')`,
    );
    expect(() => insert.run("other-1", "running")).toThrow(/UNIQUE constraint failed/);
    expect(() => insert.run("other-2", "completed")).not.toThrow();
    await store.close();
  });

  it("yields one task when two processes race on a fresh file", async () => {
    const file = join(dir, "processes.db");
    const storage = pathToFileURL(resolve("server/adapters/storage/index.ts")).href;
    const pinoUrl = import.meta.resolve("pino");
    const script = join(dir, "racer.mts");
    // Two processes (tsx start-up costs seconds each) open the not-yet-migrated file and
    // fire creates at once, so migrations and inserts really contend through file locks.
    writeFileSync(
      script,
      `import pino from ${JSON.stringify(pinoUrl)};
       import { openSqliteDatabase, createTaskStore } from ${JSON.stringify(storage)};
       const db = await openSqliteDatabase({ file: process.argv[2], logger: pino({ level: "silent" }) });
       const store = createTaskStore(db);
       const input = { kind: "fix", ticketKey: "PROC-1", repo: "r", baseBranch: "main", branch: null,
         prompt: null, instructions: null, createdBy: "u", ticketSnapshot: null };
       const results = await Promise.all(Array.from({ length: 50 }, () => store.create(input)));
       process.stdout.write(JSON.stringify(results.map((r) => [r.task.id, r.created])));
       await store.close();`,
    );
    const run = promisify(execFile);
    const outputs = await Promise.all(
      Array.from({ length: 2 }, () =>
        run(process.execPath, ["--import", "tsx", script, file], { cwd: resolve(".") }),
      ),
    );
    const results = outputs.flatMap((o) => JSON.parse(o.stdout) as Array<[string, boolean]>);
    expect(results).toHaveLength(100);
    expect(results.filter(([, created]) => created)).toHaveLength(1);
    expect(new Set(results.map(([id]) => id)).size).toBe(1);
  });
});
