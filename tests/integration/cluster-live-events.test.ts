import pg from "pg";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { TaskEventInput } from "../../shared/task-event.js";
import type { RunningServer } from "../../server/bootstrap/start-server.js";
import { recordEvent } from "../../server/domain/tasks/record-event.js";
import {
  CLUSTER_TOKEN,
  startPostgresCluster,
  type PostgresCluster,
} from "../support/postgres-cluster.js";
import { openSseClient, type SseClient } from "../support/sse-client.js";
import { newFixTask } from "../support/task-store-contract.js";
import { until } from "../support/until.js";

const log = (message: string): TaskEventInput => ({
  type: "task.log",
  payload: { level: "info", message },
});

const range = (from: number, to: number): number[] =>
  Array.from({ length: to - from + 1 }, (_, i) => from + i);

// Two nodes are started once (each start warms a Codex home); every test makes its own task.
let cluster: PostgresCluster;
let a: RunningServer;
let b: RunningServer;
const clients: SseClient[] = [];

beforeAll(async () => {
  cluster = await startPostgresCluster(2);
  [a, b] = cluster.nodes as [RunningServer, RunningServer];
}, 120_000);

afterEach(() => {
  for (const client of clients.splice(0)) client.close();
});

afterAll(async () => {
  await cluster.close();
});

async function createTask(node: RunningServer, ticketKey: string): Promise<string> {
  const created = await node.services.deps.store.create(newFixTask(ticketKey));
  return created.task.id;
}

async function watch(
  node: RunningServer,
  taskId: string,
  lastEventId?: number,
): Promise<SseClient> {
  const client = await openSseClient({
    baseUrl: node.url,
    taskId,
    token: CLUSTER_TOKEN,
    ...(lastEventId === undefined ? {} : { lastEventId }),
  });
  clients.push(client);
  return client;
}

describe("live events across nodes on PostgreSQL", () => {
  it("events stored on one node reach an SSE client of another in order, with the end", async () => {
    const taskId = await createTask(a, "CALC-1");
    await recordEvent(a.services.deps, taskId, log("before anyone watched"));

    const client = await watch(b, taskId);
    // Appended concurrently from both nodes' stores: seqs are the log's order.
    await Promise.all(range(1, 30).map((i) => recordEvent(a.services.deps, taskId, log(`a${i}`))));
    await client.until((events) => events.length === 31, "31 events on node b");
    expect(client.events.map((e) => e.seq)).toEqual(range(1, 31));
    expect(client.events[0]?.type).toBe("task.log");

    await recordEvent(a.services.deps, taskId, {
      type: "task.status",
      payload: { status: "cancelled", phase: "done", outcome: null, error: null },
    });
    await client.until(() => client.ended(), "the end event on node b");
    expect(client.events.map((e) => e.seq)).toEqual(range(1, 32));
    expect(b.services.events.hub.listenerCount(taskId)).toBe(0);
  });

  it("a listener that lost its connection catches up in order after reconnecting", async () => {
    const taskId = await createTask(a, "CALC-2");
    const client = await watch(b, taskId);
    await recordEvent(a.services.deps, taskId, log("first"));
    await client.until((events) => events.length === 1, "the first event on node b");

    const listener = b.services.events.listener;
    expect(listener?.listening).toBe(true);
    const pid = listener?.backendPid;
    expect(typeof pid).toBe("number");
    const admin = new pg.Client({ connectionString: cluster.url });
    await admin.connect();
    try {
      await admin.query("select pg_terminate_backend($1)", [pid]);
    } finally {
      await admin.end();
    }
    await until(() => listener?.backendPid !== pid, "node b noticing its lost LISTEN connection");
    // Stored while node b may not be listening: then only its catch-up delivers them.
    for (const i of range(2, 11)) await recordEvent(a.services.deps, taskId, log(`during ${i}`));
    await client.until((events) => events.length === 11, "all 11 events on node b");
    expect(client.events.map((e) => e.seq)).toEqual(range(1, 11));
    expect(listener?.listening).toBe(true);
  });

  it("Last-Event-ID on another node replays from the stored log, then goes live", async () => {
    const taskId = await createTask(a, "CALC-3");
    for (const i of range(1, 5)) await recordEvent(a.services.deps, taskId, log(`e${i}`));

    const client = await watch(b, taskId, 3);
    await client.until((events) => events.length === 2, "the replay of seqs 4 and 5");
    await recordEvent(a.services.deps, taskId, log("live"));
    await client.until((events) => events.length === 3, "the live event 6");
    expect(client.events.map((e) => e.seq)).toEqual([4, 5, 6]);
  });

  it("an unknown task's stream is a 404 and a malformed id a 400", async () => {
    const response = await fetch(`${a.url}/api/tasks/00000000-0000-4000-8000-000000000000/events`, {
      headers: { Accept: "text/event-stream", Authorization: `Bearer ${CLUSTER_TOKEN}` },
    });
    expect(response.status).toBe(404);
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe("not_found");
    const malformed = await fetch(`${b.url}/api/tasks/not-a-task/events`, {
      headers: { Accept: "text/event-stream", Authorization: `Bearer ${CLUSTER_TOKEN}` },
    });
    expect(malformed.status).toBe(400);
  });
});
