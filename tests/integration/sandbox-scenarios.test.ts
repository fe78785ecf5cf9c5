import type { Task } from "../../shared/task.js";
import { SCENARIOS } from "../../server/sandbox/sample-data/scripts.js";
import { removeDir } from "../support/codex-fixtures.js";
import {
  fileOnBranch,
  startTestSandbox,
  testsPassOnBranch,
  waitForTask,
  type ApiClient,
  type TestSandbox,
} from "../support/sandbox-harness.js";

// Every sample ticket's script against the real Codex binary: each patch must apply to
// the sample repository as it is and fix exactly the bug its ticket describes.
const INCOMPLETE = "SHOP-152";

describe("sandbox scenarios", () => {
  let sandbox: TestSandbox;
  let pat: ApiClient;

  beforeAll(async () => {
    sandbox = await startTestSandbox({ MAX_CONCURRENT_TASKS: "2" });
    pat = await sandbox.signIn("pat@acme.test");
  });

  afterAll(async () => {
    await sandbox.close();
    await removeDir(sandbox.dataDir);
  });

  it("fixes every fixable sample ticket, two at a time", async () => {
    const fixable = SCENARIOS.filter((s) => s.fix !== undefined);
    const started = Date.now();
    const created = await Promise.all(
      fixable.map((s) => pat.post<{ task: Task }>("/api/tasks", { ticketKey: s.ticketKey })),
    );
    const tasks = await Promise.all(created.map((c) => waitForTask(pat, c.body.task.id, 300_000)));
    const wallMs = Date.now() - started;

    const { remotePath } = sandbox.running.sandbox;
    for (const [i, scenario] of fixable.entries()) {
      const task = tasks[i];
      const complete = scenario.ticketKey !== INCOMPLETE;
      // A failed task's error in the message: a red run then says why.
      const why = task?.error ? `${scenario.ticketKey}: ${JSON.stringify(task.error)}` : undefined;
      expect(task, why ?? scenario.ticketKey).toMatchObject({
        ticketKey: scenario.ticketKey,
        status: "completed",
        outcome: "pr_opened",
        testsPassed: complete,
      });
      const branch = task?.branch ?? "";
      const file = scenario.analysis.files[0] ?? "";
      const fixed = await fileOnBranch(remotePath, branch, file);
      expect(fixed, scenario.ticketKey).not.toBeNull();
      expect(fixed, scenario.ticketKey).not.toBe(await fileOnBranch(remotePath, "main", file));
      expect(
        await testsPassOnBranch(remotePath, branch, scenario.testFile),
        scenario.ticketKey,
      ).toBe(complete);
    }
    const perTask = tasks.map((t) =>
      t?.startedAt && t.finishedAt
        ? `${t.ticketKey} ${Date.parse(t.finishedAt) - Date.parse(t.startedAt)} ms`
        : "?",
    );
    process.stdout.write(`sandbox scenarios: ${wallMs} ms in all; ${perTask.join(", ")}\n`);
    // Seven tickets, two at a time, a few seconds each with no pacing delay.
    expect(wallMs).toBeLessThan(120_000);
  }, 300_000);

  it("resumes an interrupted fix without applying the patch twice", async () => {
    const { model, remotePath } = sandbox.running.sandbox;
    // The model rejects the request after the fix turn's patch (step 2 follows patch and plan).
    model.setFaults([
      {
        kind: "http_error",
        status: 400,
        message: "Injected failure after the patch.",
        count: 1,
        when: (ctx) =>
          ctx.firstUserMessage.includes("Key: SHOP-155") &&
          ctx.latestUserMessage.includes("Step 2 of 2") &&
          ctx.stepIndex === 2,
      },
    ]);
    const created = await pat.post<{ task: Task }>("/api/tasks", { ticketKey: "SHOP-155" });
    const failed = await waitForTask(pat, created.body.task.id);
    expect(failed.status).toBe("failed");

    const retried = await pat.post<{ task: Task }>(`/api/tasks/${failed.id}/retry`);
    expect(retried.status).toBe(202);
    const done = await waitForTask(pat, failed.id);

    expect(done).toMatchObject({ status: "completed", outcome: "pr_opened", testsPassed: true });
    const slug = await fileOnBranch(remotePath, done.branch ?? "", "src/slug.js");
    expect(slug?.match(/normalize\("NFKD"\)/g)).toHaveLength(1);
    // The resume turn saw the change in `git status` and did not patch again.
    const afterCheck = model.requests.find(
      (r) => r.context?.latestUserMessage.includes("previous attempt") && r.stepIndex === 2,
    );
    expect(afterCheck?.context?.toolOutputs.map((t) => t.name)).toEqual([
      "exec_command",
      "exec_command",
    ]);
  });
});
