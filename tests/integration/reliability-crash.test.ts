import type { Task } from "../../shared/task.js";
import type { ServiceStatus } from "../../shared/service-status.js";
import {
  calcTickets,
  startReliabilityEnv,
  type ReliabilityEnv,
} from "../support/reliability-env.js";
import { calcFixScript, ticketOf, type Holds } from "../support/reliability-scripts.js";
import {
  apiClient,
  isFinal,
  spawnServer,
  waitFor,
  type ServerProcess,
} from "../support/reliability-server.js";

// kill -9 of a real server process (`server/main.ts`, production mode) with tasks in every
// phase at once, then a restart: nothing acknowledged is lost, running tasks resume on
// their Codex thread in their worktree, and every ticket ends with exactly one pull request.
describe("reliability: crash and restart", () => {
  const holds: Holds = { analyze: new Set(), fix: new Set() };
  let world: ReliabilityEnv;
  let servers: ServerProcess[] = [];

  beforeAll(async () => {
    world = await startReliabilityEnv({
      scripts: [calcFixScript(holds)],
      tickets: calcTickets(5),
      env: { MAX_CONCURRENT_TASKS: "3" },
    });
  }, 120_000);

  afterAll(async () => {
    for (const server of servers) await server.kill9();
    servers = [];
    await world.close();
  });

  it("resumes or re-runs every task after kill -9 in each phase, with one pull request each", async () => {
    const first = await spawnServer(world.env);
    servers.push(first);
    let api = apiClient(first.url);
    const checks = await waitFor("the start-up service check", async () => {
      const res = await api.get("/api/admin/services");
      const services = (res.body as { services: ServiceStatus[] }).services;
      return services.every((s) => s.state !== "pending") ? services : undefined;
    });
    expect(checks.map((s) => `${s.name}:${s.state}`)).toEqual([
      "codex:ok",
      "jira:ok",
      "github:ok",
      "isolation:ok",
    ]);

    // CALC-1 stalls in its analysis, CALC-2 in its fix (after the patch), CALC-3 in
    // publishing (GitHub answers its first call 503 with a long Retry-After, after the push).
    holds.analyze.add("CALC-1");
    holds.fix.add("CALC-2");
    const githubCallsBefore = world.github.requests.length;
    world.github.failNext(1, 503, { retryAfterSeconds: 28 });
    const t1 = (await api.createFix("CALC-1")).task;
    const t2 = (await api.createFix("CALC-2")).task;
    const t3 = (await api.createFix("CALC-3")).task;
    const modelHolds = (key: string, turnIndex: number, stepIndex: number) =>
      world.model.requests.some(
        (r) =>
          r.context !== null &&
          ticketOf(r.context) === key &&
          r.turnIndex === turnIndex &&
          r.stepIndex === stepIndex,
      );
    const analyzing = await waitFor("CALC-1 to be held in its analysis", async () => {
      const task = await api.task(t1.id);
      return task.phase === "analyzing" && task.threadId !== null && modelHolds("CALC-1", 0, 0)
        ? task
        : undefined;
    });
    const fixing = await waitFor("CALC-2 to be held in its fix", async () => {
      const task = await api.task(t2.id);
      return task.phase === "fixing" && modelHolds("CALC-2", 1, 1) ? task : undefined;
    });
    const publishing = await waitFor("CALC-3 to be held while publishing", async () => {
      const task = await api.task(t3.id);
      return task.phase === "publishing" && world.github.requests.length > githubCallsBefore
        ? task
        : undefined;
    });
    const t4 = await api.createFix("CALC-4");
    expect(t4.status).toBe(202);
    expect((await api.task(t4.task.id)).status).toBe("queued");
    // Acknowledged, then the power goes out.
    const t5 = await api.createFix("CALC-5");
    expect(t5.status).toBe(202);
    await first.kill9();
    holds.analyze.clear();
    holds.fix.clear();

    const second = await spawnServer(world.env);
    servers.push(second);
    api = apiClient(second.url);
    const ids = [t1.id, t2.id, t3.id, t4.task.id, t5.task.id];
    const finals = await waitFor(
      "every task to finish after the restart",
      async () => {
        const tasks = await Promise.all(ids.map((id) => api.task(id)));
        return tasks.every(isFinal) ? tasks : undefined;
      },
      400_000,
      500,
    );
    // A failure's own error goes into the assertion message, so a red run says why.
    const failures = finals
      .filter((t) => t.status !== "completed")
      .map((t) => ({
        ticket: t.ticketKey,
        error: t.error,
        logs: warnings([...first.logs, ...second.logs], t.id),
      }));
    expect(
      finals.map((t) => `${t.ticketKey}:${t.status}:${t.outcome}`),
      JSON.stringify(failures),
    ).toEqual([
      "CALC-1:completed:pr_opened",
      "CALC-2:completed:pr_opened",
      "CALC-3:completed:pr_opened",
      "CALC-4:completed:pr_opened",
      "CALC-5:completed:pr_opened",
    ]);
    // Exactly one pull request per task branch.
    const pulls = world.github.pullRequests("acme/calc");
    for (const task of finals) {
      expect(pulls.filter((pr) => pr.head.ref === task.branch)).toHaveLength(1);
    }
    expect(pulls).toHaveLength(5);
    // The running ones resumed on the same Codex thread, by an automatic retry.
    const byId = new Map<string, Task>(finals.map((t) => [t.id, t]));
    for (const before of [analyzing, fixing, publishing]) {
      expect(byId.get(before.id)?.threadId).toBe(before.threadId);
      const events = await api.events(before.id);
      expect(events).toContainEqual(
        expect.objectContaining({
          type: "task.request",
          payload: expect.objectContaining({ action: "retry", by: "system" }) as unknown,
        }),
      );
    }
    // The interrupted fix turn was resumed with a "resume" turn on its thread.
    const fixEvents = await api.events(t2.id);
    expect(fixEvents.filter((e) => e.type === "task.turn").map((e) => e.payload.kind)).toEqual([
      "analyze",
      "fix",
      "resume",
    ]);
    const diff = await api.get(`/api/tasks/${t2.id}/diff`);
    expect(diff.text).toContain("+  return a + b;");
    // Every ticket got its pull request link on Jira exactly once.
    for (const task of finals) {
      const links = world.jira
        .comments(task.ticketKey ?? "")
        .filter((c) => c.body.includes(task.pullRequest?.url ?? "<none>"));
      expect(links).toHaveLength(1);
    }
    await second.stop();
  }, 600_000);
});

/** The server's warnings and errors about one task (pino JSON lines), for a failure message. */
function warnings(logs: string[], taskId: string): string[] {
  return logs.filter((line) => line.includes(taskId) && /"level":(40|50|60)/.test(line));
}
