import { afterEach, vi } from "vitest";
import { InMemorySlotLeases, inMemoryAgentSlots } from "../support/fakes/in-memory-slot-leases.js";
import type { SlotLeaseStore } from "../../server/domain/ports/slot-leases.js";
import type { LeasedAgentSlots } from "../../server/domain/slots/leased-agent-slots.js";

/** A job that holds its slot until released, recording when it started. */
function job(
  slots: LeasedAgentSlots,
  priority: "task" | "review",
  log: string[],
  name: string,
  signal = new AbortController().signal,
) {
  let release: () => void = () => {};
  const held = new Promise<void>((resolve) => (release = resolve));
  const done = slots.run(priority, signal, async () => {
    log.push(name);
    await held;
    return name;
  });
  return { release, done };
}

const tick = () => new Promise((resolve) => setTimeout(resolve, 0));

describe("AgentSlots", () => {
  it("never runs more than its capacity, and serves waiting tasks before waiting reviews", async () => {
    const slots = inMemoryAgentSlots(2);
    const log: string[] = [];
    const r1 = job(slots, "review", log, "review-1");
    const r2 = job(slots, "review", log, "review-2");
    const r3 = job(slots, "review", log, "review-3");
    const t1 = job(slots, "task", log, "task-1");
    const t2 = job(slots, "task", log, "task-2");
    await tick();
    expect(log).toEqual(["review-1", "review-2"]);
    expect(slots.load).toEqual({ inUse: 2, waiting: 3 });

    r1.release();
    await r1.done;
    await tick();
    expect(log).toEqual(["review-1", "review-2", "task-1"]);
    r2.release();
    await tick();
    t1.release();
    await tick();
    expect(log).toEqual(["review-1", "review-2", "task-1", "task-2", "review-3"]);
    t2.release();
    r3.release();
    await Promise.all([r2.done, r3.done, t1.done, t2.done]);
    expect(slots.load).toEqual({ inUse: 0, waiting: 0 });
  });

  it("frees the slot when the work throws", async () => {
    const slots = inMemoryAgentSlots(1);
    const signal = new AbortController().signal;
    await expect(
      slots.run("task", signal, () => Promise.reject(new Error("boom"))),
    ).rejects.toThrow("boom");
    expect(slots.load).toEqual({ inUse: 0, waiting: 0 });
    await expect(slots.run("task", signal, () => Promise.resolve(1))).resolves.toBe(1);
  });

  it("runs aborted waiters at once without a slot, so a cancelled task still ends", async () => {
    const slots = inMemoryAgentSlots(1);
    const log: string[] = [];
    const busy = job(slots, "review", log, "busy");
    const controller = new AbortController();
    const cancelled = job(slots, "task", log, "cancelled", controller.signal);
    await tick();
    expect(slots.load).toEqual({ inUse: 1, waiting: 1 });
    controller.abort();
    await tick();
    expect(log).toEqual(["busy", "cancelled"]);
    expect(slots.load).toEqual({ inUse: 1, waiting: 0 });
    cancelled.release();
    await cancelled.done;
    expect(slots.load.inUse).toBe(1);
    busy.release();
    await busy.done;
    expect(slots.load).toEqual({ inUse: 0, waiting: 0 });
  });

  it("refuses a capacity below one", () => {
    expect(() => inMemoryAgentSlots(0)).toThrow(/positive/);
  });
});

/** Two processes' slots on one pool (one store), looking for others' releases every 5 ms. */
function twoProcesses(capacity: number, options: { leaseMs?: number } = {}) {
  const store = new InMemorySlotLeases();
  const a = inMemoryAgentSlots(capacity, store, { holder: "a", pollMs: 5, ...options });
  const b = inMemoryAgentSlots(capacity, store, { holder: "b", pollMs: 5, ...options });
  return { store, a, b };
}

/** Resolves once `log` has `name` (each job logs when it starts). */
async function started(log: string[], name: string): Promise<void> {
  for (let i = 0; i < 2000 && !log.includes(name); i += 1) {
    await new Promise((resolve) => setTimeout(resolve, 1));
  }
  expect(log).toContain(name);
}

