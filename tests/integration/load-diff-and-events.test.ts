import type { AddressInfo } from "node:net";
import type { Server } from "node:http";
import { ErrorBodySchema } from "../../shared/errors.js";
import { TaskEventListResponseSchema, type TaskEvent } from "../../shared/task-event.js";
import { TaskResponseSchema } from "../../shared/task.js";
import { appHarness, TOKENS } from "../support/app-harness.js";
import { analysisJson } from "../support/fakes/domain-harness.js";

// What a page left open, or refreshed in a loop, may cost the server: the diff is computed
// once per task state and its computations are budgeted per person; live event streams
// are capped per person; event lists come in bounded pages.
type Harness = Awaited<ReturnType<typeof appHarness>>;
let h: Harness;
let server: Server | null = null;

beforeEach(async () => {
  h = await appHarness({
    security: {
      taskRateLimitPerMinute: 10,
      trustProxy: ["loopback"],
      diffRateLimitPerMinute: 2,
      eventStreamsPerPerson: 2,
    },
  });
  for (const key of ["CALC-1", "CALC-2", "CALC-3"]) h.tracker.add({ key });
});
afterEach(async () => {
  await new Promise<void>((resolve) => {
    if (server === null) resolve();
    else server.close(() => resolve());
    server?.closeAllConnections();
  });
  server = null;
  await h.close();
});

function code(body: unknown): string {
  return ErrorBodySchema.parse(body).error.code;
}

/** Starts a task as `role` and returns its id (the run goes on in the background). */
async function start(ticketKey: string, role: keyof typeof TOKENS = "pm"): Promise<string> {
  const created = await h.as(role).post("/api/tasks").send({ ticketKey }).expect(202);
  return TaskResponseSchema.parse(created.body).task.id;
}

/** A finished task whose run wrote `src/add.js` and opened a pull request. */
async function finishedFix(ticketKey: string): Promise<string> {
  h.agent.script(
    { final: analysisJson() },
    { writes: { "src/add.js": "fixed" }, final: "Fixed add()." },
  );
  const id = await start(ticketKey);
  await h.runner.idle();
  expect((await h.store.get(id))?.status).toBe("completed");
  return id;
}

describe("GET /api/tasks/:id/diff", () => {
  it("computes a finished task's diff once, and again after a follow-up ran", async () => {
    const id = await finishedFix("CALC-1");
    const computed = vi.spyOn(h.workspaces, "diff");
    const answers = await Promise.all(
      Array.from({ length: 5 }, () => h.as("pm").get(`/api/tasks/${id}/diff`)),
    );
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200, 200, 200]);
    expect(new Set(answers.map((a) => a.text))).toEqual(
      new Set(["--- a/src/add.js\n+++ b/src/add.js\n+fixed\n"]),
    );
    expect(computed).toHaveBeenCalledTimes(1);

    h.agent.script({ writes: { "src/sub.js": "also fixed" }, final: "Fixed sub() too." });
    await h
      .as("engineer")
      .post(`/api/tasks/${id}/messages`)
      .send({ message: "sub too" })
      .expect(202);
    await h.runner.idle();
    computed.mockClear(); // the run itself read the worktree's diff too
    const after = await h.as("pm").get(`/api/tasks/${id}/diff`).expect(200);
    expect(after.text).toContain("+++ b/src/sub.js");
    expect(computed).toHaveBeenCalledTimes(1);
  });

  it("budgets computations per person: 429 with Retry-After past it, cached answers free", async () => {
    // Three finished (failed: no scripted turn) tasks, each with a diff to compute.
    const ids = [await start("CALC-1"), await start("CALC-2"), await start("CALC-3")];
    await h.runner.idle();
    const pm = h.as("pm");
    await pm.get(`/api/tasks/${ids[0]}/diff`).expect(200);
    await pm.get(`/api/tasks/${ids[1]}/diff`).expect(200);
    const limited = await pm.get(`/api/tasks/${ids[2]}/diff`).expect(429);
    expect(code(limited.body)).toBe("rate_limited");
    expect(Number(limited.headers["retry-after"])).toBeGreaterThanOrEqual(59);
    expect(Number(limited.headers["retry-after"])).toBeLessThanOrEqual(60);
    // What is cached costs nothing; another person has a budget of their own.
    await pm.get(`/api/tasks/${ids[0]}/diff`).expect(200);
    await h.as("engineer").get(`/api/tasks/${ids[2]}/diff`).expect(200);
    // The engineer's answer is now cached for everyone.
    await pm.get(`/api/tasks/${ids[2]}/diff`).expect(200);
  });

  it("answers 404 for an unknown task and 400 for a malformed id, spending nothing", async () => {
    const pm = h.as("pm");
    for (let i = 0; i < 3; i += 1) {
      const res = await pm.get("/api/tasks/00000000-0000-4000-8000-000000000000/diff");
      expect([res.status, code(res.body)]).toEqual([404, "not_found"]);
    }
    const bad = await pm.get("/api/tasks/..%2Fetc/diff");
    expect(bad.status).toBe(400);
    const id = await start("CALC-1");
    await h.runner.idle();
    await pm.get(`/api/tasks/${id}/diff`).expect(200);
  });
});

