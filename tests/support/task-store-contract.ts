import { TaskEventSchema } from "../../shared/task-event.js";
import type { TaskEventInput } from "../../shared/task-event.js";
import { TaskSchema, TaskSummarySchema } from "../../shared/task.js";
import type { TaskListQuery } from "../../shared/task.js";
import type { NewTask, TaskStore } from "../../server/domain/ports/task-store.js";
import { describeTaskLeaseContract } from "./task-lease-contract.js";

/** A fix task for a ticket, with overrides. */
export function newFixTask(ticketKey: string, overrides: Partial<NewTask> = {}): NewTask {
  return {
    kind: "fix",
    ticketKey,
    repo: "acme/calc",
    baseBranch: "main",
    branch: null,
    prompt: null,
    instructions: null,
    createdBy: "pm@example.com",
    ticketSnapshot: null,
    ...overrides,
  };
}

/** A free-form prompt task (no ticket). */
export function newPromptTask(overrides: Partial<NewTask> = {}): NewTask {
  return newFixTask("X-1", { kind: "prompt", ticketKey: null, prompt: "Explain", ...overrides });
}

const LOG: TaskEventInput = { type: "task.log", payload: { level: "info", message: "hello" } };

/** A list query with the schema's defaults. */
export function listQuery(query: Partial<TaskListQuery> = {}): TaskListQuery {
  return { limit: 50, ...query };
}

/**
 * The behaviour every TaskStore must have, run against the SQLite store and the
 * in-memory fake so the fake cannot drift from the real thing. `factory` returns an
 * empty store; it is closed after each test.
 */
