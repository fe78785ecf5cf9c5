import type { RepoConfig } from "../../../server/domain/repo-config.js";
import { createFixTask } from "../../../server/domain/tasks/create-fix-task.js";
import { judgeTests, stemOf } from "../../../server/domain/verdict/judge-tests.js";
import { analysisJson, CALC_REPO, domainHarness } from "../../support/fakes/domain-harness.js";
import { tap } from "../../support/tap-output.js";

const pm = { email: "pm@acme.test", name: "Pat", role: "pm" as const };
const TAP_REPO: RepoConfig = { ...CALC_REPO, testReport: { format: "tap", path: null } };

async function fix(h: ReturnType<typeof domainHarness>, claim = "All tests pass.") {
  h.tracker.add({ key: "CALC-1", summary: "Adding two numbers gives the wrong total" });
  h.agent.script(
    { final: analysisJson() },
    {
      writes: { "src/add.js": "fixed" },
      // The agent says the tests passed, and "runs" something that merely names them.
      commands: [{ command: "echo 'npm test passed'", exitCode: 0 }],
      final: claim,
    },
  );
  const { task } = await createFixTask(h.deps, { ticketKey: "CALC-1", user: pm });
  await h.runner.idle();
  const done = await h.store.get(task.id);
  const events = await h.store.listEvents(task.id);
  const verdict = events.flatMap((e) => (e.type === "task.tests" ? [e.payload.verdict] : []));
  return { done, verdict, pr: h.codeHost.pulls[0], comment: h.tracker.comments.at(-1)?.body ?? "" };
}

describe("tests judged by the server", () => {
  it("opens a wrong fix as a draft even when the agent says the tests passed", async () => {
    const h = domainHarness();
    h.sandbox.answer(
      "npm test",
      { exitCode: 0 },
      { exitCode: 1, output: ["AssertionError: 3 !== 4\n"] },
    );
    const { done, verdict, pr, comment } = await fix(h);
    expect(done).toMatchObject({ status: "completed", outcome: "pr_opened", testsPassed: false });
    expect(pr?.draft).toBe(true);
    expect(verdict).toHaveLength(1);
    expect(verdict[0]).toMatchObject({
      ready: false,
      result: "failed",
      exitCode: 1,
      perTest: false,
    });
    expect(pr?.body).toContain("## Change (as the agent describes it)\n\nAll tests pass.");
    expect(pr?.body).toContain("itself (isolated, network off): **failed** (exit code 1");
    expect(pr?.body).toContain("AssertionError: 3 !== 4");
    expect(comment).toContain("Tests run by Patchboard's server: **failed**");
    expect(comment).not.toMatch(/tests pass/i);
  });

  it("opens a right fix ready when the base already failed, naming the failures it did not cause", async () => {
    const h = domainHarness({}, TAP_REPO);
    h.sandbox.answer(
      "npm test",
      { exitCode: 1, output: [tap({ add: "fail", divide: "fail", round: "ok" })] },
      { exitCode: 1, output: [tap({ add: "ok", divide: "fail", round: "ok" })] },
    );
    const { done, verdict, pr, comment } = await fix(h);
    expect(done?.testsPassed).toBe(true);
    expect(pr?.draft).toBe(false);
    expect(verdict[0]).toMatchObject({
      ready: true,
      result: "no_new_failures",
      perTest: true,
      newFailures: [],
      fixed: ["add"],
      stillFailing: ["divide"],
      total: 3,
      passed: 2,
    });
    expect(pr?.body).toContain(
      "Already failing on the base branch (not caused by this change):\n- divide",
    );
    expect(pr?.body).toContain("Fixed (failed on the base branch):\n- add");
    expect(comment).toContain("Already failing before this change:\n- divide");
  });

  it("opens a draft that names a test the change broke", async () => {
    const h = domainHarness({}, TAP_REPO);
    h.sandbox.answer(
      "npm test",
      { exitCode: 1, output: [tap({ add: "fail", round: "ok" })] },
      { exitCode: 1, output: [tap({ add: "ok", round: "fail" })] },
    );
    const { pr, verdict } = await fix(h);
    expect(pr?.draft).toBe(true);
    expect(verdict[0]).toMatchObject({ result: "failed", newFailures: ["round"], fixed: ["add"] });
    expect(pr?.body).toContain("New failures (passed on the base branch):\n- round");
  });

  it("opens a draft saying no tests were run when the repository has no test command", async () => {
    const h = domainHarness({}, { ...CALC_REPO, testCommand: null });
    const { done, pr, verdict } = await fix(h);
    expect(h.sandbox.commands()).toEqual([]);
    expect(done?.testsPassed).toBeNull();
    expect(pr?.draft).toBe(true);
    expect(verdict[0]?.result).toBe("not_run");
    expect(pr?.body).toContain("No tests were run: no test command is configured");
  });

  it("never calls a timed-out run ready", async () => {
    const h = domainHarness();
    h.sandbox.answer("npm test", { exitCode: 0 }, { timedOut: true });
    const { pr, verdict } = await fix(h);
    expect(pr?.draft).toBe(true);
    expect(verdict[0]?.result).toBe("error");
  });
});

describe("judgeTests", () => {
  const run = (results: { name: string; status: "passed" | "failed"; file?: string }[]) => ({
    exitCode: results.some((r) => r.status === "failed") ? 1 : 0,
    timedOut: false,
    durationMs: 10,
    outputTail: "",
    results: results.map((r) => ({ ...r, file: r.file ?? null })),
  });

  it("counts a still-failing test of a module the change touched against the change", () => {
    const base = run([
      { name: "weekend", status: "failed", file: "/repo/test/delivery.test.js" },
      { name: "coupon", status: "failed", file: "/repo/test/discounts.test.js" },
    ]);
    const verdict = judgeTests({
      command: "npm test",
      run: run([
        { name: "weekend", status: "failed", file: "/repo/test/delivery.test.js" },
        { name: "coupon", status: "failed", file: "/repo/test/discounts.test.js" },
      ]),
      base: { exitCode: base.exitCode, results: base.results, durationMs: 1 },
      changedFiles: ["src/delivery.js"],
    });
    expect(verdict).toMatchObject({
      ready: false,
      newFailures: ["weekend"],
      stillFailing: ["coupon"],
    });
  });

  it("reads the module of common test file names", () => {
    expect(
      [
        "test/delivery.test.js",
        "tests/test_delivery.py",
        "src/DeliveryTest.java",
        "delivery_test.go",
        "src/delivery.ts",
      ].map(stemOf),
    ).toEqual(["delivery", "delivery", "delivery", "delivery", "delivery"]);
  });
});
