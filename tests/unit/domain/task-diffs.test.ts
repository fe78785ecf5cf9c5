import { createMemoryRateLimiter } from "../../../server/adapters/limits/memory-request-limits.js";
import { isAppError } from "../../../server/domain/app-error.js";
import { createTaskDiffs } from "../../../server/domain/tasks/task-diffs.js";
import type { Workspace, Workspaces } from "../../../server/domain/ports/workspaces.js";
import type { User } from "../../../shared/user.js";
import { createInMemoryTaskStore } from "../../support/in-memory-task-store.js";
import { newFixTask } from "../../support/task-store-contract.js";

const pat: User = { email: "pat@acme.test", name: "Pat", role: "pm" };

/** Workspaces whose diff is whatever `text` says, counting and optionally holding computations. */
function countingWorkspaces() {
  const state = { text: "diff 1", computed: 0, hold: null as Promise<void> | null };
  const workspace: Workspace = { path: "/w", branch: "codex/x", baseSha: "b" };
  const workspaces = {
    find: () => Promise.resolve(workspace),
    async diff() {
      state.computed += 1;
      const text = state.text;
      await state.hold;
      return text;
    },
  } as unknown as Workspaces;
  return { state, workspaces };
}

async function setup(perWindow = 100, maxCachedChars?: number) {
  const store = createInMemoryTaskStore();
  const { state, workspaces } = countingWorkspaces();
  const limiter = createMemoryRateLimiter({ perWindow });
  const diffs = createTaskDiffs({ store, workspaces, limiter, maxCachedChars });
  const { task } = await store.create(newFixTask("CALC-1"));
  return { store, state, diffs, task };
}

describe("task diffs", () => {
  it("caches a finished task's diff until its state changes", async () => {
    const { store, state, diffs, task } = await setup();
    await store.update(task.id, { status: "completed", finishedAt: "2026-12-01T10:00:00.000Z" });
    expect(await diffs.read(pat, task.id)).toBe("diff 1");
    state.text = "diff 2";
    expect(await diffs.read(pat, task.id)).toBe("diff 1");
    expect(state.computed).toBe(1);
    // A follow-up ran and finished again: a new state, a new diff.
    await store.update(task.id, { finishedAt: "2026-12-01T11:00:00.000Z" });
    expect(await diffs.read(pat, task.id)).toBe("diff 2");
    expect(state.computed).toBe(2);
  });

  it("computes a running task's diff every time, sharing one computation between concurrent reads", async () => {
    const { store, state, diffs, task } = await setup();
    await store.update(task.id, { status: "running" });
    let open: () => void = () => undefined;
    state.hold = new Promise((resolve) => (open = resolve));
    const reads = Promise.all([1, 2, 3].map(() => diffs.read(pat, task.id)));
    open();
    expect(await reads).toEqual(["diff 1", "diff 1", "diff 1"]);
    expect(state.computed).toBe(1);
    state.hold = null;
    state.text = "diff 2";
    expect(await diffs.read(pat, task.id)).toBe("diff 2");
    expect(state.computed).toBe(2);
  });

  it("refuses a computation past the person's budget with rate_limited and the wait", async () => {
    const { store, diffs, task } = await setup(1);
    await store.update(task.id, { status: "running" });
    await diffs.read(pat, task.id);
    const error: unknown = await diffs.read({ ...pat, email: "PAT@acme.test" }, task.id).then(
      () => null,
      (e: unknown) => e,
    );
    expect(isAppError(error) ? [error.code, error.status, error.details] : error).toEqual([
      "rate_limited",
      429,
      { retryAfterSeconds: 60 },
    ]);
  });

  it("keeps no more than its size, dropping the least recently read", async () => {
    const { store, state, diffs, task } = await setup(100, 13);
    const { task: other } = await store.create(newFixTask("CALC-2"));
    for (const t of [task, other]) {
      await store.update(t.id, { status: "failed", finishedAt: "2026-12-01T10:00:00.000Z" });
    }
    await diffs.read(pat, task.id); // 6 characters
    await diffs.read(pat, other.id); // 12 of 13
    await diffs.read(pat, task.id); // a hit: now the most recent
    state.text = "diff 1+";
    const { task: third } = await store.create(newFixTask("CALC-3"));
    await store.update(third.id, { status: "failed", finishedAt: "2026-12-01T10:00:00.000Z" });
    await diffs.read(pat, third.id); // 19: `other` goes (13 left), `task` stays
    expect(state.computed).toBe(3);
    await diffs.read(pat, task.id);
    expect(state.computed).toBe(3);
    await diffs.read(pat, other.id);
    expect(state.computed).toBe(4);
  });
});
