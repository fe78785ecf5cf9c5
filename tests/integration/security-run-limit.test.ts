import { ErrorBodySchema } from "../../shared/errors.js";
import { TaskResponseSchema } from "../../shared/task.js";
import { appHarness } from "../support/app-harness.js";

// The per-person budget of agent runs, over HTTP: it counts runs where they start, so
// the path's spelling cannot dodge it, and a click answered with the active task is free.
type Harness = Awaited<ReturnType<typeof appHarness>>;
let h: Harness;

beforeEach(async () => {
  h = await appHarness({ security: { taskRateLimitPerMinute: 2, trustProxy: ["loopback"] } });
  for (const key of ["CALC-1", "CALC-2", "CALC-3", "CALC-4"]) h.tracker.add({ key });
});
afterEach(async () => {
  await h.close();
});

function code(body: unknown): string {
  return ErrorBodySchema.parse(body).error.code;
}

async function settled(id: string): Promise<string> {
  await h.runner.idle();
  return (await h.store.get(id))?.status ?? "missing";
}

describe("the per-person run limit", () => {
  it("holds across the case variants Express routes to the same use case", async () => {
    const eng = h.as("engineer");
    const prompt = { prompt: "Look around", repo: "acme/calc" };
    await eng.post("/api/Codex/Task").send(prompt).expect(202);
    await eng.post("/api/CODEX/TASK/").send(prompt).expect(202);
    const limited = await eng.post("/api/codex/tASK").send(prompt).expect(429);
    expect(code(limited.body)).toBe("rate_limited");
    expect(Number(limited.headers["retry-after"])).toBeGreaterThan(0);
    await eng.post("/api/TASKS").send({ ticketKey: "CALC-1" }).expect(429);
    expect((await h.store.list({ limit: 10 })).tasks).toHaveLength(2);
  });

  it("counts retries through /RETRY and follow-ups through /Messages", async () => {
    const pm = h.as("pm");
    const created = await pm.post("/api/tasks").send({ ticketKey: "CALC-1" }).expect(202);
    const id = TaskResponseSchema.parse(created.body).task.id;
    // No scripted turn: the run fails, and can be retried.
    expect(await settled(id)).toBe("failed");
    await pm.post(`/api/tasks/${id}/RETRY`).send({}).expect(202);
    expect(await settled(id)).toBe("failed");
    const limited = await pm.post(`/api/Tasks/${id}/Retry`).send({}).expect(429);
    expect(code(limited.body)).toBe("rate_limited");
    expect(await settled(id)).toBe("failed");
    // Nothing was recorded for the refused retry.
    const requests = (await h.store.listEvents(id)).filter((e) => e.type === "task.request");
    expect(requests.map((e) => e.payload.action)).toEqual(["create", "retry"]);
    // The budget is per person: an engineer still has theirs, also for follow-ups.
    const eng = h.as("engineer");
    const e1 = await eng.post("/api/tasks").send({ ticketKey: "CALC-2" }).expect(202);
    await settled(TaskResponseSchema.parse(e1.body).task.id);
    // A turn that fails after the thread started leaves a thread to follow up on.
    h.agent.script({ error: new Error("model went away") });
    const e2 = await eng.post("/api/tasks").send({ ticketKey: "CALC-3" }).expect(202);
    const id2 = TaskResponseSchema.parse(e2.body).task.id;
    expect(await settled(id2)).toBe("failed");
    const more = await eng.post(`/api/tasks/${id2}/MESSAGES`).send({ message: "again" });
    expect([more.status, code(more.body)]).toEqual([429, "rate_limited"]);
  });

  it("answers 20 concurrent clicks on one ticket with its one task, and none is a 429", async () => {
    h.agent.script({ hang: true, final: "" });
    const pm = h.as("pm");
    const answers = await Promise.all(
      Array.from({ length: 20 }, () => pm.post("/api/tasks").send({ ticketKey: "CALC-1" })),
    );
    const statuses = answers.map((a) => a.status).sort();
    expect(statuses).toEqual([...Array<number>(19).fill(200), 202]);
    const ids = new Set(answers.map((a) => TaskResponseSchema.parse(a.body).task.id));
    expect(ids.size).toBe(1);
    // Only one run was spent: one more ticket fits in the budget of 2, the next does not.
    await pm.post("/api/tasks").send({ ticketKey: "CALC-2" }).expect(202);
    expect(code((await pm.post("/api/tasks").send({ ticketKey: "CALC-3" })).body)).toBe(
      "rate_limited",
    );
    const [id] = [...ids];
    await pm.post(`/api/tasks/${id}/cancel`).send({}).expect(202);
    await h.runner.idle();
  });
});