describe("GET /api/tasks/:id/events", () => {
  /** The app on a real port, for streams that stay open. */
  async function listen(): Promise<string> {
    server = h.app.listen(0, "127.0.0.1");
    await new Promise<void>((resolve) => server?.once("listening", () => resolve()));
    return `http://127.0.0.1:${(server?.address() as AddressInfo).port}`;
  }

  /** Opens a live stream as `role`; resolves once its first bytes arrived. */
  async function openStream(base: string, id: string, role: keyof typeof TOKENS) {
    const abort = new AbortController();
    const res = await fetch(`${base}/api/tasks/${id}/events`, {
      headers: { Authorization: `Bearer ${TOKENS[role]}`, Accept: "text/event-stream" },
      signal: abort.signal,
    });
    if (res.status === 200) {
      const reader = res.body?.getReader();
      await reader?.read();
    }
    return { status: res.status, res, close: () => abort.abort() };
  }

  it("caps one person's live streams with a clear 429, and frees a slot when one closes", async () => {
    h.agent.script({ hang: true, final: "" });
    const id = await start("CALC-1");
    const base = await listen();
    const first = await openStream(base, id, "pm");
    const second = await openStream(base, id, "pm");
    expect([first.status, second.status]).toEqual([200, 200]);

    const third = await openStream(base, id, "pm");
    expect(third.status).toBe(429);
    const body = ErrorBodySchema.parse(await third.res.json());
    expect(body.error.code).toBe("rate_limited");
    expect(body.error.message).toContain("too many live task pages open");
    // Per person: the engineer is not affected; JSON lists are not streams.
    const other = await openStream(base, id, "engineer");
    expect(other.status).toBe(200);
    const json = await fetch(`${base}/api/tasks/${id}/events`, {
      headers: { Authorization: `Bearer ${TOKENS.pm}`, Accept: "application/json" },
    });
    expect(json.status).toBe(200);

    first.close();
    // The server frees the slot when it sees the connection close: wait for that answer.
    let again = await openStream(base, id, "pm");
    for (let i = 0; again.status === 429 && i < 100; i += 1) {
      await new Promise((resolve) => setImmediate(resolve));
      again = await openStream(base, id, "pm");
    }
    expect(again.status).toBe(200);
    for (const open of [second, other, again]) open.close();
  });

  it("pages the JSON list with after and limit, and refuses a limit out of bounds", async () => {
    const id = await finishedFix("CALC-1");
    const pm = h.as("pm");
    const all = TaskEventListResponseSchema.parse(
      (await pm.get(`/api/tasks/${id}/events`).set("Accept", "application/json").expect(200)).body,
    );
    expect(all.nextAfter).toBeNull();
    expect(all.events.length).toBeGreaterThan(5);

    const paged: TaskEvent[] = [];
    let after: number | null = 0;
    let pages = 0;
    while (after !== null) {
      const page = TaskEventListResponseSchema.parse(
        (
          await pm
            .get(`/api/tasks/${id}/events?after=${after}&limit=2`)
            .set("Accept", "application/json")
            .expect(200)
        ).body,
      );
      expect(page.events.length).toBeLessThanOrEqual(2);
      paged.push(...page.events);
      after = page.nextAfter;
      pages += 1;
    }
    expect(paged).toEqual(all.events);
    // One more event is read to know whether a page follows: no empty last page.
    expect(pages).toBe(Math.ceil(all.events.length / 2));

    for (const limit of ["0", "1001", "-1", "two"]) {
      const res = await pm
        .get(`/api/tasks/${id}/events?limit=${limit}`)
        .set("Accept", "application/json");
      expect([res.status, code(res.body)]).toEqual([400, "validation_error"]);
    }
  });
});
