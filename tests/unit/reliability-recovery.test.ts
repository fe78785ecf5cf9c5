import { pino } from "pino";
import { WorkspaceJanitor } from "../../server/domain/janitor/workspace-janitor.js";
import { ServiceCheck } from "../../server/domain/service-check/service-check.js";
import { AppError } from "../../server/domain/app-error.js";
import { describeBaseUpdate } from "../../server/domain/tasks/base-update.js";
import {
  MAX_AUTOMATIC_RESUMES,
  recoverInterruptedTask,
  RESUME_MESSAGE,
} from "../../server/domain/tasks/recover-task.js";
import { CALC_REPO, calcFixTask, domainHarness } from "../support/fakes/domain-harness.js";

const logger = pino({ level: "silent" });

const fixTask = (key: string) => calcFixTask(key);

/** A task left `running` by a dead process, in the given phase, with or without thread/worktree. */
async function leftRunning(
  h: ReturnType<typeof domainHarness>,
  key: string,
  options: { threadId: string | null; worktree: boolean },
) {
  const { task } = await h.store.create(fixTask(key));
  await h.store.transition(task.id, ["queued"], {
    status: "running",
    phase: "fixing",
    threadId: options.threadId,
  });
  if (options.worktree) await h.workspaces.prepare(CALC_REPO, task.id, task.branch ?? "");
  return task;
}

describe("recovery of tasks left running by a crash", () => {
  it("re-queues a task with a thread and a worktree as an automatic retry", async () => {
    const h = domainHarness();
    const task = await leftRunning(h, "CALC-1", { threadId: "thread-1", worktree: true });
    expect(await recoverInterruptedTask(h.deps, (await h.store.get(task.id))!)).toBe("resumed");
    expect(await h.store.get(task.id)).toMatchObject({ status: "queued", threadId: "thread-1" });
    const events = await h.store.listEvents(task.id);
    expect(events.slice(-3).map((e) => e.type)).toEqual([
      "task.status",
      "task.request",
      "task.status",
    ]);
    expect(events.at(-3)).toMatchObject({
      payload: { status: "failed", phase: "fixing", error: { code: "interrupted" } },
    });
    expect(events.at(-2)).toMatchObject({
      payload: { action: "retry", by: "system", message: RESUME_MESSAGE },
    });
    // What the resumed run reads: the request, stored with the phase it stopped in.
    expect((await h.store.listRequests(task.id)).at(-1)).toMatchObject({
      action: "retry",
      by: "system",
      message: RESUME_MESSAGE,
      previous: { phase: "fixing", error: { code: "interrupted" } },
    });
  });

  it.each([
    ["no thread yet", { threadId: null, worktree: true }, /had not started a thread/],
    ["its worktree is gone", { threadId: "thread-2", worktree: false }, /worktree is gone/],
  ] as const)("fails it as interrupted when %s", async (_name, options, reason) => {
    const h = domainHarness();
    const task = await leftRunning(h, "CALC-2", options);
    expect(await recoverInterruptedTask(h.deps, (await h.store.get(task.id))!)).toBe("failed");
    const failed = await h.store.get(task.id);
    expect(failed).toMatchObject({ status: "failed", error: { code: "interrupted" } });
    expect(failed?.error?.message).toMatch(reason);
    expect(failed?.error?.message).toMatch(/retry it/);
  });

  it("ends it cancelled when a cancel was asked for before the crash", async () => {
    const h = domainHarness();
    const task = await leftRunning(h, "CALC-3", { threadId: "thread-3", worktree: true });
    await h.store.addRequest(task.id, {
      action: "cancel",
      message: null,
      by: "pm@acme.test",
      previous: null,
    });
    expect(await recoverInterruptedTask(h.deps, (await h.store.get(task.id))!)).toBe("cancelled");
    expect(await h.store.get(task.id)).toMatchObject({ status: "cancelled" });
  });

  it(`stops resuming a task after ${MAX_AUTOMATIC_RESUMES} resumes in a row`, async () => {
    const h = domainHarness();
    const task = await leftRunning(h, "CALC-4", { threadId: "thread-4", worktree: true });
    for (let i = 0; i < MAX_AUTOMATIC_RESUMES; i += 1) {
      expect(await recoverInterruptedTask(h.deps, (await h.store.get(task.id))!)).toBe("resumed");
      await h.store.transition(task.id, ["queued"], { status: "running", phase: "fixing" });
    }
    expect(await recoverInterruptedTask(h.deps, (await h.store.get(task.id))!)).toBe("failed");
    expect((await h.store.get(task.id))?.error?.message).toMatch(/already resumed/);
  });
});

