import { pino } from "pino";
import type { Task } from "../../../shared/task.js";
import type { NewTask } from "../../../server/domain/ports/task-store.js";
import type { TaskEventHub } from "../../../server/domain/ports/event-hub.js";
import type { TakenFrom } from "../../../server/domain/leases/take-over-orphans.js";
import { cancelTask } from "../../../server/domain/tasks/cancel-task.js";
import { recoverInterruptedTask } from "../../../server/domain/tasks/recover-task.js";
import { runTask } from "../../../server/domain/tasks/run-task.js";
import { RunSuperseded } from "../../../server/domain/tasks/run-update.js";
import { TaskRunner } from "../../../server/domain/tasks/task-runner.js";
import { InMemoryTaskStore } from "../../support/in-memory-task-store.js";
import {
  analysisJson,
  CALC_REPO,
  calcTicketTask,
  domainHarness,
} from "../../support/fakes/domain-harness.js";

const logger = pino({ level: "silent" });
const eng = { email: "eng@acme.test", name: "Eve", role: "engineer" as const };
const LEASE_MS = 30_000;

const fixTask = (key: string): NewTask => calcTicketTask(key);

/** A runner of the harness's tasks as worker-a, with leases (hearing the harness's hub). */
function leasedRunner(
  h: ReturnType<typeof domainHarness>,
  checkEveryMs?: number,
  hub?: TaskEventHub,
) {
  return new TaskRunner({
    store: h.store,
    run: (taskId, signal, lease) => runTask(h.deps, taskId, signal, lease),
    concurrency: 1,
    logger,
    worker: { id: "worker-a", leaseMs: LEASE_MS },
    ...(hub === undefined ? {} : { hub }),
    ...(checkEveryMs === undefined ? {} : { leaseTiming: { checkEveryMs } }),
  });
}