describe("AgentSlots shared by processes (one lease store)", () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it("shares one capacity: a slot given back in one process goes to a waiter in the other", async () => {
    const { store, a, b } = twoProcesses(2);
    const log: string[] = [];
    const a1 = job(a, "review", log, "a1");
    const a2 = job(a, "task", log, "a2");
    const b1 = job(b, "task", log, "b1");
    await tick();
    expect(log).toEqual(["a1", "a2"]);
    expect(b.load).toEqual({ inUse: 0, waiting: 1 });
    a1.release();
    await a1.done;
    await started(log, "b1");
    expect(store.rows.filter((r) => r.held).map((r) => r.holder)).toEqual(["a", "b"]);
    a2.release();
    b1.release();
    await Promise.all([a2.done, b1.done]);
    expect(store.rows).toEqual([]);
  });

  it("serves another process's waiting task before this process's waiting review", async () => {
    const { a, b } = twoProcesses(1);
    const log: string[] = [];
    const busy = job(a, "review", log, "busy");
    const review = job(a, "review", log, "a-review");
    await tick();
    const task = job(b, "task", log, "b-task");
    await tick();
    // a's own waiter is woken at once by the release, yet b's task is ahead of it.
    busy.release();
    await busy.done;
    await started(log, "b-task");
    expect(log).toEqual(["busy", "b-task"]);
    task.release();
    await task.done;
    await started(log, "a-review");
    review.release();
    await review.done;
  });

  it("gives a dead process's slot back once its lease has ended, not before", async () => {
    vi.useFakeTimers();
    const { store, b } = twoProcesses(1, { leaseMs: 3000 });
    // A process that took the slot and was then killed: nobody renews its lease.
    const now = Date.now();
    await store.request("dead", {
      pool: "test-pool",
      priority: "task",
      capacity: 1,
      now: new Date(now).toISOString(),
      expiresAt: new Date(now + 3000).toISOString(),
    });
    const log: string[] = [];
    const waiting = job(b, "review", log, "b-review");
    await vi.advanceTimersByTimeAsync(2990);
    expect(log).toEqual([]);
    expect(b.load).toEqual({ inUse: 0, waiting: 1 });
    await vi.advanceTimersByTimeAsync(20);
    expect(log).toEqual(["b-review"]);
    expect(store.rows.map((r) => r.holder)).toEqual(["b"]);
    waiting.release();
    await waiting.done;
  });

  it("keeps a living holder's slot past many leases by renewing it", async () => {
    vi.useFakeTimers();
    const { store, a, b } = twoProcesses(1, { leaseMs: 3000 });
    const log: string[] = [];
    const holder = job(a, "review", log, "a-review");
    const waiter = job(b, "task", log, "b-task");
    await vi.advanceTimersByTimeAsync(30_000);
    expect(log).toEqual(["a-review"]);
    expect(store.rows.map((r) => [r.holder, r.held])).toEqual([
      ["a", true],
      ["b", false],
    ]);
    holder.release();
    await holder.done;
    await vi.advanceTimersByTimeAsync(10);
    expect(log).toEqual(["a-review", "b-task"]);
    waiter.release();
    await waiter.done;
  });

  it("files a waiting request again when it was dropped as dead, and still gets a slot", async () => {
    const { store, a, b } = twoProcesses(1);
    const log: string[] = [];
    const busy = job(a, "task", log, "busy");
    const waiter = job(b, "task", log, "b-task");
    await tick();
    const dropped = store.rows.find((r) => r.holder === "b");
    if (dropped === undefined) throw new Error("b's request was never filed");
    await store.remove(dropped.id);
    busy.release();
    await busy.done;
    await started(log, "b-task");
    expect(store.rows.map((r) => r.id)).not.toContain(dropped.id);
    waiter.release();
    await waiter.done;
  });

  it("a waiter that gives up leaves the queue, so the next one (elsewhere) goes", async () => {
    const { store, a, b } = twoProcesses(1);
    const log: string[] = [];
    const busy = job(b, "task", log, "busy");
    const controller = new AbortController();
    const cancelled = job(a, "task", log, "cancelled", controller.signal);
    await tick();
    const review = job(b, "review", log, "b-review");
    await tick();
    controller.abort();
    await started(log, "cancelled");
    expect(store.rows.map((r) => r.holder)).toEqual(["b", "b"]);
    cancelled.release();
    await cancelled.done;
    busy.release();
    await busy.done;
    await started(log, "b-review");
    review.release();
    await review.done;
  });

  it("asks the store for its first waiter only, so many waiters cost one query per poll", async () => {
    vi.useFakeTimers();
    const store = new InMemorySlotLeases();
    let asked = 0;
    const counting: SlotLeaseStore = {
      request: (holder, terms) => store.request(holder, terms),
      tryGrant: (id, terms) => {
        asked += 1;
        return store.tryGrant(id, terms);
      },
      renew: (ids, expiresAt) => store.renew(ids, expiresAt),
      remove: (id) => store.remove(id),
    };
    const a = inMemoryAgentSlots(1, counting, { holder: "a", pollMs: 300 });
    const b = inMemoryAgentSlots(1, store, { holder: "b", pollMs: 300 });
    const log: string[] = [];
    const busy = job(b, "task", log, "busy");
    const reviews = Array.from({ length: 5 }, (_, i) => job(a, "review", log, `review-${i}`));
    await vi.advanceTimersByTimeAsync(3000);
    expect(a.load).toEqual({ inUse: 0, waiting: 5 });
    // One ask on filing's heels, then one per 300 ms poll: 11, where every waiter asking is 55.
    expect(asked).toBe(11);
    busy.release();
    await busy.done;
    for (const review of reviews) {
      await vi.advanceTimersByTimeAsync(300);
      review.release();
      await review.done;
    }
    expect(log).toEqual(["busy", "review-0", "review-1", "review-2", "review-3", "review-4"]);
  });
});
