import { TaskListResponseSchema, type Task } from "../../shared/task.js";
import type { RunningServer } from "../../server/bootstrap/start-server.js";
import {
  calcTickets,
  startReliabilityEnv,
  type ReliabilityEnv,
} from "../support/reliability-env.js";
import { DUPLICATE_CLICK_TICKET, notFixableScript } from "../support/reliability-scripts.js";
import { apiClient, isFinal, waitFor } from "../support/reliability-server.js";

// Duplicate clicks and a burst of clicks, over real HTTP on a real server: SQLite on disk,
// the real Codex binary on the scripted model, fake Jira and GitHub over HTTP.
describe("reliability: clicks", () => {
  let world: ReliabilityEnv;
  let server: RunningServer;

  beforeAll(async () => {
    world = await startReliabilityEnv({
      scripts: [notFixableScript],
      tickets: calcTickets(51),
      env: { MAX_CONCURRENT_TASKS: "2" },
    });
    server = await world.start();
  }, 120_000);

  afterAll(async () => {
    await world.close();
  });

  it("100 concurrent POST /api/tasks for one ticket create exactly one task", async () => {
    const api = apiClient(server.url, "pm");
    const answers = await Promise.all(
      Array.from({ length: 100 }, () =>
        api.post("/api/tasks", { ticketKey: DUPLICATE_CLICK_TICKET }),
      ),
    );
    const statuses = answers.map((a) => a.status);
    expect(statuses.filter((s) => s === 202)).toHaveLength(1);
    expect(statuses.filter((s) => s === 200)).toHaveLength(99);
    const ids = new Set(answers.map((a) => (a.body as { task: Task }).task.id));
    expect(ids.size).toBe(1);
    const listed = await api.get(`/api/tasks?ticketKey=${DUPLICATE_CLICK_TICKET}&limit=100`);
    expect(TaskListResponseSchema.parse(listed.body).tasks).toHaveLength(1);
    const [id] = [...ids];
    const done = await waitFor("the task to finish", async () => {
      const task = await api.task(id ?? "");
      return isFinal(task) ? task : undefined;
    });
    expect(done).toMatchObject({ status: "completed", outcome: "not_fixable" });
  }, 180_000);

  it("holds the concurrency limit under a burst of 50 clicks on 50 tickets, and all finish", async () => {
    const api = apiClient(server.url, "pm");
    const { store } = server.services.deps;
    let maxRunning = 0;
    let sampling = true;
    const sampler = (async () => {
      while (sampling) {
        const running = (await store.listByStatus(["running"])).length;
        maxRunning = Math.max(maxRunning, running, server.services.runner.load.running);
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
    })();
    const created = await Promise.all(calcTickets(50).map((t) => api.createFix(t.key)));
    expect(created.map((c) => c.status)).toEqual(Array(50).fill(202));
    const queuedRightAway = (await store.listByStatus(["queued"])).length;
    expect(queuedRightAway).toBeGreaterThanOrEqual(45);
    const ids = created.map((c) => c.task.id);
    await waitFor(
      "all 50 tasks to finish",
      async () => {
        const tasks = await Promise.all(ids.map((id) => store.get(id)));
        return tasks.every((t) => t !== null && isFinal(t)) ? true : undefined;
      },
      600_000,
      500,
    );
    sampling = false;
    await sampler;
    const tasks = await Promise.all(ids.map((id) => api.task(id)));
    expect(tasks.map((t) => `${t.status}/${t.outcome}`)).toEqual(
      Array(50).fill("completed/not_fixable"),
    );
    expect(maxRunning).toBeGreaterThan(0);
    expect(maxRunning).toBeLessThanOrEqual(2);
  }, 700_000);
});
