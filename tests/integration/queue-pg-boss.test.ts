import pg from "pg";
import pino from "pino";
import { ServicesResponseSchema } from "../../shared/service-status.js";
import type { Task } from "../../shared/task.js";
import { InProcessEventHub } from "../../server/adapters/events/index.js";
import { QUEUES, startPgBossJobQueue } from "../../server/adapters/queue/pg-boss/index.js";
import { createTaskStore } from "../../server/adapters/storage/index.js";
import { pgBossWorker } from "../../server/bootstrap/task-queue-services.js";
import type { JobQueue } from "../../server/domain/ports/job-queue.js";
import type { TaskEventHub } from "../../server/domain/ports/event-hub.js";
import { TaskRunner, type RunOne } from "../../server/domain/tasks/task-runner.js";
import { startPostgresCluster } from "../support/postgres-cluster.js";
import { openTestPostgres } from "../support/postgres-database.js";
import { newFixTask } from "../support/task-store-contract.js";

// Task runs through pg-boss on the machine's PostgreSQL: a job per run, taken only for a
// worker's free slots, retried with backoff and dead-lettered, and handed from an API node
// to a worker node without either polling the tasks table.

const logger = pino({ level: process.env.TEST_LOG ?? "silent" });

/** Runs that claim their task and complete it, each when the test says (or at once). */
function scriptedRuns(world: { store: ReturnType<typeof createTaskStore> }) {
  const ran: string[] = [];
  const held = new Map<string, () => void>();
  const started = new Map<string, () => void>();
  const run: RunOne = async (taskId, signal) => {
    const claimed = await world.store.transition(taskId, ["queued"], { status: "running" });
    if (claimed === null) return;
    ran.push(taskId);
    started.get(taskId)?.();
    if (holding.has(taskId)) {
      await new Promise<void>((resolve) => {
        held.set(taskId, resolve);
        signal.addEventListener("abort", () => resolve(), { once: true });
      });
      // Stopped by a shutdown: left `running`, as a real run leaves it for the takeover.
      if (signal.aborted) return;
    }
    await world.store.transition(taskId, ["running"], { status: "completed" });
  };
  const holding = new Set<string>();
  return {
    run,
    ran,
    /**
     * Keeps the task's run going until {@link release} or an abort; the promise resolves
     * when a run of the task has claimed it.
     */
    hold: (taskId: string) => {
      holding.add(taskId);
      return new Promise<void>((resolve) => {
        started.set(taskId, resolve);
      });
    },
    release: (taskId: string) => held.get(taskId)?.(),
  };
}

/** pg-boss's counts of a queue with nothing in it. */
const IDLE = { waiting: 0, active: 0, retrying: 0 };

/** The worlds the running test opened; closed after it, whether it passed or not. */
const opened: { close(): Promise<void> }[] = [];

afterEach(async () => {
  for (const world of opened.splice(0).reverse()) await world.close();
});

/** What one test works with: its own database, store, hub and job queues, all closed after. */
async function queueWorld() {
  const db = await openTestPostgres();
  const store = createTaskStore(db);
  const hub = new InProcessEventHub();
  const queues: JobQueue[] = [];
  const stops: (() => Promise<void>)[] = [];
  const world = {
    db,
    store,
    hub,
    /** A pg-boss instance of its own, as each process has; retries within seconds. */
    async jobQueue(): Promise<JobQueue> {
      const jobs = await startPgBossJobQueue({
        url: db.url,
        logger,
        pollMs: 500,
        retryLimit: 1,
        retryDelaySeconds: 1,
      });
      queues.push(jobs);
      return jobs;
    },
    /** A started worker process's task side: its TaskRunner and its own pg-boss. */
    async worker(run: RunOne, concurrency = 2) {
      const jobs = await world.jobQueue();
      const runner = new TaskRunner({ store, run, concurrency, logger, scheduleQueued: false });
      const control = pgBossWorker(runner, jobs, { store, hub, logger, now: () => new Date() });
      await control.start();
      stops.push(() => control.stop());
      return { jobs, runner, control };
    },
    async queued(key: string): Promise<Task> {
      return (await store.create(newFixTask(key))).task;
    },
    /** The states of the task's task-run jobs, oldest first. */
    async jobStates(taskId: string): Promise<string[]> {
      return jobStates(db.pool, taskId);
    },
    async close() {
      for (const stop of stops.splice(0)) await stop();
      for (const jobs of queues.splice(0)) await jobs.close();
      await db.close();
    },
    /** Waits until every dead-lettered task run has been handled (none waits or runs). */
    async deadLettersHandled(): Promise<void> {
      const jobs = await world.jobQueue();
      await eventually(
        async () => (await jobs.stats()).deadTaskRuns,
        IDLE,
        "the dead letter handled",
      );
    },
  };
  opened.push(world);
  return world;
}

