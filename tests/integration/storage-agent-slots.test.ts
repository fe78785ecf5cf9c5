import path from "node:path";
import pino from "pino";
import {
  createSlotLeaseStore,
  openPostgresDatabase,
  openSqliteDatabase,
  type Database,
} from "../../server/adapters/storage/index.js";
import type { SlotPriority } from "../../server/domain/ports/agent-slots.js";
import type { SlotLeaseStore } from "../../server/domain/ports/slot-leases.js";
import { LeasedAgentSlots } from "../../server/domain/slots/leased-agent-slots.js";
import { TempDirs } from "../support/git-fixtures.js";
import { openTestPostgres } from "../support/postgres-database.js";

const logger = pino({ level: "silent" });
const POOL = "worker-1";
const tmp = new TempDirs();
const closers: (() => Promise<void>)[] = [];

afterEach(async () => {
  for (const close of closers.splice(0).reverse()) await close();
  await tmp.cleanup();
});

/** Two connections to one database, as two processes (the server and `npm run review`) have. */
type OpenTwo = () => Promise<[Database, Database]>;

const sqliteOnDisk: OpenTwo = async () => {
  const file = path.join(await tmp.make("patchboard-slots-"), "patchboard.db");
  const first = await openSqliteDatabase({ file, logger });
  closers.push(() => first.close());
  const second = await openSqliteDatabase({ file, logger });
  closers.push(() => second.close());
  return [first, second];
};

const postgres: OpenTwo = async () => {
  const first = await openTestPostgres();
  closers.push(() => first.close());
  const second = await openPostgresDatabase({ url: first.url, logger, poolSize: 4 });
  closers.push(() => second.close());
  return [first, second];
};

/** One process's slots on its own connection. */
function slotsOn(db: Database, holder: string, capacity: number, leaseMs = 30_000) {
  return new LeasedAgentSlots({
    store: createSlotLeaseStore(db),
    pool: POOL,
    holder,
    capacity,
    leaseMs,
    pollMs: 50,
    logger,
  });
}

/** Work that holds its slot until released and records when it started. */
function job(
  slots: LeasedAgentSlots,
  priority: SlotPriority,
  log: string[],
  name: string,
  signal = new AbortController().signal,
) {
  let release: () => void = () => {};
  let started: () => void = () => {};
  const running = new Promise<void>((resolve) => (started = resolve));
  const held = new Promise<void>((resolve) => (release = resolve));
  const done = slots.run(priority, signal, async () => {
    log.push(name);
    started();
    await held;
    return name;
  });
  return { release, done, running };
}

/** The pool's requests as [holder, held] in filing order, read through `db`. */
async function rows(db: Database): Promise<[string, number][]> {
  const kysely = db.kysely.withTables<{
    agent_slot_leases: { id: number; pool: string; holder: string; held: number };
  }>();
  const found = await kysely
    .selectFrom("agent_slot_leases")
    .select(["holder", "held"])
    .where("pool", "=", POOL)
    .orderBy("id")
    .execute();
  return found.map((r) => [r.holder, Number(r.held)]);
}

