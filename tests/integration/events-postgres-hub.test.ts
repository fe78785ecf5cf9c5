import pg from "pg";
import pino from "pino";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { TaskEvent, TaskEventInput } from "../../shared/task-event.js";
import { createTaskStore, type PostgresDatabase } from "../../server/adapters/storage/index.js";
import {
  createPostgresEventHub,
  TASK_EVENTS_CHANNEL,
  type PostgresEventHub,
} from "../../server/adapters/events/postgres/postgres-event-hub.js";
import { PostgresListener } from "../../server/adapters/events/postgres/postgres-listener.js";
import type { TaskStore } from "../../server/domain/ports/task-store.js";
import { openTestPostgres } from "../support/postgres-database.js";
import { newFixTask } from "../support/task-store-contract.js";

const logger = pino({ level: "silent" });
const log = (message: string): TaskEventInput => ({
  type: "task.log",
  payload: { level: "info", message },
});

/** One process's worth: a store, a LISTEN connection and the hub on them. */
interface Node {
  store: TaskStore;
  listener: PostgresListener;
  hub: PostgresEventHub;
  /** Stores an event and announces it, as recordEvent does. */
  append(taskId: string, message: string): Promise<TaskEvent>;
}

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0).reverse()) await close();
});

async function database(): Promise<PostgresDatabase & { url: string }> {
  const db = await openTestPostgres();
  closers.push(() => db.close());
  return db;
}

async function node(
  db: PostgresDatabase & { url: string },
  retryMs = 100,
  catchUpMs?: number,
): Promise<Node> {
  const store = createTaskStore(db);
  let hub: PostgresEventHub | undefined = undefined;
  const listener = new PostgresListener({
    url: db.url,
    logger,
    retryMs: { first: retryMs, max: retryMs },
    channels: { [TASK_EVENTS_CHANNEL]: (payload) => hub?.notified(payload) },
  });
  hub = createPostgresEventHub({ pool: db.pool, listener, store, logger, catchUpMs });
  await listener.start();
  const started = hub;
  closers.push(async () => {
    started.close();
    await listener.close();
  });
  return {
    store,
    listener,
    hub: started,
    async append(taskId, message) {
      const event = await store.appendEvent(taskId, log(message));
      started.publish(event);
      return event;
    },
  };
}