export function describeTaskStoreContract(name: string, factory: () => Promise<TaskStore>): void {
  describe(`TaskStore contract: ${name}`, () => {
    let store: TaskStore;
    beforeEach(async () => {
      store = await factory();
    });
    afterEach(async () => {
      vi.useRealTimers();
      await store.close();
    });

    describe("create and get", () => {
      it("creates a queued task with defaults that match the contract", async () => {
        const { task, created } = await store.create(newFixTask("CALC-1", { branch: "b" }));
        expect(created).toBe(true);
        expect(TaskSchema.parse(task)).toEqual(task);
        expect(task).toMatchObject({
          kind: "fix",
          ticketKey: "CALC-1",
          status: "queued",
          phase: "queued",
          outcome: null,
          branch: "b",
          usage: { inputTokens: 0, cachedInputTokens: 0, outputTokens: 0 },
          startedAt: null,
        });
        expect(task.id).toMatch(/^[0-9a-f-]{36}$/);
        expect(new Date(task.createdAt).toISOString()).toBe(task.createdAt);
        expect(await store.get(task.id)).toEqual(task);
      });

      it("returns null for an unknown id", async () => {
        expect(await store.get("00000000-0000-4000-8000-000000000000")).toBeNull();
      });

      it("returns the active task instead of a duplicate, and allows a new one after it ends", async () => {
        const first = await store.create(newFixTask("CALC-2"));
        const again = await store.create(newFixTask("CALC-2"));
        expect(again).toEqual({ task: first.task, created: false });
        await store.update(first.task.id, { status: "running" });
        expect((await store.create(newFixTask("CALC-2"))).created).toBe(false);
        await store.update(first.task.id, { status: "failed", phase: "done" });
        const next = await store.create(newFixTask("CALC-2"));
        expect(next.created).toBe(true);
        expect(next.task.id).not.toBe(first.task.id);
      });

      it("never deduplicates prompt tasks, which have no ticket", async () => {
        const a = await store.create(newPromptTask());
        const b = await store.create(newPromptTask());
        expect([a.created, b.created]).toEqual([true, true]);
      });

      it("yields exactly one task from 100 concurrent creates for one ticket", async () => {
        const results = await Promise.all(
          Array.from({ length: 100 }, () => store.create(newFixTask("CALC-3"))),
        );
        expect(results.filter((r) => r.created)).toHaveLength(1);
        expect(results.filter((r) => !r.created)).toHaveLength(99);
        expect(new Set(results.map((r) => r.task.id)).size).toBe(1);
        expect((await store.list(listQuery({ ticketKey: "CALC-3" }))).tasks).toHaveLength(1);
      });
    });

    describe("update and transition", () => {
      it("applies a patch, normalizes times to UTC and validates on the way out", async () => {
        const { task } = await store.create(newFixTask("CALC-4"));
        const updated = await store.update(task.id, {
          status: "completed",
          phase: "done",
          outcome: "pr_opened",
          pullRequest: { url: "https://github.com/acme/calc/pull/7", number: 7, draft: false },
          analysis: {
            fixable: true,
            rootCause: "Off by one",
            plan: ["Fix it"],
            files: ["src/a.ts"],
            confidence: "high",
            notFixableReason: null,
          },
          testsPassed: false,
          error: null,
          threadId: "t-1",
          startedAt: "2024-05-01T12:00:00+02:00",
          finishedAt: "2024-05-01T10:05:00Z",
        });
        expect(updated).toMatchObject({
          status: "completed",
          outcome: "pr_opened",
          testsPassed: false,
          threadId: "t-1",
          startedAt: "2024-05-01T10:00:00.000Z",
          finishedAt: "2024-05-01T10:05:00.000Z",
        });
        expect(updated.pullRequest?.number).toBe(7);
        expect(await store.get(task.id)).toEqual(updated);
      });

      it("rejects an unknown id with not_found and an invalid patch before writing", async () => {
        const missing = "00000000-0000-4000-8000-000000000000";
        await expect(store.update(missing, { summary: "x" })).rejects.toMatchObject({
          code: "not_found",
        });
        const { task } = await store.create(newFixTask("CALC-5"));
        await expect(store.update(task.id, { status: "exploded" as never })).rejects.toMatchObject({
          code: "internal",
        });
        expect((await store.get(task.id))?.status).toBe("queued");
      });

      it("refuses to make a second task of a ticket active", async () => {
        const old = await store.create(newFixTask("CALC-6"));
        await store.update(old.task.id, { status: "failed" });
        await store.create(newFixTask("CALC-6"));
        await expect(store.update(old.task.id, { status: "queued" })).rejects.toMatchObject({
          code: "conflict",
        });
      });

      it("transitions only from the given statuses, and only once under a race", async () => {
        const { task } = await store.create(newFixTask("CALC-7"));
        expect(await store.transition(task.id, ["running"], { status: "failed" })).toBeNull();
        const results = await Promise.all(
          Array.from({ length: 20 }, (_, i) =>
            store.transition(task.id, ["queued"], { status: "running", summary: `w${i}` }),
          ),
        );
        const winners = results.filter((t) => t !== null);
        expect(winners).toHaveLength(1);
        expect(await store.get(task.id)).toEqual(winners[0]);
        expect(await store.transition(task.id, [], { status: "failed" })).toBeNull();
        expect(await store.transition("nope", ["queued"], { status: "running" })).toBeNull();
      });

      it("adds usage atomically and rejects an unknown id", async () => {
        const { task } = await store.create(newFixTask("CALC-8"));
        await Promise.all(
          Array.from({ length: 25 }, () =>
            store.addUsage(task.id, { inputTokens: 10, cachedInputTokens: 2, outputTokens: 3 }),
          ),
        );
        expect((await store.get(task.id))?.usage).toEqual({
          inputTokens: 250,
          cachedInputTokens: 50,
          outputTokens: 75,
        });
        await expect(
          store.addUsage("nope", { inputTokens: 1, cachedInputTokens: 0, outputTokens: 0 }),
        ).rejects.toMatchObject({ code: "not_found" });
      });
    });

    describe("queries", () => {
      it("lists newest first with every filter", async () => {
        vi.useFakeTimers({ toFake: ["Date"] });
        const at = (iso: string) => vi.setSystemTime(new Date(iso));
        at("2024-01-01T10:00:00Z");
        const a = (await store.create(newFixTask("CALC-10", { repo: "acme/a" }))).task;
        at("2024-01-02T10:00:00Z");
        const b = (await store.create(newFixTask("CALC-11", { createdBy: "eng@x.com" }))).task;
        at("2024-01-03T10:00:00Z");
        const c = (await store.create(newPromptTask({ repo: "acme/a" }))).task;
        await store.update(b.id, { status: "completed", outcome: "no_changes" });
        await store.update(c.id, { status: "completed", outcome: "answered" });

        const ids = async (q: Partial<TaskListQuery>) =>
          (await store.list(listQuery(q))).tasks.map((t) => t.id);
        expect(await ids({})).toEqual([c.id, b.id, a.id]);
        expect(await ids({ status: "completed" })).toEqual([c.id, b.id]);
        expect(await ids({ outcome: "no_changes" })).toEqual([b.id]);
        expect(await ids({ ticketKey: "CALC-10" })).toEqual([a.id]);
        expect(await ids({ repo: "acme/a" })).toEqual([c.id, a.id]);
        expect(await ids({ createdBy: "eng@x.com" })).toEqual([b.id]);
        expect(await ids({ from: "2024-01-02T00:00:00Z" })).toEqual([c.id, b.id]);
        expect(await ids({ to: "2024-01-02T10:00:00Z" })).toEqual([a.id]);
        // Offsets are compared as instants, not as text.
        expect(
          await ids({ from: "2024-01-02T11:00:00+01:00", to: "2024-01-03T00:00:00Z" }),
        ).toEqual([b.id]);
        expect(await ids({ repo: "acme/a", status: "queued" })).toEqual([a.id]);
        expect(await ids({ repo: "none" })).toEqual([]);
      });

      it("lists summaries with a title and without the long texts", async () => {
        const snapshot = {
          key: "CALC-20",
          url: "https://jira.example/browse/CALC-20",
          summary: "Totals  are\noff by one cent",
          description: "x".repeat(5000),
          status: "To Do",
          priority: null,
          reporter: null,
          labels: [],
          comments: [],
        };
        await store.create(newFixTask("CALC-20", { ticketSnapshot: snapshot }));
        await store.create(newPromptTask({ prompt: "\n\n  Why is the build slow?\nDetails…" }));
        const { tasks } = await store.list(listQuery({}));
        expect(tasks.map((t) => t.title)).toEqual([
          "Why is the build slow?",
          "Totals are off by one cent",
        ]);
        for (const task of tasks) {
          expect(TaskSummarySchema.strict().parse(task)).toEqual(task);
        }
      });

      it("reflects every write in the next list at once", async () => {
        const task = (await store.create(newFixTask("CALC-30"))).task;
        const first = async () => (await store.list(listQuery({})).then((p) => p.tasks))[0];
        expect(await first()).toMatchObject({ id: task.id, status: "queued" });
        await store.transition(task.id, ["queued"], { status: "running", phase: "fixing" });
        expect(await first()).toMatchObject({ status: "running", phase: "fixing" });
        await store.addUsage(task.id, { inputTokens: 7, cachedInputTokens: 1, outputTokens: 2 });
        expect((await first())?.usage).toEqual({
          inputTokens: 7,
          cachedInputTokens: 1,
          outputTokens: 2,
        });
        await store.update(task.id, {
          status: "failed",
          error: { code: "internal", message: "x" },
        });
        expect(await first()).toMatchObject({ status: "failed", error: { code: "internal" } });
        const other = (await store.create(newPromptTask())).task;
        expect((await first())?.id).toBe(other.id);
        expect((await store.list(listQuery({ status: "failed" }))).tasks.map((t) => t.id)).toEqual([
          task.id,
        ]);
      });

      it("pages with a cursor across pages, with and without filters", async () => {
        const created = [];
        for (let i = 1; i <= 7; i++) {
          created.push((await store.create(newFixTask(`PAGE-${i}`, { repo: `r/${i % 2}` }))).task);
        }
        const walk = async (q: Partial<TaskListQuery>) => {
          const seen: string[] = [];
          let cursor: string | undefined;
          let pages = 0;
          do {
            const page = await store.list(listQuery({ ...q, limit: 2, cursor }));
            seen.push(...page.tasks.map((t) => t.id));
            cursor = page.nextCursor ?? undefined;
            pages++;
          } while (cursor !== undefined);
          return { seen, pages };
        };
        const newestFirst = created.map((t) => t.id).reverse();
        expect(await walk({})).toEqual({ seen: newestFirst, pages: 4 });
        const odd = created
          .filter((t) => t.repo === "r/1")
          .map((t) => t.id)
          .reverse();
        expect(await walk({ repo: "r/1" })).toEqual({ seen: odd, pages: 2 });
        const exact = await store.list(listQuery({ limit: 7 }));
        expect(exact.nextCursor).toBeNull();
        await expect(store.list(listQuery({ cursor: "not-a-cursor" }))).rejects.toMatchObject({
          code: "validation_error",
        });
      });

      it("finds the active task of each ticket", async () => {
        const active = (await store.create(newFixTask("ACT-1"))).task;
        const done = (await store.create(newFixTask("ACT-2"))).task;
        await store.update(done.id, { status: "completed" });
        const running = (await store.create(newFixTask("ACT-3"))).task;
        await store.update(running.id, { status: "running" });
        const found = await store.findActive(["ACT-1", "ACT-2", "ACT-3", "ACT-4", "ACT-1"]);
        expect([...found.keys()].sort()).toEqual(["ACT-1", "ACT-3"]);
        expect(found.get("ACT-1")?.id).toBe(active.id);
        expect((await store.findActive([])).size).toBe(0);
      });

      it("lists by status oldest first", async () => {
        const a = (await store.create(newFixTask("Q-1"))).task;
        const b = (await store.create(newFixTask("Q-2"))).task;
        const c = (await store.create(newFixTask("Q-3"))).task;
        await store.update(b.id, { status: "running" });
        await store.update(c.id, { status: "cancelled" });
        const ids = (await store.listByStatus(["queued", "running"])).map((t) => t.id);
        expect(ids).toEqual([a.id, b.id]);
        expect(await store.listByStatus([])).toEqual([]);
      });
    });

    describe("events", () => {
      it("appends with per-task sequence numbers, concurrently, and lists after a seq", async () => {
        const one = (await store.create(newFixTask("EV-1"))).task;
        const two = (await store.create(newFixTask("EV-2"))).task;
        const appended = await Promise.all(
          Array.from({ length: 30 }, (_, i) =>
            store.appendEvent(i % 3 === 0 ? two.id : one.id, {
              type: "task.log",
              payload: { level: "info", message: `m${i}` },
            }),
          ),
        );
        for (const event of appended) expect(TaskEventSchema.parse(event)).toEqual(event);
        const ofOne = await store.listEvents(one.id);
        expect(ofOne.map((e) => e.seq)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
        expect((await store.listEvents(two.id)).map((e) => e.seq)).toEqual(
          Array.from({ length: 10 }, (_, i) => i + 1),
        );
        expect((await store.listEvents(one.id, 17)).map((e) => e.seq)).toEqual([18, 19, 20]);
        expect(await store.listEvents(one.id, 20)).toEqual([]);
        // A page: at most `limit` events after the seq, in order.
        expect((await store.listEvents(one.id, 5, 3)).map((e) => e.seq)).toEqual([6, 7, 8]);
        expect((await store.listEvents(one.id, 18, 5)).map((e) => e.seq)).toEqual([19, 20]);
        expect(ofOne[0]).toMatchObject({ taskId: one.id, type: "task.log" });
      });

      it("stores every event kind round-trip and rejects invalid or orphan events", async () => {
        const { task } = await store.create(newFixTask("EV-3"));
        const inputs: TaskEventInput[] = [
          LOG,
          {
            type: "task.status",
            payload: { status: "running", phase: "analyzing", outcome: null, error: null },
          },
          { type: "task.turn", payload: { kind: "fix", prompt: "Fix it", requestedBy: null } },
          { type: "agent", payload: { type: "thread.started", threadId: "th" } },
        ];
        for (const input of inputs) await store.appendEvent(task.id, input);
        const events = await store.listEvents(task.id);
        expect(events.map(({ type, payload }) => ({ type, payload }))).toEqual(inputs);
        await expect(
          store.appendEvent(task.id, { type: "task.log", payload: { level: "loud" } } as never),
        ).rejects.toMatchObject({ code: "internal" });
        await expect(store.appendEvent("nope", LOG)).rejects.toMatchObject({ code: "not_found" });
        const next = await store.appendEvent(task.id, LOG);
        expect(next.seq).toBe(inputs.length + 1);
      });
    });

    describe("requests", () => {
      it("keeps each task's requests oldest first, with how the run before ended", async () => {
        const { task } = await store.create(newFixTask("REQ-1"));
        const other = (await store.create(newFixTask("REQ-2"))).task;
        const create = {
          action: "create",
          message: "Fix it",
          by: "pm@example.com",
          previous: null,
        };
        const retry = {
          action: "retry",
          message: null,
          by: "system",
          previous: { phase: "fixing", error: { code: "interrupted", message: "stopped" } },
        } as const;
        const stored = await store.addRequest(task.id, { ...create, action: "create" });
        expect(stored).toEqual({ ...create, at: expect.stringMatching(/Z$/) as string });
        await store.addRequest(other.id, { ...create, action: "create", by: "other@example.com" });
        await store.addRequest(task.id, retry);
        await store.addRequest(task.id, { ...retry, action: "cancel", previous: null });
        const requests = await store.listRequests(task.id);
        expect(requests.map(({ at: _at, ...rest }) => rest)).toEqual([
          create,
          retry,
          { ...retry, action: "cancel", previous: null },
        ]);
        expect(requests.map((r) => r.at)).toEqual([...requests.map((r) => r.at)].sort());
        expect((await store.listRequests(other.id)).map((r) => r.by)).toEqual([
          "other@example.com",
        ]);
        expect(await store.listRequests("nope")).toEqual([]);
        await expect(
          store.addRequest("nope", { ...create, action: "create" }),
        ).rejects.toMatchObject({ code: "not_found" });
      });
    });

    describeTaskLeaseContract(() => store);
  });
}
