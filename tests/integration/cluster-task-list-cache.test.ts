import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunningServer } from "../../server/bootstrap/start-server.js";
import type { TaskListChanges } from "../../server/adapters/storage/index.js";
import { TaskListQuerySchema } from "../../shared/task.js";
import { startPostgresCluster, type PostgresCluster } from "../support/postgres-cluster.js";
import { newFixTask } from "../support/task-store-contract.js";
import { until } from "../support/until.js";

// The task-list cache on PostgreSQL: each node keeps the pages it served, and drops them
// when another node announces a list write or its LISTEN connection comes back.

let cluster: PostgresCluster;
let a: RunningServer;
let b: RunningServer;

beforeAll(async () => {
  cluster = await startPostgresCluster(2);
  [a, b] = cluster.nodes as [RunningServer, RunningServer];
}, 120_000);

afterAll(async () => {
  await cluster.close();
});

function changesOf(node: RunningServer): TaskListChanges {
  const changes = node.services.taskListChanges;
  if (changes === null) throw new Error("The node runs on PostgreSQL: it must follow list changes");
  return changes;
}

/** Runs a write on node a and waits until node b has heard its announcement. */
async function onAHeardByB<T>(write: () => Promise<T>): Promise<T> {
  const heard = changesOf(b).received;
  const result = await write();
  await until(() => changesOf(b).received > heard, "node b hearing node a's list write");
  return result;
}

const listOf = (repo: string, extra: Record<string, unknown> = {}) =>
  TaskListQuerySchema.parse({ repo, ...extra });

describe("task list cache across nodes on PostgreSQL", () => {
  it("serves a repeated list from the cache, and a task created on another node after its announcement", async () => {
    const query = listOf("acme/created");
    const first = await b.services.deps.store.list(query);
    expect(first.tasks).toEqual([]);
    // The same page object: the cache is on, not bypassed on PostgreSQL.
    expect(await b.services.deps.store.list(query)).toBe(first);

    const { task } = await onAHeardByB(() =>
      a.services.deps.store.create(newFixTask("LIST-1", { repo: "acme/created" })),
    );
    const after = await b.services.deps.store.list(query);
    expect(after.tasks.map((t) => t.id)).toEqual([task.id]);
    expect(await b.services.deps.store.list(query)).toBe(after);
  });

  it("shows a status changed on another node in the next list after its announcement", async () => {
    const repo = "acme/changed";
    const { task } = await onAHeardByB(() =>
      a.services.deps.store.create(newFixTask("LIST-2", { repo })),
    );
    const queued = listOf(repo, { status: "queued" });
    const cancelled = listOf(repo, { status: "cancelled" });
    expect((await b.services.deps.store.list(queued)).tasks.map((t) => t.id)).toEqual([task.id]);
    expect((await b.services.deps.store.list(cancelled)).tasks).toEqual([]);

    await onAHeardByB(() =>
      a.services.deps.store.transition(task.id, ["queued"], { status: "cancelled" }),
    );
    expect((await b.services.deps.store.list(queued)).tasks).toEqual([]);
    expect((await b.services.deps.store.list(cancelled)).tasks.map((t) => t.id)).toEqual([task.id]);
  });

  it("drops its cache when its LISTEN connection comes back, for what it missed meanwhile", async () => {
    const repo = "acme/missed";
    const query = listOf(repo);
    const { task } = await onAHeardByB(() =>
      a.services.deps.store.create(newFixTask("LIST-3", { repo })),
    );
    expect((await b.services.deps.store.list(query)).tasks.map((t) => t.status)).toEqual([
      "queued",
    ]);

    const admin = new pg.Client({ connectionString: cluster.url });
    await admin.connect();
    try {
      // A write nobody announced stands for one announced while node b was not listening.
      await admin.query("update tasks set status = 'cancelled' where id = $1", [task.id]);
      expect((await b.services.deps.store.list(query)).tasks.map((t) => t.status)).toEqual([
        "queued",
      ]);
      const listener = b.services.events.listener;
      const pid = listener?.backendPid;
      const epoch = listener?.epoch;
      expect(typeof pid).toBe("number");
      await admin.query("select pg_terminate_backend($1)", [pid]);
      await until(
        () => listener?.listening === true && listener.epoch !== epoch,
        "node b listening again on a new connection",
      );
    } finally {
      await admin.end();
    }
    expect((await b.services.deps.store.list(query)).tasks.map((t) => t.status)).toEqual([
      "cancelled",
    ]);
  });

  it("answers GET /api/tasks on one node with a task another node just created", async () => {
    const repo = "acme/http";
    const url = `${b.url}/api/tasks?repo=${encodeURIComponent(repo)}`;
    const headers = { authorization: "Bearer cluster-engineer-token" };
    const before = await fetch(url, { headers });
    expect(before.status).toBe(200);
    expect(((await before.json()) as { tasks: unknown[] }).tasks).toEqual([]);

    const { task } = await onAHeardByB(() =>
      a.services.deps.store.create(newFixTask("LIST-4", { repo })),
    );
    const after = await fetch(url, { headers });
    expect(after.status).toBe(200);
    const body = (await after.json()) as { tasks: { id: string }[] };
    expect(body.tasks.map((t) => t.id)).toEqual([task.id]);
  });
});
