import { ErrorBodySchema } from "../../shared/errors.js";
import { TaskResponseSchema } from "../../shared/task.js";
import { retryTask } from "../../server/domain/tasks/retry-task.js";
import { appHarness } from "../support/app-harness.js";

// Who may steer whose task, over HTTP: a PM cancels and retries only their own tasks;
// engineers and admins any; re-running a free-form prompt needs the role that creates one.
type Harness = Awaited<ReturnType<typeof appHarness>>;
let h: Harness;

beforeEach(async () => {
  h = await appHarness({ security: { taskRateLimitPerMinute: 100, trustProxy: ["loopback"] } });
  for (const key of ["CALC-1", "CALC-2"]) h.tracker.add({ key });
});
afterEach(async () => {
  await h.close();
});

function code(body: unknown): string {
  return ErrorBodySchema.parse(body).error.code;
}

async function start(role: "pm" | "engineer", ticketKey: string, hang: boolean): Promise<string> {
  if (hang) h.agent.script({ hang: true, final: "" });
  const res = await h.as(role).post("/api/tasks").send({ ticketKey }).expect(202);
  const id = TaskResponseSchema.parse(res.body).task.id;
  if (!hang) await h.runner.idle();
  return id;
}

describe("task ownership", () => {
  it("refuses a PM cancelling an engineer's running task, and lets the engineer cancel theirs", async () => {
    const id = await start("engineer", "CALC-1", true);
    const refused = await h.as("pm").post(`/api/tasks/${id}/cancel`).send({}).expect(403);
    expect(code(refused.body)).toBe("forbidden");
    expect((await h.store.get(id))?.status).not.toBe("cancelled");
    const requests = (await h.store.listEvents(id)).filter((e) => e.type === "task.request");
    expect(requests.map((e) => e.payload.action)).toEqual(["create"]);
    await h.as("engineer").post(`/api/tasks/${id}/cancel`).send({}).expect(202);
    await h.runner.idle();
    expect((await h.store.get(id))?.status).toBe("cancelled");
  });

  it("refuses a PM retrying an engineer's failed task; the PM retries their own", async () => {
    const theirs = await start("engineer", "CALC-1", false);
    expect((await h.store.get(theirs))?.status).toBe("failed");
    const refused = await h.as("pm").post(`/api/tasks/${theirs}/retry`).send({}).expect(403);
    expect(code(refused.body)).toBe("forbidden");
    expect((await h.store.get(theirs))?.status).toBe("failed");
    const own = await start("pm", "CALC-2", false);
    await h.as("pm").post(`/api/tasks/${own}/retry`).send({}).expect(202);
    await h.runner.idle();
  });

  it("lets engineers and admins cancel and retry anyone's task", async () => {
    const id = await start("pm", "CALC-1", true);
    await h.as("admin").post(`/api/tasks/${id}/cancel`).send({}).expect(202);
    await h.runner.idle();
    await h.as("engineer").post(`/api/tasks/${id}/retry`).send({}).expect(202);
    await h.runner.idle();
    const requests = (await h.store.listEvents(id)).filter((e) => e.type === "task.request");
    expect(requests.map((e) => [e.payload.action, e.payload.by])).toEqual([
      ["create", "pm@acme.test"],
      ["cancel", "admin@acme.test"],
      ["retry", "engineer@acme.test"],
    ]);
  });

  it("refuses re-running a free-form prompt task to a role that may not create one", async () => {
    const res = await h
      .as("engineer")
      .post("/api/codex/task")
      .send({ prompt: "Tidy up", repo: "acme/calc" })
      .expect(202);
    const id = TaskResponseSchema.parse(res.body).task.id;
    await h.runner.idle();
    expect((await h.store.get(id))?.status).toBe("failed");
    await h.as("pm").post(`/api/tasks/${id}/retry`).send({}).expect(403);
    // Even its own author, once their role is PM (moved teams), may not re-run it.
    const demoted = { email: "engineer@acme.test", name: "E", role: "pm" as const };
    const deps = { ...h.deps, store: h.store, queue: h.runner };
    await expect(retryTask(deps, { taskId: id, user: demoted })).rejects.toMatchObject({
      code: "forbidden",
      status: 403,
    });
    await h.as("admin").post(`/api/tasks/${id}/retry`).send({}).expect(202);
    await h.runner.idle();
  });
});
