import { pino } from "pino";
import { describe, expect, it } from "vitest";
import { WorkspaceJanitor } from "../../server/domain/janitor/workspace-janitor.js";
import { WARM_OWNER } from "../../server/domain/environment/prepare-warm-worktree.js";
import { CALC_REPO, domainHarness } from "../support/fakes/domain-harness.js";
import { FakeTaskHomeDirs } from "../support/fakes/fake-task-home-dirs.js";
import { newFixTask } from "../support/task-store-contract.js";

const logger = pino({ level: "silent" });
const NOW = new Date("2030-01-10T12:00:00Z");
const LONG_AGO = "2030-01-01T00:00:00Z";
const RECENTLY = "2030-01-10T11:00:00Z";

/** A harness, a janitor over two kinds of per-task directories, and a way to make tasks. */
function setUp() {
  const h = domainHarness();
  const agentHomes = new FakeTaskHomeDirs();
  const environmentHomes = new FakeTaskHomeDirs();
  const janitor = new WorkspaceJanitor({
    store: h.store,
    workspaces: h.workspaces,
    archive: { save: () => Promise.resolve(), load: () => Promise.resolve(null) },
    homes: [agentHomes, environmentHomes],
    retentionMs: 24 * 3_600_000,
    intervalMs: 60_000,
    logger,
    now: () => NOW,
  });
  const task = async (
    key: string,
    state: { status: "completed" | "running"; finishedAt: string | null; worktree: boolean },
  ): Promise<string> => {
    const { task: made } = await h.store.create(
      newFixTask(key, { branch: `codex/${key.toLowerCase()}` }),
    );
    if (state.worktree) await h.workspaces.prepare(CALC_REPO, made.id, made.branch ?? "");
    await h.store.transition(made.id, ["queued"], {
      status: state.status,
      finishedAt: state.finishedAt,
    });
    agentHomes.ids.add(made.id);
    environmentHomes.ids.add(made.id);
    return made.id;
  };
  return { h, janitor, agentHomes, environmentHomes, task };
}

describe("workspace janitor: per-task directories", () => {
  it("removes a task's homes with its worktree after the retention, keeping its thread", async () => {
    const { janitor, agentHomes, environmentHomes, task } = setUp();
    const old = await task("CALC-1", { status: "completed", finishedAt: LONG_AGO, worktree: true });
    const recent = await task("CALC-2", {
      status: "completed",
      finishedAt: RECENTLY,
      worktree: true,
    });
    const running = await task("CALC-3", { status: "running", finishedAt: null, worktree: true });
    // Running before its worktree was made: its homes are in use all the same.
    const starting = await task("CALC-4", { status: "running", finishedAt: null, worktree: false });

    expect(await janitor.sweep()).toEqual([old]);
    expect(agentHomes.removals).toEqual([{ id: old, keepThread: true }]);
    expect(environmentHomes.removals).toEqual([{ id: old, keepThread: true }]);
    expect([...agentHomes.ids].sort()).toEqual([recent, running, starting].sort());
    // Nothing left to do: a second sweep removes nothing more.
    await janitor.sweep();
    expect(agentHomes.removals).toHaveLength(1);
  });

  it("removes the homes of ids that are no task, unless a worktree or the warm pool uses them", async () => {
    const { h, janitor, agentHomes, environmentHomes } = setUp();
    // A task deleted from the store, a finished review, a review running right now.
    for (const id of ["gone-task", "review-done", "review-running"]) agentHomes.ids.add(id);
    await h.workspaces.prepare(CALC_REPO, "review-running", "patchboard/review/review-running");
    environmentHomes.ids.add(WARM_OWNER);
    environmentHomes.ids.add("gone-task");

    janitor.start();
    await janitor.stop();

    expect(agentHomes.removals).toEqual([
      { id: "gone-task", keepThread: false },
      { id: "review-done", keepThread: false },
    ]);
    expect([...agentHomes.ids]).toEqual(["review-running"]);
    expect([...environmentHomes.ids]).toEqual([WARM_OWNER]);
  });

  it("keeps a finished task's homes whose worktree is already gone until its retention ends", async () => {
    const { janitor, agentHomes, task } = setUp();
    const recent = await task("CALC-1", {
      status: "completed",
      finishedAt: RECENTLY,
      worktree: false,
    });
    const old = await task("CALC-2", {
      status: "completed",
      finishedAt: LONG_AGO,
      worktree: false,
    });

    await janitor.sweep();

    expect(agentHomes.removals).toEqual([{ id: old, keepThread: true }]);
    expect([...agentHomes.ids]).toEqual([recent]);
  });

  it("goes on with the other ids when one cannot be removed", async () => {
    const { janitor, agentHomes } = setUp();
    for (const id of ["stuck", "orphan"]) agentHomes.ids.add(id);
    agentHomes.failing.add("stuck");

    await janitor.sweep();

    expect(agentHomes.removals).toEqual([{ id: "orphan", keepThread: false }]);
    expect([...agentHomes.ids]).toEqual(["stuck"]);
  });
});
