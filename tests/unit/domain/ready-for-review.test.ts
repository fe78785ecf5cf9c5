import { AppError } from "../../../server/domain/app-error.js";
import { createFixTask } from "../../../server/domain/tasks/create-fix-task.js";
import { sendFollowUp } from "../../../server/domain/tasks/send-follow-up.js";
import { analysisJson, domainHarness } from "../../support/fakes/domain-harness.js";

const pm = { email: "pm@acme.test", name: "Pat", role: "pm" as const };
const eng = { email: "eng@acme.test", name: "Eve", role: "engineer" as const };

/** A fix whose tests fail (a draft), then a follow-up whose server test run exits `followUpExit`. */
async function draftThenFollowUp(
  followUpExit: number,
  prepare?: (h: ReturnType<typeof domainHarness>) => void,
) {
  const h = domainHarness();
  h.tracker.add({ key: "CALC-1" });
  h.agent.script(
    { final: analysisJson() },
    { writes: { "a.js": "half" }, commands: [{ command: "npm test", exitCode: 1 }], final: "half" },
    {
      writes: { "a.js": "whole" },
      commands: [{ command: "npm test", exitCode: followUpExit }],
      final: "whole",
    },
  );
  // The server's runs: the base passes, the first fix fails, the follow-up exits as given.
  h.sandbox.answer("npm test", { exitCode: 0 }, { exitCode: 1 }, { exitCode: followUpExit });
  prepare?.(h);
  const { task } = await createFixTask(h.deps, { ticketKey: "CALC-1", user: pm });
  await h.runner.idle();
  expect((await h.store.get(task.id))?.pullRequest?.draft).toBe(true);
  await sendFollowUp(h.deps, { taskId: task.id, message: "finish it", user: eng });
  await h.runner.idle();
  const done = await h.store.get(task.id);
  const logs = (await h.store.listEvents(task.id))
    .filter((e) => e.type === "task.log")
    .map((e) => e.payload as { level: string; message: string });
  return { h, done, logs };
}

describe("a draft pull request becomes ready for review", () => {
  it("once a follow-up makes the tests pass", async () => {
    const { h, done, logs } = await draftThenFollowUp(0);
    expect(done).toMatchObject({ status: "completed", outcome: "pr_opened", testsPassed: true });
    expect(done?.pullRequest?.draft).toBe(false);
    expect(h.codeHost.pulls.map((p) => p.draft)).toEqual([false]);
    expect(logs).toContainEqual({
      level: "info",
      message: "Marked pull request #1 ready for review",
    });
  });

  it("not while the follow-up's tests still fail", async () => {
    const { h, done, logs } = await draftThenFollowUp(1);
    expect(done).toMatchObject({ status: "completed", outcome: "pr_opened", testsPassed: false });
    expect(done?.pullRequest?.draft).toBe(true);
    expect(h.codeHost.pulls.map((p) => p.draft)).toEqual([true]);
    expect(logs.map((l) => l.message).join("\n")).not.toMatch(/ready for review|stays a draft/);
  });

  it("and a refusal leaves the draft, said in the task's log, without failing the task", async () => {
    const { done, logs } = await draftThenFollowUp(0, (h) => {
      h.codeHost.failReady = new AppError("github_auth", "GitHub rejected the token");
    });
    expect(done).toMatchObject({ status: "completed", outcome: "pr_opened", testsPassed: true });
    expect(done?.pullRequest?.draft).toBe(true);
    expect(logs).toContainEqual({
      level: "warn",
      message: "Pull request #1 stays a draft: GitHub rejected the token",
    });
  });
});