/** Resolves once `events` holds `count` events; fails saying what never arrived. */
async function received(events: TaskEvent[], count: number, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (events.length < count) {
    if (Date.now() > deadline) {
      throw new Error(`Only ${events.length} of ${count} events arrived within ${timeoutMs} ms`);
    }
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

async function terminate(url: string, pid: number | null): Promise<void> {
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  try {
    await admin.query("select pg_terminate_backend($1)", [pid]);
  } finally {
    await admin.end();
  }
}

describe("PostgreSQL event hub", () => {
  it("delivers another node's events in seq order, after what the log held at subscription", async () => {
    const db = await database();
    const [writer, reader] = [await node(db), await node(db)];
    const { task } = await writer.store.create(newFixTask("CALC-1"));
    await writer.append(task.id, "stored before");
    const seen: TaskEvent[] = [];
    const unsubscribe = await reader.hub.subscribe(task.id, (event) => seen.push(event));
    await Promise.all(Array.from({ length: 20 }, (_, i) => writer.append(task.id, `m${i}`)));
    await received(seen, 20);
    expect(seen.map((e) => e.seq)).toEqual(Array.from({ length: 20 }, (_, i) => i + 2));
    expect(reader.hub.listenerCount(task.id)).toBe(1);
    unsubscribe();
    expect(reader.hub.listenerCount(task.id)).toBe(0);
  });

  it("a node's own events reach its listeners once each", async () => {
    const db = await database();
    const only = await node(db);
    const { task } = await only.store.create(newFixTask("CALC-2"));
    const seen: TaskEvent[] = [];
    await only.hub.subscribe(task.id, (event) => seen.push(event));
    for (let i = 0; i < 5; i += 1) await only.append(task.id, `own ${i}`);
    // The sixth event is from another node: when it arrives, every own NOTIFY has too.
    const other = await node(db);
    await other.append(task.id, "other");
    await received(seen, 6);
    expect(seen.map((e) => e.seq)).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it("events announced while the LISTEN connection was down arrive by the reconnection's catch-up", async () => {
    const db = await database();
    const writer = await node(db);
    // A slow reconnection, so the appends below certainly land while it is away.
    const reader = await node(db, 1_500);
    const { task } = await writer.store.create(newFixTask("CALC-3"));
    const seen: TaskEvent[] = [];
    await reader.hub.subscribe(task.id, (event) => seen.push(event));
    await terminate(db.url, reader.listener.backendPid);
    const deadline = Date.now() + 5_000;
    while (reader.listener.listening) {
      if (Date.now() > deadline) throw new Error("the reader never noticed its lost connection");
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    for (let i = 0; i < 5; i += 1) await writer.append(task.id, `missed ${i}`);
    expect(reader.listener.listening).toBe(false);
    await received(seen, 5);
    expect(seen.map((e) => e.seq)).toEqual([1, 2, 3, 4, 5]);
    expect(reader.listener.listening).toBe(true);
  });

  it("an event stored without its announcement reaches another node's listener by the periodic catch-up, in order, once", async () => {
    const db = await database();
    const writer = await node(db);
    const reader = await node(db, 100, 200);
    const { task } = await writer.store.create(newFixTask("CALC-4"));
    const seen: TaskEvent[] = [];
    await reader.hub.subscribe(task.id, (event) => seen.push(event));
    // Stored as a writer that died before its NOTIFY leaves them: no announcement at all,
    // and the reader's LISTEN connection stays up, so no reconnection reads them either.
    for (let i = 0; i < 3; i += 1) await writer.store.appendEvent(task.id, log(`unannounced ${i}`));
    await received(seen, 3, 2_000);
    expect(reader.listener.listening).toBe(true);
    // Another full comparison, then an announced event: a duplicate would sit before it.
    await reader.hub.catchUp();
    await writer.append(task.id, "announced");
    await received(seen, 4);
    expect(seen.map((e) => [e.seq, e.payload])).toEqual([
      [1, { level: "info", message: "unannounced 0" }],
      [2, { level: "info", message: "unannounced 1" }],
      [3, { level: "info", message: "unannounced 2" }],
      [4, { level: "info", message: "announced" }],
    ]);
  });

  it("a catch-up is one query for every followed task, reads only the logs behind, and none without listeners", async () => {
    const db = await database();
    const writer = await node(db);
    // A period no test outlives: every catch-up below is the one the test calls.
    const reader = await node(db, 100, 3_600_000);
    const { task: first } = await writer.store.create(newFixTask("CALC-5"));
    const { task: second } = await writer.store.create(newFixTask("CALC-6"));
    await writer.store.appendEvent(first.id, log("before"));
    const seen: TaskEvent[] = [];
    const unsubscribeFirst = await reader.hub.subscribe(first.id, (event) => seen.push(event));
    const unsubscribeSecond = await reader.hub.subscribe(second.id, (event) => seen.push(event));
    const queries = vi.spyOn(db.pool, "query");
    const reads = vi.spyOn(reader.store, "listEvents");
    const catchUpQueries = (): unknown[][] =>
      queries.mock.calls
        .filter(([text]) => typeof text === "string" && text.includes("any($1::text[])"))
        .map((call) => call[1] as unknown[]);

    await reader.hub.catchUp();
    expect(catchUpQueries()).toEqual([[[first.id, second.id]]]);
    expect(reads.mock.calls).toEqual([]);

    await writer.store.appendEvent(second.id, log("unannounced"));
    await reader.hub.catchUp();
    await received(seen, 1);
    expect(seen.map((e) => [e.taskId, e.seq])).toEqual([[second.id, 1]]);
    expect(catchUpQueries()).toHaveLength(2);
    expect(reads.mock.calls).toEqual([[second.id, 0]]);

    unsubscribeFirst();
    unsubscribeSecond();
    await reader.hub.catchUp();
    expect(catchUpQueries()).toHaveLength(2);
    queries.mockRestore();
    reads.mockRestore();
  });
});
