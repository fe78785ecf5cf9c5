import {
  ErrorBodySchema,
  HealthResponseSchema,
  MeResponseSchema,
  SettingsResponseSchema,
  TaskEventListResponseSchema,
  TaskListResponseSchema,
  TaskResponseSchema,
  TaskStatsResponseSchema,
  TaskSummarySchema,
  TicketListResponseSchema,
  TicketResponseSchema,
} from "../../shared/index.js";
import { z } from "zod";
import { appHarness } from "../support/app-harness.js";
import { analysisJson } from "../support/fakes/domain-harness.js";

type Harness = Awaited<ReturnType<typeof appHarness>>;
let h: Harness;

beforeEach(async () => {
  h = await appHarness();
  h.tracker.add({ key: "CALC-1", summary: "Totals are wrong" });
  h.tracker.add({ key: "CALC-2", summary: "Rounding off by one cent" });
  h.tracker.add({ key: "OPS-7", summary: "Unmapped project" });
});
afterEach(async () => {
  await h.close();
});

function expectError(body: unknown, code: string) {
  const parsed = ErrorBodySchema.parse(body);
  expect(parsed.error.code).toBe(code);
  expect(JSON.stringify(body)).not.toMatch(/at .*\.(ts|js):\d+/);
  return parsed.error;
}

describe("public routes", () => {
  it("GET /api/health", async () => {
    const res = await h.request.get("/api/health").expect(200);
    expect(HealthResponseSchema.parse(res.body)).toEqual({
      status: "ok",
      mode: "production",
      version: "1.2.3",
    });
  });

  it("unknown API routes are 404 with the error body", async () => {
    const res = await h.request.get("/api/nope").expect(404);
    expectError(res.body, "not_found");
  });
});

describe("authentication", () => {
  const protectedRoutes: [string, string][] = [
    ["get", "/api/me"],
    ["get", "/api/settings"],
    ["get", "/api/tickets"],
    ["get", "/api/tickets/CALC-1"],
    ["post", "/api/tasks"],
    ["post", "/api/codex/task"],
    ["get", "/api/tasks"],
    ["get", "/api/tasks/stats"],
    ["get", "/api/tasks/export.csv"],
    ["get", "/api/tasks/00000000-0000-4000-8000-000000000000"],
    ["get", "/api/tasks/00000000-0000-4000-8000-000000000000/events"],
    ["get", "/api/tasks/00000000-0000-4000-8000-000000000000/diff"],
    ["post", "/api/tasks/00000000-0000-4000-8000-000000000000/messages"],
    ["post", "/api/tasks/00000000-0000-4000-8000-000000000000/cancel"],
    ["post", "/api/tasks/00000000-0000-4000-8000-000000000000/retry"],
  ];
  it.each(protectedRoutes)("%s %s needs a user (401)", async (method, url) => {
    const res = await (method === "get" ? h.request.get(url) : h.request.post(url).send({})).expect(
      401,
    );
    expectError(res.body, "unauthorized");
  });

  it("a wrong bearer token is 401, not anonymous", async () => {
    const res = await h.request.get("/api/health").set("Authorization", "Bearer nope").expect(401);
    expectError(res.body, "unauthorized");
  });

  it("dev sign-in sets an httpOnly SameSite=Lax cookie that authenticates, and sign-out ends it", async () => {
    const config = await h.request.get("/api/auth/config").expect(200);
    expect(config.body.devUsers).toHaveLength(2);
    const login = await h.request
      .post("/api/auth/dev-login")
      .set("X-Patchboard-CSRF", "1")
      .send({ email: "eve@acme.test" })
      .expect(200);
    expect(MeResponseSchema.parse(login.body).user.role).toBe("engineer");
    const cookie = String(login.headers["set-cookie"]);
    expect(cookie).toMatch(/pb_session=[\w-]{40,}/);
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Lax/);
    const session = cookie.split(";")[0] ?? "";
    const me = await h.request.get("/api/me").set("Cookie", session).expect(200);
    expect(me.body.user.email).toBe("eve@acme.test");
    await h.request
      .post("/api/auth/logout")
      .set("Cookie", session)
      .set("X-Patchboard-CSRF", "1")
      .expect(204);
    await h.request.get("/api/me").set("Cookie", session).expect(401);
  });

  it("dev sign-in refuses unknown users and bad bodies", async () => {
    expectError(
      (
        await h.request
          .post("/api/auth/dev-login")
          .set("X-Patchboard-CSRF", "1")
          .send({ email: "x@y.z" })
          .expect(401)
      ).body,
      "unauthorized",
    );
    const bad = await h.request
      .post("/api/auth/dev-login")
      .set("X-Patchboard-CSRF", "1")
      .send({ mail: "x" })
      .expect(400);
    expect(expectError(bad.body, "validation_error").message).toContain("body.email");
  });
});

