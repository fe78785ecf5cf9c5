import path from "node:path";
import type { Task } from "../../shared/task.js";
import { RESTART_MESSAGE } from "../../server/domain/tasks/recover-task.js";
import { createTestDatabaseUrl, type TestDatabaseUrl } from "../support/postgres-database.js";
import {
  API_TOKENS,
  calcTickets,
  startReliabilityEnv,
  type ReliabilityEnv,
} from "../support/reliability-env.js";
import { calcFixScript, ticketOf, type Holds } from "../support/reliability-scripts.js";
import {
  apiClient,
  spawnServer,
  spawnWorker,
  waitFor,
  waitForFinal,
  type ServerProcess,
} from "../support/reliability-server.js";
import { openSseClient, type SseClient } from "../support/sse-client.js";

// Patchboard scaled out as production runs it: one API process (`server/main.ts`,
// PATCHBOARD_ROLE=api) and two worker processes (`server/worker-main.ts`), each with its
// own DATA_DIR, sharing nothing but a PostgreSQL database; the fake Jira, fake GitHub and
// the scripted model run in this process. A worker is killed -9 mid-turn, a task is
// cancelled through the API node while a worker runs it, and the dead worker comes back.

/** A lease short enough that a dead worker's task is taken over within seconds. */
const LEASE_MS = 3000;

/** When a process logged `msg` for this task (pino JSON lines carry `taskId` and an ISO `time`). */
function logged(proc: ServerProcess, msg: string, taskId: string): { time: number } | undefined {
  for (const line of proc.logs) {
    if (!line.includes(taskId) || !line.includes(`"${msg}"`)) continue;
    const parsed = JSON.parse(line) as { msg?: string; taskId?: string; time?: string };
    if (parsed.msg === msg && parsed.taskId === taskId) {
      return { time: Date.parse(parsed.time ?? "") };
    }
  }
  return undefined;
}

