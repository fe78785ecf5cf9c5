import { createFixTask } from "../../../server/domain/tasks/create-fix-task.js";
import { analysisJson, domainHarness, SMALL_FIX_TURN } from "../../support/fakes/domain-harness.js";

const pm = { email: "pm@acme.test", name: "Pat", role: "pm" as const };

/** A promise and the function that resolves it. */
function gate(): { promise: Promise<void>; open: () => void } {
  let open = (): void => undefined;
  const promise = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { promise, open };
}

/**
 * Another node cancels (or takes over) a task this process is running: its run learns of
 * it only through the database. Whatever the run does late must not overwrite that.
 */
describe("every transition of a run is conditional on the task still running", () => {
  it("a run that finishes its fix late neither publishes nor completes a cancelled task", async () => {
    const h = domainHarness();
    h.tracker.add({ key: "CALC-1" });
    const fixTurn = gate();
    h.agent.script({ final: analysisJson() }, { ...SMALL_FIX_TURN, gate: fixTurn.promise });
    const { task } = await createFixTask(h.deps, { ticketKey: "CALC-1", user: pm });
    await vi.waitFor(async () => expect((await h.store.get(task.id))?.phase).toBe("fixing"));
    // Cancelled in the database only, as an API node without the run does it.
    const cancelled = await h.store.transition(task.id, ["running"], {
      status: "cancelled",
      finishedAt: new Date().toISOString(),
    });
    expect(cancelled?.status).toBe("cancelled");
    fixTurn.open();
    await h.runner.idle();
    expect(await h.store.get(task.id)).toMatchObject({
      status: "cancelled",
      phase: "fixing",
      outcome: null,
      pullRequest: null,
      summary: null,
    });
    expect(h.codeHost.pulls).toEqual([]);
    expect(h.tracker.comments).toEqual([]);
    const statuses = (await h.store.listEvents(task.id)).filter((e) => e.type === "task.status");
    expect(statuses.at(-1)?.payload).toMatchObject({ status: "running", phase: "fixing" });
  });

  it("a run whose analysis lands late does not move a cancelled task on", async () => {
    const h = domainHarness();
    h.tracker.add({ key: "CALC-2" });
    const analyzeTurn = gate();
    h.agent.script({ final: analysisJson(), gate: analyzeTurn.promise });
    const { task } = await createFixTask(h.deps, { ticketKey: "CALC-2", user: pm });
    await vi.waitFor(async () => expect((await h.store.get(task.id))?.phase).toBe("analyzing"));
    await h.store.transition(task.id, ["running"], { status: "cancelled" });
    analyzeTurn.open();
    await h.runner.idle();
    expect(await h.store.get(task.id)).toMatchObject({
      status: "cancelled",
      phase: "analyzing",
      analysis: null,
    });
    expect(h.agent.requests).toHaveLength(1); // no fix turn after the cancel
  });
});