/** Waits until the pool has `count` requests in the table (filed by another connection). */
async function filed(db: Database, count: number): Promise<void> {
  for (let i = 0; i < 500 && (await rows(db)).length < count; i += 1) {
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  expect(await rows(db)).toHaveLength(count);
}

/** Files a request straight in the store: a process that took it and was then killed. */
async function deadHolder(store: SlotLeaseStore, leaseMs: number): Promise<string> {
  const now = Date.now();
  const expiresAt = new Date(now + leaseMs).toISOString();
  const filed = await store.request("dead", {
    pool: POOL,
    priority: "task",
    capacity: 1,
    now: new Date(now).toISOString(),
    expiresAt,
  });
  expect(filed.state).toBe("held");
  return expiresAt;
}

describe.each([
  ["SQLite on disk", sqliteOnDisk],
  ["PostgreSQL", postgres],
])("agent slots shared by two processes on %s", (_name, openTwo) => {
  it("never runs more than the capacity across both, however they race", async () => {
    const [dbA, dbB] = await openTwo();
    const a = slotsOn(dbA, "a", 3);
    const b = slotsOn(dbB, "b", 3);
    let running = 0;
    let most = 0;
    const runs = Array.from({ length: 12 }, (_, i) =>
      (i % 2 === 0 ? a : b).run(
        i % 3 === 0 ? "task" : "review",
        new AbortController().signal,
        async () => {
          running += 1;
          most = Math.max(most, running);
          // Long enough that the first three granted all run at once.
          await new Promise((resolve) => setTimeout(resolve, 150));
          running -= 1;
        },
      ),
    );
    await Promise.all(runs);
    expect(most).toBe(3);
    expect(await rows(dbA)).toEqual([]);
  });

  it("serves the other process's waiting task before this process's waiting review", async () => {
    const [dbA, dbB] = await openTwo();
    const a = slotsOn(dbA, "a", 1);
    const b = slotsOn(dbB, "b", 1);
    const log: string[] = [];
    const busy = job(a, "review", log, "busy");
    await busy.running;
    const review = job(a, "review", log, "a-review");
    await filed(dbA, 2);
    const task = job(b, "task", log, "b-task");
    // Both waiting in the table, the review first, before the slot comes back.
    await filed(dbA, 3);
    expect(await rows(dbA)).toEqual([
      ["a", 1],
      ["a", 0],
      ["b", 0],
    ]);
    // a wakes its own review at once on the release, but b's task is ahead of it.
    busy.release();
    await busy.done;
    await Promise.race([task.running, review.running]);
    expect(log).toEqual(["busy", "b-task"]);
    task.release();
    await task.done;
    await review.running;
    expect(log).toEqual(["busy", "b-task", "a-review"]);
    review.release();
    await review.done;
  });

  it("gives a dead holder's slot back once its lease has ended", async () => {
    const [dbA, dbB] = await openTwo();
    const expiresAt = await deadHolder(createSlotLeaseStore(dbA), 1500);
    const b = slotsOn(dbB, "b", 1);
    const log: string[] = [];
    const waiter = job(b, "task", log, "b-task");
    await waiter.running;
    // Not a moment before the lease ended: the dead holder's row held the slot until then.
    expect(Date.now()).toBeGreaterThanOrEqual(Date.parse(expiresAt));
    expect(await rows(dbA)).toEqual([["b", 1]]);
    waiter.release();
    await waiter.done;
  });

  it("keeps a living holder's slot past its first lease by renewing it", async () => {
    const [dbA, dbB] = await openTwo();
    const a = slotsOn(dbA, "a", 1, 600);
    const b = slotsOn(dbB, "b", 1, 600);
    const log: string[] = [];
    const holder = job(a, "review", log, "a-review");
    await holder.running;
    const firstExpiry = Date.now() + 600;
    const waiter = job(b, "task", log, "b-task");
    // Wait on the renewals themselves: a's lease now ends a whole lease past its first end.
    const kysely = dbA.kysely.withTables<{
      agent_slot_leases: { holder: string; expires_at: string };
    }>();
    for (let i = 0; i < 300; i += 1) {
      const row = await kysely
        .selectFrom("agent_slot_leases")
        .select("expires_at")
        .where("holder", "=", "a")
        .executeTakeFirst();
      if (row !== undefined && Date.parse(row.expires_at) > firstExpiry + 600) break;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect(Date.now()).toBeGreaterThan(firstExpiry);
    expect(log).toEqual(["a-review"]);
    expect(await rows(dbB)).toEqual([
      ["a", 1],
      ["b", 0],
    ]);
    holder.release();
    await holder.done;
    await waiter.running;
    waiter.release();
    await waiter.done;
  });

  it("a cancelled waiter stops waiting at once and leaves the queue", async () => {
    const [dbA, dbB] = await openTwo();
    const a = slotsOn(dbA, "a", 1);
    const b = slotsOn(dbB, "b", 1);
    const log: string[] = [];
    const busy = job(a, "task", log, "busy");
    await busy.running;
    const controller = new AbortController();
    const cancelled = job(b, "task", log, "cancelled", controller.signal);
    await filed(dbA, 2);
    controller.abort();
    await cancelled.running;
    expect(await rows(dbB)).toEqual([["a", 1]]);
    cancelled.release();
    await cancelled.done;
    busy.release();
    await busy.done;
    expect(await rows(dbB)).toEqual([]);
  });
});
