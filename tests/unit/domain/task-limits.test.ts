import { pino } from "pino";
import type { NewTask } from "../../../server/domain/ports/task-store.js";
import { cancelTask } from "../../../server/domain/tasks/cancel-task.js";
import { runTask, type RunTaskResult } from "../../../server/domain/tasks/run-task.js";
import { TaskRunner } from "../../../server/domain/tasks/task-runner.js";
import { RepoRegistry } from "../../../server/domain/repo-registry.js";
import { CALC_REPO, calcTicketTask, domainHarness } from "../../support/fakes/domain-harness.js";
import { until } from "../../support/until.js";

// The limits that hold across workers: two runners (two workers) share one store, as
// workers share one database. A task refused for room stays queued and runs once a
// place frees up, on whichever worker tries it next.

const logger = pino({ level: "silent" });
const eng = { email: "eng@acme.test", name: "Eve", role: "engineer" as const };

function fixTask(key: string, repo = CALC_REPO.github): NewTask {
  return calcTicketTask(key, { repo });
}

/** A worker on the harness's store whose runs' results are recorded, per task. */
function worker(h: ReturnType<typeof domainHarness>, id: string, concurrency = 2) {
  const results: [string, RunTaskResult][] = [];
  const runner = new TaskRunner({
    store: h.store,
    run: async (taskId, signal, lease) => {
      const result = await runTask(h.deps, taskId, signal, lease);
      results.push([taskId, result]);
      return result;
    },
    concurrency,
    logger,
    worker: { id, leaseMs: 30_000 },
    deferredRetryMs: 20,
  });
  return { runner, results };
}

describe("limits across workers", () => {
  it("keeps a repository's second task queued while its first runs on another worker, then runs it", async () => {
    const h = domainHarness({}, { ...CALC_REPO, maxConcurrentTasks: 1 });
    h.agent.script({ hang: true }, { hang: true });
    const a = worker(h, "worker-a");
    const b = worker(h, "worker-b");
    await a.runner.start();
    await b.runner.start();
    const first = (await h.store.create(fixTask("CALC-1"))).task;
    a.runner.enqueue(first.id);
    await until(() => h.agent.requests.length === 1, "the first task's turn to start");

    const second = (await h.store.create(fixTask("CALC-2"))).task;
    b.runner.enqueue(second.id);
    await until(
      () => b.results.some(([id, r]) => id === second.id && r === "deferred"),
      "worker b to defer the second task",
    );
    expect((await h.store.get(second.id))?.status).toBe("queued");
    expect(h.agent.requests).toHaveLength(1);
    expect(await h.store.listEvents(second.id)).not.toContainEqual(
      expect.objectContaining({ type: "task.status" }),
    );

    // The first ends: worker b's next try claims the second.
    await cancelTask({ ...h.deps, queue: a.runner }, { taskId: first.id, user: eng });
    await until(() => h.agent.requests.length === 2, "the second task's turn to start");
    expect(await h.store.heldLeases("worker-b", [second.id])).toEqual([second.id]);
    await a.runner.stop();
    await b.runner.stop();
  });

  it("lets another repository run beside it, up to the total across workers", async () => {
    const web = { ...CALC_REPO, jiraProject: "WEB", github: "acme/web", maxConcurrentTasks: 5 };
    const h = domainHarness({ totalMaxConcurrent: 2 }, { ...CALC_REPO, maxConcurrentTasks: 1 });
    h.deps.repos = new RepoRegistry([{ ...CALC_REPO, maxConcurrentTasks: 1 }, web]);
    h.agent.script({ hang: true }, { hang: true }, { hang: true });
    // Room for three here: the total across workers is what holds the third back.
    const a = worker(h, "worker-a", 3);
    await a.runner.start();
    const calc = (await h.store.create(fixTask("CALC-3"))).task;
    const web1 = (await h.store.create(fixTask("WEB-1", "acme/web"))).task;
    const web2 = (await h.store.create(fixTask("WEB-2", "acme/web"))).task;
    a.runner.enqueue(calc.id);
    a.runner.enqueue(web1.id);
    await until(() => h.agent.requests.length === 2, "a calc and a web task to run together");
    a.runner.enqueue(web2.id);
    await until(
      () => a.results.some(([id, r]) => id === web2.id && r === "deferred"),
      "the third task to wait for the total",
    );
    expect((await h.store.get(web2.id))?.status).toBe("queued");
    await a.runner.stop();
  });
});