describe("scale-out: one API node and two workers on PostgreSQL", () => {
  const holds: Holds = { analyze: new Set(), fix: new Set() };
  let world: ReliabilityEnv;
  let database: TestDatabaseUrl;
  const processes: ServerProcess[] = [];
  const clients: SseClient[] = [];

  beforeAll(async () => {
    // An empty database: the three processes migrate it as they start, under the lock.
    database = await createTestDatabaseUrl();
    world = await startReliabilityEnv({
      scripts: [calcFixScript(holds)],
      tickets: calcTickets(10),
      env: {
        DATABASE_URL: database.url,
        SESSION_SECRET: "scale-out-session-secret-0123456789abcdef",
        TASK_LEASE_MS: String(LEASE_MS),
        // One agent per worker: two on a 2-core machine, and a killed worker holds
        // exactly the task it was killed in.
        MAX_CONCURRENT_TASKS: "1",
      },
    });
  }, 120_000);

  afterAll(async () => {
    for (const client of clients) client.close();
    for (const proc of processes) await proc.kill9();
    await world.close();
    await database.drop();
  });

  const envOf = (name: string, extra: Record<string, string> = {}) => ({
    ...world.env,
    DATA_DIR: path.join(world.dataDir, name),
    ...extra,
  });

  it("finishes every task across workers after a kill -9, streams across nodes, cancels and rejoins", async () => {
    const started = Date.now();
    const [apiNode, workerA, workerB] = await Promise.all([
      spawnServer(envOf("api", { PATCHBOARD_ROLE: "api" })),
      spawnWorker(envOf("worker-a")),
      spawnWorker(envOf("worker-b")),
    ]);
    processes.push(apiNode, workerA, workerB);
    const api = apiClient(apiNode.url);
    const workers = [workerA, workerB];
    const runsOn = (taskId: string) => workers.find((w) => logged(w, "task started", taskId));

    // CALC-1's analysis stalls on the model, so its worker is mid-turn when it dies.
    holds.analyze.add("CALC-1");
    const first = await api.createFix("CALC-1");
    expect(first.status).toBe(202);
    const others = [];
    for (const key of ["CALC-2", "CALC-3", "CALC-4", "CALC-5", "CALC-6"]) {
      const created = await api.createFix(key);
      expect(created.status).toBe(202);
      others.push(created.task);
    }
    const watched = others[0] as Task;
    const sse = await openSseClient({
      baseUrl: apiNode.url,
      taskId: watched.id,
      token: API_TOKENS.admin,
    });
    clients.push(sse);

    const victim = await waitFor("CALC-1 to be held mid-turn on a worker", () => {
      const held = world.model.requests.some(
        (r) => r.context !== null && ticketOf(r.context) === "CALC-1" && r.turnIndex === 0,
      );
      return held ? runsOn(first.task.id) : undefined;
    });
    const survivor = victim === workerA ? workerB : workerA;
    await victim.kill9();
    holds.analyze.clear();
    const killedAt = Date.now();
    // The survivor takes CALC-1 over once the dead worker's lease expired.
    await waitFor("the survivor to take CALC-1 over", () =>
      logged(survivor, "task taken over", first.task.id),
    );
    const takeoverMs = Date.now() - killedAt;

    // The dead worker comes back on its DATA_DIR (same worker id) and joins while the
    // survivor is still working through the queue.
    const restarted = await spawnWorker(envOf(victim === workerA ? "worker-a" : "worker-b"));
    processes.push(restarted);
    workers.splice(workers.indexOf(victim), 1, restarted);

    // Cancel through the API node stops the run on whichever worker has it within 2 s.
    holds.analyze.add("CALC-7");
    const toCancel = (await api.createFix("CALC-7")).task;
    const fresh = [];
    for (const key of ["CALC-8", "CALC-9"]) fresh.push((await api.createFix(key)).task);
    const runner = await waitFor(
      "CALC-7 to be held mid-turn on a worker",
      () => {
        const held = world.model.requests.some(
          (r) => r.context !== null && ticketOf(r.context) === "CALC-7" && r.turnIndex === 0,
        );
        return held ? runsOn(toCancel.id) : undefined;
      },
      240_000,
    );
    const cancelAsked = Date.now();
    const cancelled = await api.post(`/api/tasks/${toCancel.id}/cancel`);
    expect(cancelled.status).toBe(202);
    const stopped = await waitFor(
      "the worker to stop the cancelled run",
      () =>
        logged(runner, "task no longer running here; the run stops without writing", toCancel.id),
      10_000,
      50,
    );
    const cancelStopMs = stopped.time - cancelAsked;
    expect(cancelStopMs).toBeLessThan(2000);
    holds.analyze.clear();

    const ids = [first.task.id, ...others.map((t) => t.id), ...fresh.map((t) => t.id)];
    const finals = await waitForFinal(api, ids, "every task to finish", 240_000);
    const allDoneAfterKillMs = Date.now() - killedAt;
    const keys = ["CALC-1", "CALC-2", "CALC-3", "CALC-4", "CALC-5", "CALC-6", "CALC-8", "CALC-9"];
    expect(finals.map((t) => `${t.ticketKey}:${t.status}:${t.outcome}`)).toEqual(
      keys.map((key) => `${key}:completed:pr_opened`),
    );
    const cancelledTask = await api.task(toCancel.id);
    expect(`${cancelledTask.status}:${cancelledTask.pullRequest?.url ?? "no pull request"}`).toBe(
      "cancelled:no pull request",
    );
    // CALC-1 was queued again by the takeover and started afresh on a live worker.
    expect([survivor, restarted].some((w) => logged(w, "task started", first.task.id))).toBe(true);
    const requests = (await api.events(first.task.id)).filter((e) => e.type === "task.request");
    expect(requests.map((e) => e.payload)).toEqual([
      expect.objectContaining({ action: "create" }),
      expect.objectContaining({ action: "retry", by: "system", message: RESTART_MESSAGE }),
    ]);
    // Exactly one pull request and one Jira comment linking it per task, whatever died when.
    const pulls = world.github.pullRequests("acme/calc");
    expect(pulls).toHaveLength(8);
    expect(
      finals.map((task) => {
        const url = task.pullRequest?.url ?? "<none>";
        const prs = pulls.filter((pr) => pr.head.ref === task.branch).length;
        const comments = world.jira
          .comments(task.ticketKey ?? "")
          .filter((c) => c.body.includes(url));
        return `${task.ticketKey ?? ""}: ${prs} pull request, ${comments.length} comment`;
      }),
    ).toEqual(finals.map((task) => `${task.ticketKey ?? ""}: 1 pull request, 1 comment`));
    // The restarted worker took tasks from the queue once it joined.
    const onRestarted = ids.filter((id) => logged(restarted, "task started", id));
    expect(onRestarted.length).toBeGreaterThanOrEqual(1);

    // The SSE client on the API node saw the watched task's whole log, in order, and `end`.
    await sse.until(() => sse.ended(), `the end of ${watched.ticketKey ?? ""}'s stream`, 30_000);
    const stored = await api.events(watched.id);
    expect(sse.events).toEqual(stored);
    expect(stored.map((e) => e.seq)).toEqual(stored.map((_, i) => i + 1));
    expect(stored.at(-1)?.payload).toMatchObject({ status: "completed" });
    expect(runsOn(watched.id)).toBeDefined();

    process.stdout.write(
      `scale-out: ${JSON.stringify({
        takeoverMs,
        allDoneAfterKillMs,
        cancelStopMs,
        onRestarted: onRestarted.length,
        totalMs: Date.now() - started,
      })}\n`,
    );
    await Promise.all([apiNode.stop(), survivor.stop(), restarted.stop()]);
  }, 400_000);
});
