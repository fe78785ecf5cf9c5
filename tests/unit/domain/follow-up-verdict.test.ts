import type { RepoConfig } from "../../../server/domain/repo-config.js";
import { createFixTask } from "../../../server/domain/tasks/create-fix-task.js";
import { requeue } from "../../../server/domain/tasks/requeue.js";
import { sendFollowUp } from "../../../server/domain/tasks/send-follow-up.js";
import { analysisJson, CALC_REPO, domainHarness } from "../../support/fakes/domain-harness.js";
import { tap } from "../../support/tap-output.js";

/**
 * The pull request comment a follow-up (a person's, or an automatic CI round's) leaves
 * carries the server's verdict on that turn's change, as the body the pull request opened
 * with does: passed, failed with counts and the tests it broke, or not run.
 */

const pm = { email: "pm@acme.test", name: "Pat", role: "pm" as const };
const eng = { email: "eng@acme.test", name: "Eve", role: "engineer" as const };
const TAP_REPO: RepoConfig = { ...CALC_REPO, testReport: { format: "tap", path: null } };

/** A fix, then one more turn asked by `followUp`; returns the pull request's comments. */
async function fixThenFollowUp(
  h: ReturnType<typeof domainHarness>,
  followUp: (taskId: string) => Promise<unknown>,
): Promise<string[]> {
  h.tracker.add({ key: "CALC-1" });
  h.agent.script(
    { final: analysisJson() },
    { writes: { "src/add.js": "first" }, final: "The tests pass now." },
    { writes: { "src/add.js": "second" }, final: "Fixed the rest; all green." },
  );
  const { task } = await createFixTask(h.deps, { ticketKey: "CALC-1", user: pm });
  await h.runner.idle();
  expect(h.codeHost.pulls).toHaveLength(1);
  await followUp(task.id);
  await h.runner.idle();
  expect((await h.store.get(task.id))?.status).toBe("completed");
  return h.codeHost.comments.map((c) => c.body);
}

describe("the follow-up comment on the pull request", () => {
  it("says the server's run failed, with its counts and the tests the change broke", async () => {
    const h = domainHarness({}, TAP_REPO);
    h.sandbox.answer(
      "npm test",
      { exitCode: 0, output: [tap({ add: "ok", round: "ok" })] },
      { exitCode: 1, output: [tap({ add: "ok", round: "fail" })] },
      { exitCode: 1, output: [tap({ add: "fail", round: "fail" })] },
    );
    const comments = await fixThenFollowUp(h, (taskId) =>
      sendFollowUp(h.deps, { taskId, message: "round() too, please", user: eng }),
    );
    expect(comments).toHaveLength(1);
    const comment = comments[0] ?? "";
    expect(comment).toContain("Fixed the rest; all green.\n\n### Tests\n\n");
    expect(comment).toMatch(
      /The server ran `npm test` itself \(isolated, network off\): \*\*failed\*\* \(exit code 1, \d+\.\d s, 0 of 2 passed\)\.\n/,
    );
    expect(comment).toContain("New failures (passed on the base branch):\n- add\n- round");
    // A comment cannot tell whether a person has marked the pull request ready meanwhile.
    expect(comment).not.toContain("draft");
  });

  it("says the server's run passed after an automatic CI round", async () => {
    const h = domainHarness({}, TAP_REPO);
    h.sandbox.answer(
      "npm test",
      { exitCode: 0, output: [tap({ add: "ok" })] },
      { exitCode: 1, output: [tap({ add: "fail" })] },
      { exitCode: 0, output: [tap({ add: "ok" })] },
    );
    const comments = await fixThenFollowUp(h, async (taskId) => {
      const task = await h.store.get(taskId);
      if (task === null) throw new Error("no task");
      await requeue(h.deps, task, ["completed"], {
        action: "follow_up",
        message: "lint failed",
        by: "CI (lint)",
        source: "ci",
      });
    });
    expect(comments).toHaveLength(1);
    expect(comments[0]).toMatch(/^<!-- patchboard -->\nFollow-up on the failed checks:\n/);
    expect(comments[0]).toMatch(
      /\n### Tests\n\nThe server ran `npm test` itself \(isolated, network off\): \*\*passed\*\* \(\d+\.\d s, 1 of 1 passed\)\.$/,
    );
  });

  it("says no tests were run when the repository has no test command", async () => {
    const h = domainHarness({}, { ...CALC_REPO, testCommand: null });
    const comments = await fixThenFollowUp(h, (taskId) =>
      sendFollowUp(h.deps, { taskId, message: "one more thing", user: eng }),
    );
    expect(comments).toHaveLength(1);
    expect(comments[0]).toMatch(
      /\n### Tests\n\nNo tests were run: no test command is configured for this repository\.$/,
    );
  });
});