/** The states of a task's task-run jobs in pg-boss's table, oldest first. */
async function jobStates(pool: pg.Pool | pg.Client, taskId: string): Promise<string[]> {
  const { rows } = await pool.query<{ state: string }>(
    "SELECT state::text AS state FROM pgboss.job WHERE name = $1 AND singleton_key = $2 ORDER BY created_on",
    [QUEUES.taskRun, taskId],
  );
  return rows.map((row) => row.state);
}

/** Resolves once the task's stored `task.status` event says `status`. */
function statusEvent(hub: TaskEventHub, taskId: string, status: string): Promise<void> {
  return new Promise((resolve) => {
    void hub.subscribe(taskId, (event) => {
      if (event.type === "task.status" && event.payload.status === status) resolve();
    });
  });
}

/** Checks `read` until it returns `expected`, failing with the last value it read. */
async function eventually<T>(
  read: () => Promise<T>,
  expected: T,
  what: string,
  timeoutMs = 20_000,
) {
  const deadline = Date.now() + timeoutMs;
  let last = await read();
  while (JSON.stringify(last) !== JSON.stringify(expected) && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 50));
    last = await read();
  }
  expect(last, what).toEqual(expected);
}

describe("task runs through pg-boss on PostgreSQL", () => {
  it("runs a task sent twice once: one waiting job per task, completed when the run ends", async () => {
    const world = await queueWorld();
    const task = await world.queued("BOSS-1");
    const sender = await world.jobQueue();
    await sender.sendTaskRun(task.id);
    await sender.sendTaskRun(task.id);
    expect((await sender.stats()).taskRuns).toEqual({ waiting: 1, active: 0, retrying: 0 });

    const runs = scriptedRuns(world);
    const started = runs.hold(task.id);
    await world.worker(runs.run);
    await started;
    // Handed out and not yet complete while the run goes on.
    expect(await world.jobStates(task.id)).toEqual(["active"]);
    runs.release(task.id);
    await eventually(() => world.jobStates(task.id), ["completed"], "the job completed");
    expect((await sender.stats()).taskRuns).toEqual(IDLE);
    expect(runs.ran).toEqual([task.id]);
    expect((await world.store.get(task.id))?.status).toBe("completed");
  }, 60_000);

  it("sends a job for a task queued without one at start; retries a failing job with backoff, then dead-letters it: the task ends failed", async () => {
    const world = await queueWorld();
    const task = await world.queued("BOSS-2");
    const attempts: number[] = [];
    const failed = statusEvent(world.hub, task.id, "failed");
    // Queued with no job (as before an upgrade): the worker sends it once as it starts.
    // The run crashes before claiming (the database refused it, say): the job fails.
    await world.worker(() => {
      attempts.push(Date.now());
      return Promise.reject(new Error("claim failed"));
    });
    await failed;

    const stored = await world.store.get(task.id);
    expect({ status: stored?.status, code: stored?.error?.code }).toEqual({
      status: "failed",
      code: "queue_failed",
    });
    expect(stored?.error?.message).toBe(
      "No worker could start this task after 2 attempts; retry it, and if it fails again an admin should read the workers' logs",
    );
    // The first attempt and one retry (RETRY_LIMIT 1), the retry at least the delay later.
    expect(attempts).toHaveLength(2);
    expect((attempts[1] ?? 0) - (attempts[0] ?? 0)).toBeGreaterThanOrEqual(1000);
    expect(await world.jobStates(task.id)).toEqual(["failed"]);
    await world.deadLettersHandled();
  }, 60_000);

  it("leaves a dead letter alone when its task is no longer queued", async () => {
    const world = await queueWorld();
    const task = await world.queued("BOSS-3");
    await world.store.transition(task.id, ["queued"], { status: "cancelled" });
    const attempts: string[] = [];
    await world.worker((taskId) => {
      attempts.push(taskId);
      return Promise.reject(new Error("claim failed"));
    });
    await (await world.jobQueue()).sendTaskRun(task.id);
    await eventually(() => world.jobStates(task.id), ["failed"], "the job dead-lettered");
    await world.deadLettersHandled();
    expect(attempts).toEqual([task.id, task.id]);
    expect((await world.store.get(task.id))?.status).toBe("cancelled");
  }, 60_000);

  it("takes no more jobs than free slots, and a graceful stop leaves the rest to another worker", async () => {
    const world = await queueWorld();
    const first = await world.queued("BOSS-4");
    const second = await world.queued("BOSS-5");
    const sender = await world.jobQueue();
    await sender.sendTaskRun(first.id);
    await sender.sendTaskRun(second.id);
    const runsA = scriptedRuns(world);
    const startedA = runsA.hold(first.id);
    const workerA = await world.worker(runsA.run, 1);
    await startedA;
    // One slot, one job: the second waits in the queue, not in this worker.
    expect(workerA.runner.load).toEqual({ running: 1, pending: 0 });
    expect((await sender.stats()).taskRuns).toEqual({ waiting: 1, active: 1, retrying: 0 });

    await workerA.control.stop();
    // The stopped run's job is settled; the unfetched one still waits for a worker.
    expect(await world.jobStates(first.id)).toEqual(["completed"]);
    expect(await world.jobStates(second.id)).toEqual(["created"]);
    expect(runsA.ran).toEqual([first.id]);

    const runsB = scriptedRuns(world);
    await world.worker(runsB.run, 1);
    await eventually(() => world.jobStates(second.id), ["completed"], "the second job run");
    expect(runsB.ran).toEqual([second.id]);
    expect((await world.store.get(second.id))?.status).toBe("completed");
  }, 60_000);

  it("keeps one review schedule for the cluster, and one process runs each of its ticks", async () => {
    const world = await queueWorld();
    const runs: string[] = [];
    for (const name of ["a", "b"]) {
      const jobs = await world.jobQueue();
      await jobs.workReviewSchedule("0 2 * * *", "Europe/Paris", () => {
        runs.push(name);
        return Promise.resolve();
      });
    }
    const { rows } = await world.db.pool.query(
      "SELECT name, cron, timezone FROM pgboss.schedule ORDER BY name",
    );
    expect(rows).toEqual([{ name: QUEUES.reviewRun, cron: "0 2 * * *", timezone: "Europe/Paris" }]);
    // A tick, as pg-boss's clock sends it at 02:00: one job in the review queue.
    await world.db.pool.query(
      "INSERT INTO pgboss.job (name, data, policy) VALUES ($1, '{}', 'short')",
      [QUEUES.reviewRun],
    );
    const states = async () =>
      (
        await world.db.pool.query<{ state: string }>(
          "SELECT state::text AS state FROM pgboss.job WHERE name = $1",
          [QUEUES.reviewRun],
        )
      ).rows.map((row) => row.state);
    await eventually(states, ["completed"], "the tick's review run done");
    expect(runs).toHaveLength(1);
  }, 60_000);

  it("hands a task queued on an API node to a worker node through a job", async () => {
    const cluster = await startPostgresCluster(0);
    try {
      const admin = { email: "ada@acme.test", name: "Ada", role: "admin" as const };
      const api = await cluster.addNode({
        role: "api",
        auth: { apiTokens: [{ token: "queue-admin-token", user: admin }] },
      });
      const worker = await cluster.addNode({ role: "worker" });
      // Its repository is not configured on the worker: the run claims it and ends it failed.
      const { task } = await api.services.deps.store.create(newFixTask("BOSS-6"));
      const failed = statusEvent(api.services.events.hub, task.id, "failed");
      await api.services.queue.enqueue(task.id);
      await failed;

      const stored = await api.services.deps.store.get(task.id);
      expect(stored?.error?.code).toBe("repo_not_configured");
      // The API node runs nothing; the worker got the task from its job, which completed.
      expect(api.services.runner.load).toEqual({ running: 0, pending: 0 });
      const client = new pg.Client({ connectionString: cluster.url });
      await client.connect();
      try {
        await eventually(() => jobStates(client, task.id), ["completed"], "the job completed");
      } finally {
        await client.end();
      }
      expect(worker.services.runner.load).toEqual({ running: 0, pending: 0 });

      // Admins read the queue's counts with the service checks.
      const services = await fetch(`${api.url}/api/admin/services`, {
        headers: { Authorization: "Bearer queue-admin-token" },
      });
      expect(services.status).toBe(200);
      const body = ServicesResponseSchema.parse(await services.json());
      expect(body.queue).toEqual({ taskRuns: IDLE, deadTaskRuns: IDLE, reviewRuns: IDLE });
    } finally {
      await cluster.close();
    }
  }, 120_000);
});
