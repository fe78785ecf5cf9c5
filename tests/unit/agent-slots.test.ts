import { AgentSlots } from "../../server/domain/agent-slots.js";

/** A job that holds its slot until released, recording when it started. */
function job(
  slots: AgentSlots,
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
    const slots = new AgentSlots(2);
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
    const slots = new AgentSlots(1);
    const signal = new AbortController().signal;
    await expect(
      slots.run("task", signal, () => Promise.reject(new Error("boom"))),
    ).rejects.toThrow("boom");
    expect(slots.load).toEqual({ inUse: 0, waiting: 0 });
    await expect(slots.run("task", signal, () => Promise.resolve(1))).resolves.toBe(1);
  });

  it("runs aborted waiters at once without a slot, so a cancelled task still ends", async () => {
    const slots = new AgentSlots(1);
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
    expect(() => new AgentSlots(0)).toThrow(/positive/);
  });
});