async function until<T>(what: string, read: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + 5000;
  for (;;) {
    const value = await read();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`never happened: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe("task leases", () => {
  it("takes over at start-up only tasks whose lease expired, that no one holds, or its own", async () => {
    const store = new InMemoryTaskStore();
    const now = new Date("2030-01-01T00:00:00Z");
    const later = new Date(now.getTime() + LEASE_MS).toISOString();
    const earlier = new Date(now.getTime() - 1).toISOString();
    const leftBy = async (key: string, owner: string, expiresAt: string) => {
      const { task } = await store.create(fixTask(key));
      await store.claim(task.id, { owner, expiresAt }, { phase: "fixing" });
      return task.id;
    };
    const live = await leftBy("CALC-1", "worker-b", later);
    const dead = await leftBy("CALC-2", "worker-b", earlier);
    const mine = await leftBy("CALC-3", "worker-a", later);
    const handedOver = await leftBy("CALC-4", "worker-c", later);
    await store.releaseLeases("worker-c", [handedOver]);
    const recovered: [string, TakenFrom][] = [];
    const runner = new TaskRunner({
      store,
      run: () => Promise.resolve(),
      concurrency: 1,
      logger,
      recover: (task: Task, from) => Promise.resolve(void recovered.push([task.id, from])),
      worker: { id: "worker-a", leaseMs: LEASE_MS },
      now: () => now,
    });
    await runner.start();
    await runner.stop();
    expect(recovered).toEqual([
      [dead, "other"],
      [mine, "self"],
      [handedOver, "other"],
    ]);
    expect(await store.heldLeases("worker-b", [live, dead])).toEqual([live]);
    expect(await store.heldLeases("worker-a", [dead, mine, handedOver])).toEqual([
      dead,
      mine,
      handedOver,
    ]);
  });

  it("stops a run within a second of a cancel from another node, which has the last word", async () => {
    const h = domainHarness();
    h.agent.script({ hang: true });
    const runner = leasedRunner(h, 100);
    await runner.start();
    const { task } = await h.store.create(fixTask("CALC-5"));
    runner.enqueue(task.id);
    await until("the analysis turn to hang", () =>
      Promise.resolve(h.agent.requests.length === 1 ? true : undefined),
    );
    // The API node has no run to signal: its queue answers false, and it ends the task itself.
    const apiNode = { ...h.deps, queue: { enqueue: () => undefined, abort: () => false as const } };
    const cancelledAt = Date.now();
    await cancelTask(apiNode, { taskId: task.id, user: eng });
    await runner.idle();
    const stoppedAfterMs = Date.now() - cancelledAt;
    expect(stoppedAfterMs).toBeLessThan(1000);
    expect(h.agent.requests[0]?.signal.reason).toBeInstanceOf(RunSuperseded);
    const statuses = (await h.store.listEvents(task.id))
      .filter((e) => e.type === "task.status")
      .map((e) => (e.payload as { status: string }).status);
    expect(statuses.at(-1)).toBe("cancelled");
    expect(statuses).not.toContain("failed");
    expect((await h.store.get(task.id))?.status).toBe("cancelled");
    await runner.stop();
  });

  it("hears a cancel from another node through the event hub, without waiting for the check", async () => {
    const h = domainHarness();
    h.agent.script({ hang: true });
    // A check a minute apart: only the cancel's status event can stop the run in time.
    const runner = leasedRunner(h, 60_000, h.deps.hub);
    await runner.start();
    const { task } = await h.store.create(fixTask("CALC-10"));
    runner.enqueue(task.id);
    await until("the analysis turn to hang", () =>
      Promise.resolve(h.agent.requests.length === 1 ? true : undefined),
    );
    const apiNode = { ...h.deps, queue: { enqueue: () => undefined, abort: () => false as const } };
    await cancelTask(apiNode, { taskId: task.id, user: eng });
    await runner.idle();
    expect(h.agent.requests[0]?.signal.reason).toBeInstanceOf(RunSuperseded);
    expect((await h.store.get(task.id))?.status).toBe("cancelled");
    expect(h.deps.hub.listenerCount(task.id)).toBe(0);
    await runner.stop();
  });

  it("hands the leases of runs a shutdown stopped over, so another worker takes them at once", async () => {
    const h = domainHarness();
    h.agent.script({ hang: true });
    const runner = leasedRunner(h);
    await runner.start();
    const { task } = await h.store.create(fixTask("CALC-6"));
    runner.enqueue(task.id);
    await until("the analysis turn to hang", () =>
      Promise.resolve(h.agent.requests.length === 1 ? true : undefined),
    );
    expect(await h.store.listOrphaned("worker-b", new Date().toISOString())).toEqual([]);
    await runner.stop();
    const orphans = await h.store.listOrphaned("worker-b", new Date().toISOString());
    expect(orphans.map((o) => [o.task.id, o.task.status, o.owner])).toEqual([
      [task.id, "running", null],
    ]);
  });

  it("starts a task taken over from another worker again from scratch on a new thread", async () => {
    const h = domainHarness();
    const { task } = await h.store.create(fixTask("CALC-7"));
    await h.store.claim(
      task.id,
      { owner: "worker-b", expiresAt: "2030-01-01T00:00:00.000Z" },
      {
        phase: "fixing",
        threadId: "thread-on-b",
        analysis: JSON.parse(analysisJson()) as Task["analysis"],
      },
    );
    const current = (await h.store.get(task.id))!;
    expect(await recoverInterruptedTask(h.deps, current, "other")).toBe("restarted");
    expect(await h.store.get(task.id)).toMatchObject({
      status: "queued",
      threadId: null,
      analysis: null,
    });
    h.agent.script(
      { final: analysisJson() },
      { writes: { "src/add.js": "export const add = (a, b) => a + b;\n" }, final: "Fixed" },
    );
    await runTask(h.deps, task.id, new AbortController().signal);
    expect(h.agent.requests.map((r) => r.threadId)).toEqual([null, "thread-1"]);
    expect((await h.store.get(task.id))?.status).toBe("completed");
    expect(h.codeHost.pulls).toHaveLength(1);
    // The same task on this worker's own disk would have resumed instead (the old rule).
    const own = await h.store.create(fixTask("CALC-8"));
    await h.store.claim(
      own.task.id,
      { owner: "worker-b", expiresAt: "2030-01-01T00:00:00.000Z" },
      { phase: "fixing", threadId: "thread-x" },
    );
    await h.workspaces.prepare(CALC_REPO, own.task.id, "codex/calc-8");
    const ownTask = (await h.store.get(own.task.id))!;
    expect(await recoverInterruptedTask(h.deps, ownTask, "other")).toBe("resumed");
  });
});
