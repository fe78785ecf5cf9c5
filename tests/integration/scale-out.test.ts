import type { Task } from "../../shared/task.js";
import { RESTART_MESSAGE } from "../../server/domain/tasks/recover-task.js";
import { API_TOKENS } from "../support/reliability-env.js";
import { ticketOf } from "../support/reliability-scripts.js";
import { waitFor, waitForFinal } from "../support/reliability-server.js";
import { loggedAt, useScaleOutWorld } from "../support/scale-out-world.js";
import { openSseClient, type SseClient } from "../support/sse-client.js";

// Patchboard scaled out as production runs it: one API process (`server/main.ts`,
// PATCHBOARD_ROLE=api) and two worker processes (`server/worker-main.ts`), each with its
// own DATA_DIR, sharing nothing but a PostgreSQL database; the fake Jira, fake GitHub and
// the scripted model run in this process. A worker is killed -9 mid-turn, a task is
// cancelled through the API node while a worker runs it, and the dead worker comes back.

describe("scale-out: one API node and two workers on PostgreSQL", () => {
  const cluster = useScaleOutWorld({
    tickets: 10,
    sessionSecret: "scale-out-session-secret-0123456789abcdef",
  });
  const { holds } = cluster;
  const clients: SseClient[] = [];

  // Registered after the world's: runs before it, so no stream outlives its server.
  afterAll(() => {
    for (const client of clients) client.close();
  });

  it("finishes every task across workers after a kill -9, streams across nodes, cancels and rejoins", async () => {
    const started = Date.now();
    const world = cluster.world();
    const { apiNode, workerA, workerB, api } = await cluster.startNodes();
    const workers = [workerA, workerB];
    const runsOn = (taskId: string) => workers.find((w) => loggedAt(w, "task started", taskId));

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
      loggedAt(survivor, "task taken over", first.task.id),
    );
    const takeoverMs = Date.now() - killedAt;

    // The dead worker comes back on its DATA_DIR (same worker id) and joins while the
    // survivor is still working through the queue.
    const restarted = await cluster.startWorker(victim === workerA ? "worker-a" : "worker-b");
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
        loggedAt(runner, "task no longer running here; the run stops without writing", toCancel.id),
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
    expect([survivor, restarted].some((w) => loggedAt(w, "task started", first.task.id))).toBe(
      true,
    );
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
    const onRestarted = ids.filter((id) => loggedAt(restarted, "task started", id));
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
