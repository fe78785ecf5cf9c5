import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pino from "pino";
import { createTaskStore, openSqliteDatabase } from "../../server/adapters/storage/index.js";
import { openTestPostgres } from "../support/postgres-database.js";
import { describeTaskStoreContract } from "../support/task-store-contract.js";

const logger = pino({ level: "silent" });
let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "patchboard-store-"));
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

let n = 0;
describeTaskStoreContract("SQLite file", async () =>
  createTaskStore(await openSqliteDatabase({ file: join(dir, `t${++n}.db`), logger })),
);
describeTaskStoreContract("SQLite :memory:", async () =>
  createTaskStore(await openSqliteDatabase({ file: ":memory:", logger })),
);
describeTaskStoreContract("PostgreSQL", async () => createTaskStore(await openTestPostgres()));