describe("workspace janitor", () => {
  it("removes only worktrees of tasks finished longer ago than the retention", async () => {
    const h = domainHarness();
    const now = new Date("2030-01-10T12:00:00Z");
    const make = async (
      key: string,
      status: "completed" | "running",
      finishedAt: string | null,
    ) => {
      const { task } = await h.store.create(fixTask(key));
      await h.workspaces.prepare(CALC_REPO, task.id, task.branch ?? "");
      h.workspaces.write(`/fake/worktrees/${task.id}`, "src/a.js", key);
      await h.store.transition(task.id, ["queued"], { status, finishedAt });
      return task.id;
    };
    const old = await make("CALC-1", "completed", "2030-01-01T00:00:00Z");
    const recent = await make("CALC-2", "completed", "2030-01-10T11:00:00Z");
    const running = await make("CALC-3", "running", null);
    const saved = new Map<string, string>();
    const janitor = new WorkspaceJanitor({
      store: h.store,
      workspaces: h.workspaces,
      archive: {
        save: (id, diff) => Promise.resolve(void saved.set(id, diff)),
        load: (id) => Promise.resolve(saved.get(id) ?? null),
      },
      retentionMs: 24 * 3_600_000,
      intervalMs: 60_000,
      logger,
      now: () => now,
    });
    expect(await janitor.sweep()).toEqual([old]);
    expect(await h.workspaces.find(old)).toBeNull();
    expect(saved.get(old)).toContain("CALC-1");
    expect(await h.workspaces.find(recent)).not.toBeNull();
    expect(await h.workspaces.find(running)).not.toBeNull();
    expect(await janitor.sweep()).toEqual([]);
  });

  it("reads only the tasks that have a worktree, sweeps a re-made one again, skips checkouts", async () => {
    const h = domainHarness();
    const now = new Date("2030-01-10T12:00:00Z");
    const finishedLongAgo = async (key: string, worktree: boolean) => {
      const { task } = await h.store.create(fixTask(key));
      if (worktree) await h.workspaces.prepare(CALC_REPO, task.id, task.branch ?? "");
      await h.store.transition(task.id, ["queued"], {
        status: "completed",
        finishedAt: "2030-01-01T00:00:00Z",
      });
      return task.id;
    };
    for (let i = 0; i < 300; i += 1) await finishedLongAgo(`OLD-${i}`, false);
    const kept = await finishedLongAgo("CALC-1", true);
    // A nightly review's checkout has no task; the review removes it itself.
    await h.workspaces.prepare(CALC_REPO, "review-1", "patchboard/review/review-1");
    const reads: string[] = [];
    const store = new Proxy(h.store, {
      get(target, prop, receiver) {
        if (prop === "listByStatus") throw new Error("the sweep read the whole history");
        if (prop === "get") {
          return (id: string) => {
            reads.push(id);
            return target.get(id);
          };
        }
        const value: unknown = Reflect.get(target, prop, receiver);
        return typeof value === "function" ? (value as () => unknown).bind(target) : value;
      },
    });
    const janitor = new WorkspaceJanitor({
      store,
      workspaces: h.workspaces,
      archive: { save: () => Promise.resolve(), load: () => Promise.resolve(null) },
      retentionMs: 24 * 3_600_000,
      intervalMs: 60_000,
      logger,
      now: () => now,
    });
    expect(await janitor.sweep()).toEqual([kept]);
    expect(new Set(reads)).toEqual(new Set([kept, "review-1"]));
    expect(await h.workspaces.find("review-1")).not.toBeNull();
    // A follow-up after the sweep makes the worktree again; once finished, it goes again.
    await h.workspaces.prepare(CALC_REPO, kept, "codex/calc-1");
    expect(await janitor.sweep()).toEqual([kept]);
  });
});

describe("service check", () => {
  it("reports each failing service with its code and message and never throws", async () => {
    const check = new ServiceCheck({
      probes: [
        { name: "codex", check: () => Promise.resolve() },
        {
          name: "jira",
          check: () => Promise.reject(new AppError("jira_auth", "check JIRA_API_TOKEN")),
        },
        { name: "github", check: () => new Promise<void>(() => undefined) },
      ],
      logger,
      timeoutMs: 50,
    });
    expect(check.list().map((s) => s.state)).toEqual(["pending", "pending", "pending"]);
    const results = await check.run();
    expect(results.map((s) => [s.name, s.state, s.code])).toEqual([
      ["codex", "ok", null],
      ["jira", "failed", "jira_auth"],
      ["github", "failed", "github_unavailable"],
    ]);
    expect(results[1]?.message).toBe("check JIRA_API_TOKEN");
  });
});

describe("stale thread prompt", () => {
  it("lists the new commits, the files and the conflicts", () => {
    const text = describeBaseUpdate(
      {
        previousBase: "a".repeat(40),
        base: "b".repeat(40),
        commits: [{ sha: "c".repeat(40), subject: "sum: coerce" }],
        commitCount: 3,
        files: ["src/sum.js"],
        conflicts: ["src/sum.js"],
      },
      "main",
    );
    expect(text).toContain("3 new commit(s) landed on main");
    expect(text).toContain("cccccccccc sum: coerce");
    expect(text).toContain("… and 2 older commit(s)");
    expect(text).toContain("Files they changed: src/sum.js");
    expect(text).toContain("conflicts in: src/sum.js");
  });
});
