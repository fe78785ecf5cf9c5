import pg from "pg";
import pino from "pino";
import {
  MIGRATION_NAMES,
  createTaskStore,
  openDatabase,
  openPostgresDatabase,
} from "../../server/adapters/storage/index.js";
import { MIGRATION_LOCK_KEY } from "../../server/adapters/storage/postgres/open-postgres-database.js";
import { createTestDatabaseUrl, openTestPostgres } from "../support/postgres-database.js";
import { listQuery, newFixTask } from "../support/task-store-contract.js";

const logger = pino({ level: "silent" });

async function query<T extends pg.QueryResultRow>(
  url: string,
  text: string,
  values: unknown[] = [],
) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(text, values)).rows;
  } finally {
    await client.end();
  }
}

describe("PostgreSQL storage", () => {
  it("stores times as timestamptz and hands them back as the same ISO strings", async () => {
    const db = await openTestPostgres();
    try {
      const types = await query<{ column_name: string; data_type: string }>(
        db.url,
        `SELECT column_name, data_type FROM information_schema.columns
         WHERE table_name = 'tasks' AND column_name LIKE '%_at' ORDER BY column_name`,
      );
      expect(types.map((t) => [t.column_name, t.data_type])).toEqual([
        ["created_at", "timestamp with time zone"],
        ["finished_at", "timestamp with time zone"],
        ["lease_expires_at", "timestamp with time zone"],
        ["started_at", "timestamp with time zone"],
        ["updated_at", "timestamp with time zone"],
      ]);
      const store = createTaskStore(db);
      const { task } = await store.create(newFixTask("TZ-1"));
      const updated = await store.update(task.id, { startedAt: "2024-03-01T19:30:00.5-05:00" });
      expect(updated.startedAt).toBe("2024-03-02T00:30:00.500Z");
      expect(updated.createdAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
      // A filter on created_at compares times, not text.
      const page = await store.list(listQuery({ from: "2000-01-01T01:00:00+01:00" }));
      expect(page.tasks.map((t) => t.id)).toEqual([task.id]);
    } finally {
      await db.close();
    }
  });

  it("rejects a second active task of a ticket even from raw SQL", async () => {
    const db = await openTestPostgres();
    try {
      await createTaskStore(db).create(newFixTask("RAW-1"));
      const insert = (id: string, status: string) =>
        query(
          db.url,
          `INSERT INTO tasks (id, kind, ticket_key, repo, status, phase, base_branch, created_by,
            created_at, updated_at) VALUES ($1, 'fix', 'RAW-1', 'r', $2, 'queued', 'main', 'u',
            now(), now())`,
          [id, status],
        );
      await expect(insert("other-1", "running")).rejects.toMatchObject({ code: "23505" });
      await expect(insert("other-2", "completed")).resolves.toEqual([]);
    } finally {
      await db.close();
    }
  });

  it("migrates under an advisory lock: a second node waits, then finds nothing to do", async () => {
    const fresh = await createTestDatabaseUrl();
    const holder = new pg.Client({ connectionString: fresh.url });
    await holder.connect();
    try {
      await holder.query("SELECT pg_advisory_lock($1)", [MIGRATION_LOCK_KEY]);
      const opening = [1, 2].map(() => openPostgresDatabase({ url: fresh.url, logger }));
      // Both nodes are queued on the lock (not migrating around it)...
      for (;;) {
        const waiting = await holder.query(
          "SELECT count(*)::int AS n FROM pg_locks WHERE locktype = 'advisory' AND NOT granted",
        );
        if ((waiting.rows[0] as { n: number }).n === 2) break;
        await new Promise((resolve) => setImmediate(resolve));
      }
      const before = await holder.query("SELECT to_regclass('tasks') AS t");
      expect((before.rows[0] as { t: unknown }).t).toBeNull();
      await holder.query("SELECT pg_advisory_unlock($1)", [MIGRATION_LOCK_KEY]);
      // ...and once it is free, each migration is applied exactly once.
      const dbs = await Promise.all(opening);
      const applied = await holder.query("SELECT name FROM kysely_migration ORDER BY name");
      expect(applied.rows.map((r: { name: string }) => r.name)).toEqual(MIGRATION_NAMES);
      await Promise.all(dbs.map((d) => d.close()));
    } finally {
      await holder.end();
      await fresh.drop();
    }
  });

  it("shows every node's writes in the next list (no stale cache across nodes)", async () => {
    const a = await openTestPostgres();
    const b = await openPostgresDatabase({ url: a.url, logger });
    try {
      const storeA = createTaskStore(a);
      const storeB = createTaskStore(b);
      expect((await storeB.list(listQuery())).tasks).toEqual([]);
      const { task } = await storeA.create(newFixTask("NODE-1"));
      expect((await storeB.list(listQuery())).tasks.map((t) => t.id)).toEqual([task.id]);
      await storeA.transition(task.id, ["queued"], { status: "cancelled" });
      expect((await storeB.list(listQuery())).tasks.map((t) => t.status)).toEqual(["cancelled"]);
    } finally {
      await b.close();
      await a.close();
    }
  });

  it("fails with a clear error when DATABASE_URL cannot be reached", async () => {
    await expect(
      openDatabase({
        url: "postgres://postgres@127.0.0.1:1/none",
        dataDir: "/nonexistent",
        logger,
      }),
    ).rejects.toMatchObject({
      code: "internal",
      message: "Cannot open the PostgreSQL database (DATABASE_URL)",
    });
  });
});