describe("authorization", () => {
  it("a product manager may not send follow-ups, start free-form tasks or read history (403)", async () => {
    const id = "00000000-0000-4000-8000-000000000000";
    expectError(
      (await h.as("pm").post(`/api/tasks/${id}/messages`).send({ message: "x" }).expect(403)).body,
      "forbidden",
    );
    expectError(
      (
        await h
          .as("pm")
          .post("/api/codex/task")
          .send({ prompt: "x", repo: "acme/calc" })
          .expect(403)
      ).body,
      "forbidden",
    );
    expectError((await h.as("pm").get("/api/tasks/stats").expect(403)).body, "forbidden");
    expectError(
      (await h.as("engineer").get("/api/tasks/export.csv").expect(403)).body,
      "forbidden",
    );
  });
});

describe("tickets", () => {
  it("lists only tickets of mapped projects, with their active task", async () => {
    const res = await h.as("pm").get("/api/tickets").expect(200);
    const body = TicketListResponseSchema.parse(res.body);
    expect(body.tickets.map((t) => t.key).sort()).toEqual(["CALC-1", "CALC-2"]);
    expect(body.tickets.every((t) => t.repo === "acme/calc" && t.activeTask === null)).toBe(true);
  });

  it("pages with a cursor and validates limit", async () => {
    const first = TicketListResponseSchema.parse(
      (await h.as("pm").get("/api/tickets?limit=1").expect(200)).body,
    );
    expect(first.tickets).toHaveLength(1);
    expect(first.nextCursor).not.toBeNull();
    const second = TicketListResponseSchema.parse(
      (await h.as("pm").get(`/api/tickets?limit=1&cursor=${first.nextCursor}`).expect(200)).body,
    );
    expect(second.tickets[0]?.key).not.toBe(first.tickets[0]?.key);
    const bad = await h.as("pm").get("/api/tickets?limit=0").expect(400);
    expect(expectError(bad.body, "validation_error").message).toContain("query.limit");
  });

  it("GET /api/tickets/:key → ticket, 404 unknown, 400 malformed", async () => {
    const res = await h.as("pm").get("/api/tickets/CALC-1").expect(200);
    expect(TicketResponseSchema.parse(res.body).ticket).toMatchObject({
      key: "CALC-1",
      description: "It breaks.",
    });
    expectError((await h.as("pm").get("/api/tickets/CALC-999").expect(404)).body, "not_found");
    expectError((await h.as("pm").get("/api/tickets/OPS-7").expect(404)).body, "not_found");
    const bad = await h.as("pm").get("/api/tickets/not-a-key").expect(400);
    expect(expectError(bad.body, "validation_error").message).toContain("params.key");
  });
});

