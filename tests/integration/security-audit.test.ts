import { TaskAuditResponseSchema, TaskSchema } from "../../shared/index.js";
import { appHarness } from "../support/app-harness.js";
import { analysisJson } from "../support/fakes/domain-harness.js";

describe("GET /api/tasks/:id/audit", () => {
  it("records who started, followed up, cancelled and retried a task, for every role that reads tasks", async () => {
    const h = await appHarness();
    try {
      h.tracker.add({ key: "CALC-1", summary: "Totals are wrong" });
      h.agent.script(
        { final: analysisJson() },
        { writes: { "src/add.js": "a + b" }, final: "Fixed." },
        { hang: true },
      );
      const created = await h
        .as("pm")
        .post("/api/tasks")
        .send({ ticketKey: "CALC-1", instructions: "Keep it small" })
        .expect(202);
      const id = TaskSchema.parse(created.body.task).id;
      await h.runner.idle();
      await h
        .as("engineer")
        .post(`/api/tasks/${id}/messages`)
        .send({ message: "Add a test" })
        .expect(202);
      await vi.waitFor(async () => {
        const task = TaskSchema.parse((await h.as("pm").get(`/api/tasks/${id}`)).body.task);
        expect(task.status).toBe("running");
      });
      await h.as("admin").post(`/api/tasks/${id}/cancel`).send({}).expect(202);
      await h.runner.idle();
      h.agent.script({ final: "Nothing more." });
      await h.as("pm").post(`/api/tasks/${id}/retry`).send({}).expect(202);
      await h.runner.idle();

      const res = await h.as("admin").get(`/api/tasks/${id}/audit`).expect(200);
      const audit = TaskAuditResponseSchema.parse(res.body);
      expect(audit.taskId).toBe(id);
      expect(audit.entries.map((e) => [e.action, e.by, e.message])).toEqual([
        ["create", "pm@acme.test", "Keep it small"],
        ["follow_up", "engineer@acme.test", "Add a test"],
        ["cancel", "admin@acme.test", null],
        ["retry", "pm@acme.test", null],
      ]);
      expect(audit.entries.every((e) => !Number.isNaN(Date.parse(e.at)))).toBe(true);

      // One decision: the audit is what the task's events already tell every role.
      const events = await h
        .as("pm")
        .get(`/api/tasks/${id}/events`)
        .set("Accept", "application/json");
      const requests = (
        events.body as { events: { type: string; payload: { action?: string } }[] }
      ).events
        .filter((e) => e.type === "task.request")
        .map((e) => e.payload.action);
      for (const role of ["pm", "engineer"] as const) {
        const seen = TaskAuditResponseSchema.parse(
          (await h.as(role).get(`/api/tasks/${id}/audit`).expect(200)).body,
        );
        expect(seen).toEqual(audit);
        expect(seen.entries.map((e) => e.action)).toEqual(requests);
      }
      await h.request.get(`/api/tasks/${id}/audit`).expect(401);
      await h.as("admin").get("/api/tasks/00000000-0000-4000-8000-000000000000/audit").expect(404);
    } finally {
      await h.close();
    }
  });
});
