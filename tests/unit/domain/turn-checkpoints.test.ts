import {
  recoverInterruptedTask,
  RESTART_MESSAGE,
} from "../../../server/domain/tasks/recover-task.js";
import { TAKEOVER_RESUME_MESSAGE } from "../../../server/domain/tasks/turn-checkpoint.js";
import type { TurnCheckpoint } from "../../../server/domain/ports/turn-checkpoints.js";
import {
  analysisJson,
  calcFixTask,
  domainHarness,
  FIXED_ADD,
  GREEN_FIX_TURN,
  startCalcFix,
} from "../../support/fakes/domain-harness.js";

const ROLLOUT = "sessions/2030/01/01/rollout-2030-01-01T00-00-00-thread-1.jsonl";

/** What the fake workspaces' checkpoint holds: the worktree's files as JSON. */
const filesOf = (changes: Uint8Array) =>
  Object.fromEntries(JSON.parse(Buffer.from(changes).toString("utf8")) as [string, string][]);

/** A checkpoint a dead worker stored after its analysis turn, with a half-done change. */
function deadWorkersCheckpoint(threadId: string): TurnCheckpoint {
  return {
    turn: 7,
    threadId,
    baseSha: "base-of-the-dead-worker",
    rollouts: [{ path: ROLLOUT, bytes: Buffer.from('{"turn":"analyze"}\n') }],
    changes: Buffer.from(JSON.stringify([["src/add.js", "half-done"]])),
  };
}

/** A fix task another worker left running in `fixing` on thread-1, analysed, its worktree there. */
async function leftRunningElsewhere(h: ReturnType<typeof domainHarness>, key: string) {
  h.tracker.add({ key, summary: "Adding two numbers gives the wrong total" });
  const { task } = await h.store.create(calcFixTask(key));
  await h.store.transition(task.id, ["queued"], {
    status: "running",
    phase: "fixing",
    threadId: "thread-1",
    analysis: JSON.parse(analysisJson()) as never,
  });
  return (await h.store.get(task.id))!;
}

describe("turn checkpoints", () => {
  it("stores the thread and the worktree after every completed turn, the latest replacing the one before", async () => {
    const h = domainHarness();
    h.agent.script({ final: analysisJson() }, GREEN_FIX_TURN);
    const task = await startCalcFix(h, "CALC-1");
    await h.runner.idle();

    const turns = (await h.store.listEvents(task.id)).filter((e) => e.type === "task.turn");
    expect(h.checkpoints.saves).toEqual(turns.map((e) => ({ taskId: task.id, turn: e.seq })));
    const saved = await h.checkpoints.latest(task.id);
    expect(saved?.threadId).toBe("thread-1");
    expect(saved?.baseSha).toBe("base000");
    expect(saved?.rollouts.map((f) => f.path)).toEqual([ROLLOUT]);
    // Both turns' lines: the rollout as it was after the second turn.
    expect(
      Buffer.from(saved?.rollouts[0]?.bytes ?? [])
        .toString()
        .split("\n"),
    ).toHaveLength(3);
    expect(filesOf(saved?.changes ?? new Uint8Array())).toEqual({
      "src/add.js": FIXED_ADD,
    });
  });

  it("queues a task taken over with a checkpoint on its thread to resume it, not to restart", async () => {
    const h = domainHarness();
    const task = await leftRunningElsewhere(h, "CALC-2");
    await h.checkpoints.save(task.id, deadWorkersCheckpoint("thread-1"));
    expect(await recoverInterruptedTask(h.deps, task, "other")).toBe("resumed");
    expect(await h.store.get(task.id)).toMatchObject({ status: "queued", threadId: "thread-1" });
    expect((await h.store.listRequests(task.id)).at(-1)).toMatchObject({
      action: "retry",
      by: "system",
      message: TAKEOVER_RESUME_MESSAGE,
      previous: { phase: "fixing", error: { code: "interrupted" } },
    });
  });

  it.each([
    ["without a checkpoint", null],
    ["with a checkpoint of an earlier thread", "thread-0"],
  ])("restarts a task taken over %s", async (_name, threadId) => {
    const h = domainHarness();
    const task = await leftRunningElsewhere(h, "CALC-3");
    if (threadId !== null) await h.checkpoints.save(task.id, deadWorkersCheckpoint(threadId));
    expect(await recoverInterruptedTask(h.deps, task, "other")).toBe("restarted");
    expect(await h.store.get(task.id)).toMatchObject({ status: "queued", threadId: null });
    expect((await h.store.listRequests(task.id)).at(-1)?.message).toBe(RESTART_MESSAGE);
  });

  it("fails, as before, a task of this worker's previous life whose worktree is gone, checkpoint or not", async () => {
    const h = domainHarness();
    const task = await leftRunningElsewhere(h, "CALC-4");
    await h.checkpoints.save(task.id, deadWorkersCheckpoint("thread-1"));
    expect(await recoverInterruptedTask(h.deps, task, "self")).toBe("failed");
    expect((await h.store.get(task.id))?.error?.message).toMatch(/worktree is gone/);
  });

  it("restores thread and files on the worker that runs it, resumes the same thread and publishes once", async () => {
    const h = domainHarness();
    const task = await leftRunningElsewhere(h, "CALC-5");
    await h.checkpoints.save(task.id, deadWorkersCheckpoint("thread-1"));
    // The dead worker had pushed and opened the pull request, and linked it on the ticket.
    const pr = await h.codeHost.createPullRequest({
      repo: "acme/calc",
      head: task.branch ?? "",
      base: "main",
      title: "CALC-5",
      body: "",
      draft: true,
    });
    await h.tracker.addComment("CALC-5", `Pull request: ${pr.url}`);
    h.agent.script({
      writes: { "src/add.js": FIXED_ADD },
      commands: [{ command: "bash -lc 'npm test'", exitCode: 0 }],
      final: "Finished the fix.",
    });
    expect(await recoverInterruptedTask(h.deps, task, "other")).toBe("resumed");
    h.runner.enqueue(task.id);
    await h.runner.idle();

    expect(h.workspaces.restores).toEqual([task.id]);
    expect((await h.workspaces.find(task.id))?.baseSha).toBe("base-of-the-dead-worker");
    // One turn, on the dead worker's thread, told to carry on; its rollout was restored first.
    expect(h.agent.requests.map((r) => r.threadId)).toEqual(["thread-1"]);
    expect(h.agent.requests[0]?.prompt).toContain("The previous attempt at this task stopped");
    const home = h.rollouts.homes.get(task.id) ?? [];
    expect(
      Buffer.from(home[0]?.bytes ?? [])
        .toString()
        .split("\n")[0],
    ).toBe('{"turn":"analyze"}');
    const done = await h.store.get(task.id);
    expect(`${done?.status}:${done?.outcome}:${done?.pullRequest?.url}`).toBe(
      `completed:pr_opened:${pr.url}`,
    );
    expect(h.codeHost.pulls).toHaveLength(1);
    expect(h.tracker.comments.filter((c) => c.body.includes(pr.url))).toHaveLength(1);
  });
});