describe("tasks", () => {
  it("POST /api/tasks → 202 then 200 with the same task while it is active", async () => {
    h.agent.script({ hang: true });
    const first = await h.as("pm").post("/api/tasks").send({ ticketKey: "CALC-1" }).expect(202);
    const task = TaskResponseSchema.parse(first.body).task;
    expect(task).toMatchObject({
      kind: "fix",
      ticketKey: "CALC-1",
      status: "queued",
      createdBy: "pm@acme.test",
    });
    expect(task.ticketSnapshot?.summary).toBe("Totals are wrong");
    const again = await h
      .as("engineer")
      .post("/api/tasks")
      .send({ ticketKey: "CALC-1" })
      .expect(200);
    expect(TaskResponseSchema.parse(again.body).task.id).toBe(task.id);
    const list = TicketListResponseSchema.parse(
      (await h.as("pm").get("/api/tickets").expect(200)).body,
    );
    expect(list.tickets.find((t) => t.key === "CALC-1")?.activeTask?.id).toBe(task.id);
    await h.as("pm").post(`/api/tasks/${task.id}/cancel`).expect(202);
    await h.runner.idle();
    expect(
      TaskResponseSchema.parse((await h.as("pm").get(`/api/tasks/${task.id}`).expect(200)).body)
        .task.status,
    ).toBe("cancelled");
  });

  it("POST /api/tasks refuses bad input without creating anything", async () => {
    const cases: [unknown, string][] = [
      [{}, "body.ticketKey"],
      [{ ticketKey: "calc 1" }, "body.ticketKey"],
      [{ ticketKey: "CALC-1", instructions: 5 }, "body.instructions"],
      [{ ticketKey: "CALC-1", extra: true }, "body"],
    ];
    for (const [body, field] of cases) {
      const res = await h
        .as("pm")
        .post("/api/tasks")
        .send(body as object)
        .expect(400);
      expect(expectError(res.body, "validation_error").message).toContain(field);
    }
    const malformed = await h
      .as("pm")
      .post("/api/tasks")
      .set("Content-Type", "application/json")
      .send("{nope")
      .expect(400);
    expectError(malformed.body, "validation_error");
    const huge = await h
      .as("pm")
      .post("/api/tasks")
      .send({ ticketKey: "CALC-1", instructions: "x".repeat(200_000) })
      .expect(413);
    expectError(huge.body, "payload_too_large");
    expectError(
      (await h.as("pm").post("/api/tasks").send({ ticketKey: "CALC-404" }).expect(404)).body,
      "not_found",
    );
    expectError(
      (await h.as("pm").post("/api/tasks").send({ ticketKey: "OPS-7" }).expect(422)).body,
      "repo_not_configured",
    );
    expect(
      TaskListResponseSchema.parse((await h.as("admin").get("/api/tasks").expect(200)).body).tasks,
    ).toEqual([]);
  });

  it("runs a fix to a pull request and serves its events as JSON and SSE, and its diff", async () => {
    h.agent.script(
      { final: analysisJson() },
      {
        writes: { "src/add.js": "fixed" },
        commands: [{ command: "npm test", exitCode: 0 }],
        final: "Fixed add().",
      },
    );
    const created = TaskResponseSchema.parse(
      (await h.as("pm").post("/api/tasks").send({ ticketKey: "CALC-1" }).expect(202)).body,
    ).task;
    await h.runner.idle();
    const task = TaskResponseSchema.parse(
      (await h.as("pm").get(`/api/tasks/${created.id}`).expect(200)).body,
    ).task;
    expect(task).toMatchObject({
      status: "completed",
      outcome: "pr_opened",
      pullRequest: { number: 1, draft: false },
    });

    const json = await h
      .as("pm")
      .get(`/api/tasks/${task.id}/events`)
      .set("Accept", "application/json")
      .expect(200);
    const events = TaskEventListResponseSchema.parse(json.body).events;
    expect(events.at(-1)).toMatchObject({ type: "task.status", payload: { status: "completed" } });
    const after = await h
      .as("pm")
      .get(`/api/tasks/${task.id}/events?after=${events.length - 2}`)
      .set("Accept", "application/json");
    expect(TaskEventListResponseSchema.parse(after.body).events.map((e) => e.seq)).toEqual([
      events.length - 1,
      events.length,
    ]);

    const sse = await h
      .as("pm")
      .get(`/api/tasks/${task.id}/events`)
      .set("Accept", "text/event-stream")
      .set("Last-Event-ID", String(events.length - 3))
      .expect(200);
    expect(sse.headers["content-type"]).toContain("text/event-stream");
    const ids = [...sse.text.matchAll(/^id: (\d+)$/gm)].map((m) => Number(m[1]));
    expect(ids).toEqual([events.length - 2, events.length - 1, events.length]);
    expect(sse.text.trimEnd().endsWith("event: end\ndata: {}")).toBe(true);

    const diff = await h.as("pm").get(`/api/tasks/${task.id}/diff`).expect(200);
    expect(diff.headers["content-type"]).toContain("text/plain");
    expect(diff.text).toContain("+++ b/src/add.js");

    const listed = await h
      .as("admin")
      .get("/api/tasks?status=completed&ticketKey=CALC-1")
      .expect(200);
    const list = TaskListResponseSchema.parse(listed.body);
    expect(list.tasks.map((t) => t.id)).toEqual([task.id]);
    // A summary: the title, not the ticket's text or the analysis.
    expect(list.tasks[0]?.title).toBe(task.ticketSnapshot?.summary);
    expect(
      TaskListResponseSchema.extend({ tasks: z.array(TaskSummarySchema.strict()) }).safeParse(
        listed.body,
      ).success,
    ).toBe(true);
    const stats = TaskStatsResponseSchema.parse(
      (await h.as("admin").get("/api/tasks/stats").expect(200)).body,
    );
    expect(stats).toMatchObject({ total: 1, successRate: 1 });
    const csv = await h.as("admin").get("/api/tasks/export.csv").expect(200);
    expect(csv.headers["content-disposition"]).toContain("attachment");
    expect(csv.text.split("\n")[0]).toBe(
      "id,kind,ticketKey,title,repo,status,outcome,createdBy,createdAt,startedAt,finishedAt," +
        "durationSeconds,pullRequest,inputTokens,cachedInputTokens,outputTokens,errorCode," +
        "pullRequestState,pullRequestOpenedAt,pullRequestMergedAt,ciRounds,reviewRounds,firstCiGreen",
    );
    // The pull request is not tracked here (no store for it): its state from the task only.
    expect(csv.text.split("\n")[1]?.split(",").slice(-6)).toEqual([
      task.pullRequest?.state ?? "",
      "",
      "",
      "",
      "",
      "",
    ]);
    expect(csv.text.split("\n")[1]).toContain(`${task.id},fix,CALC-1,`);
  });

  it("unknown tasks are 404 on every task route; malformed ids 400", async () => {
    const id = "00000000-0000-4000-8000-000000000000";
    for (const [method, url, body] of [
      ["get", `/api/tasks/${id}`, undefined],
      ["get", `/api/tasks/${id}/events`, undefined],
      ["get", `/api/tasks/${id}/diff`, undefined],
      ["post", `/api/tasks/${id}/messages`, { message: "x" }],
      ["post", `/api/tasks/${id}/cancel`, undefined],
      ["post", `/api/tasks/${id}/retry`, undefined],
    ] as const) {
      const req =
        method === "get"
          ? h.as("engineer").get(url)
          : h
              .as("engineer")
              .post(url)
              .send(body ?? {});
      expectError((await req.expect(404)).body, "not_found");
    }
    const bad = await h.as("engineer").get("/api/tasks/123").expect(400);
    expect(expectError(bad.body, "validation_error").message).toContain("params.id");
  });

  it("validates list filters and follow-up bodies", async () => {
    expect(
      expectError(
        (await h.as("admin").get("/api/tasks?status=done").expect(400)).body,
        "validation_error",
      ).message,
    ).toContain("query.status");
    expect(
      expectError(
        (await h.as("admin").get("/api/tasks?limit=1000").expect(400)).body,
        "validation_error",
      ).message,
    ).toContain("query.limit");
    expect(
      expectError(
        (await h.as("admin").get("/api/tasks?cursor=%%%").expect(400)).body,
        "validation_error",
      ).message,
    ).toBe("The cursor is invalid");
    expect(
      expectError(
        (await h.as("admin").get("/api/tasks?from=yesterday").expect(400)).body,
        "validation_error",
      ).message,
    ).toContain("query.from");
    const id = "00000000-0000-4000-8000-000000000000";
    expect(
      expectError(
        (
          await h
            .as("engineer")
            .post(`/api/tasks/${id}/messages`)
            .send({ message: "  " })
            .expect(400)
        ).body,
        "validation_error",
      ).message,
    ).toContain("body.message");
  });

  it("POST /api/codex/task runs a free-form prompt on a configured repository only", async () => {
    h.agent.script({ final: "The failures come from a flaky test." });
    const res = await h
      .as("engineer")
      .post("/api/codex/task")
      .send({ prompt: "Analyze the test failures", repo: "acme/calc" })
      .expect(202);
    const task = TaskResponseSchema.parse(res.body).task;
    expect(task).toMatchObject({ kind: "prompt", ticketKey: null, repo: "acme/calc" });
    await h.runner.idle();
    expect((await h.store.get(task.id))?.outcome).toBe("answered");
    const path = await h
      .as("engineer")
      .post("/api/codex/task")
      .send({ prompt: "x", repo: "/etc/passwd" })
      .expect(400);
    expect(expectError(path.body, "validation_error").message).toContain("body.repo");
    expectError(
      (
        await h
          .as("engineer")
          .post("/api/codex/task")
          .send({ prompt: "x", repo: "acme/other" })
          .expect(422)
      ).body,
      "repo_not_configured",
    );
  });

  it("GET /api/settings lists repositories without clone URLs", async () => {
    const res = await h.as("pm").get("/api/settings").expect(200);
    const body = SettingsResponseSchema.parse(res.body);
    expect(body.repos).toEqual([{ github: "acme/calc", jiraProject: "CALC", baseBranch: "main" }]);
    expect(JSON.stringify(res.body)).not.toContain("file://");
  });
});
