import { existsSync, readdirSync } from "node:fs";
import path from "node:path";
import { TaskListResponseSchema, type Task } from "../../shared/task.js";
import type { RunningServer } from "../../server/bootstrap/start-server.js";
import { codexStateTemplate } from "../../server/adapters/codex/index.js";
import {
  calcTickets,
  startReliabilityEnv,
  type ReliabilityEnv,
} from "../support/reliability-env.js";
import { calcFixScript, type Holds } from "../support/reliability-scripts.js";
import { apiClient, isFinal, waitFor } from "../support/reliability-server.js";

// The janitor removes finished tasks' worktrees (keeping their diff) and never a running
// task's; CODEX_HOME is warmed at start-up so first runs in parallel do not race on it.
describe("reliability: workspaces and Codex home", () => {
  const holds: Holds = { analyze: new Set(), fix: new Set() };
  let world: ReliabilityEnv;
  let server: RunningServer;
  let api: ReturnType<typeof apiClient>;

  beforeAll(async () => {
    world = await startReliabilityEnv({
      scripts: [calcFixScript(holds)],
      tickets: calcTickets(5),
      env: { MAX_CONCURRENT_TASKS: "3" },
    });
    // Retention 0: every finished task is due; the test sweeps by hand.
    server = await world.start({ janitor: { retentionMs: 0, intervalMs: 3_600_000 } });
    api = apiClient(server.url, "engineer");
  }, 120_000);

  afterAll(async () => {
    holds.analyze.clear();
    await world.close();
  });

  const worktree = (id: string) => path.join(world.dataDir, "workspaces", "worktrees", id);
  const finished = (id: string): Promise<Task> =>
    waitFor("the task to finish", async () => {
      const task = await api.task(id);
      return isFinal(task) ? task : undefined;
    });

  it("warms a fresh CODEX_HOME at start-up; three first runs at once all succeed", async () => {
    const codexHome = codexStateTemplate(path.join(world.dataDir, "codex-home"));
    expect(readdirSync(codexHome).some((name) => /^state_\d+\.sqlite$/.test(name))).toBe(true);
    const ids = await Promise.all(
      ["CALC-1", "CALC-2", "CALC-3"].map(async (key) => (await api.createFix(key)).task.id),
    );
    const tasks = await Promise.all(ids.map(finished));
    expect(tasks.map((t) => `${t.status}/${t.outcome}`)).toEqual(
      Array(3).fill("completed/pr_opened"),
    );
  }, 240_000);

  it("removes finished worktrees after the retention period, keeps their diff, spares running ones", async () => {
    holds.analyze.add("CALC-4");
    const running = (await api.createFix("CALC-4")).task;
    await waitFor("CALC-4 to be running", async () =>
      (await api.task(running.id)).phase === "analyzing" ? true : undefined,
    );
    const done = TaskListResponseSchema.parse(
      (await api.get("/api/tasks?ticketKey=CALC-1&limit=5")).body,
    );
    const finishedTask = done.tasks[0];
    if (finishedTask === undefined) throw new Error("CALC-1 has no task");
    const diffBefore = (await api.get(`/api/tasks/${finishedTask.id}/diff`)).text;
    expect(diffBefore).toContain("+  return a + b;");
    expect(existsSync(worktree(finishedTask.id))).toBe(true);

    const removed = await server.services.janitor.sweep();
    expect(removed).toContain(finishedTask.id);
    expect(removed).not.toContain(running.id);
    expect(existsSync(worktree(finishedTask.id))).toBe(false);
    expect(existsSync(worktree(running.id))).toBe(true);
    // The agent's own homes go with the worktree; the running task keeps its.
    expect(existsSync(path.join(world.dataDir, "agent-homes", finishedTask.id))).toBe(false);
    expect(existsSync(path.join(world.dataDir, "agent-homes", running.id))).toBe(true);
    expect((await api.get(`/api/tasks/${finishedTask.id}/diff`)).text).toBe(diffBefore);

    // The held task was left alone; once it has ended, its turn comes.
    holds.analyze.clear();
    await api.post(`/api/tasks/${running.id}/cancel`);
    expect(await finished(running.id)).toMatchObject({ status: "cancelled" });
    expect(await server.services.janitor.sweep()).toEqual([running.id]);

    // A follow-up on a cleaned-up task gets a new worktree from its pushed branch.
    await api.post(`/api/tasks/${finishedTask.id}/messages`, { message: "Anything left?" });
    const again = await finished(finishedTask.id);
    expect(again).toMatchObject({ status: "completed", outcome: "pr_opened" });
    expect((await api.get(`/api/tasks/${finishedTask.id}/diff`)).text).toContain(
      "+  return a + b;",
    );
    expect(
      world.github.pullRequests("acme/calc").filter((p) => p.head.ref === finishedTask.branch),
    ).toHaveLength(1);
  }, 240_000);
});
