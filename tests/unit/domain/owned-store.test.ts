import { ownedStore } from "../../../server/domain/leases/owned-store.js";
import { calcTicketTask } from "../../support/fakes/domain-harness.js";
import { InMemoryTaskStore } from "../../support/in-memory-task-store.js";

const LATER = "2030-01-01T00:00:30.000Z";

describe("the store as one run sees it", () => {
  it("tells the run's lease holder when the run itself took the task out of running, and only then", async () => {
    const store = new InMemoryTaskStore();
    const { task } = await store.create(calcTicketTask("CALC-1"));
    await store.claim(task.id, { owner: "worker-a", expiresAt: LATER }, { phase: "preparing" });
    const left: string[] = [];
    const mine = ownedStore(store, "worker-a", () => left.push(task.id));
    const theirs = ownedStore(store, "worker-b", () => left.push("worker-b"));

    await mine.transition(task.id, ["running"], { phase: "fixing" });
    expect(left).toEqual([]); // still running
    expect(await theirs.transition(task.id, ["running"], { status: "completed" })).toBeNull();
    expect(left).toEqual([]); // refused: not worker-b's
    await mine.transition(task.id, ["running"], { status: "completed" });
    expect(left).toEqual([task.id]);
    expect((await mine.get(task.id))?.status).toBe("completed");
  });
});
