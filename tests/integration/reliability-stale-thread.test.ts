import type { Task } from "../../shared/task.js";
import type { RunningServer } from "../../server/bootstrap/start-server.js";
import { commitAndPush, git } from "../support/git-fixtures.js";
import { startReliabilityEnv, type ReliabilityEnv } from "../support/reliability-env.js";
import { calcFixScript, RESOLVED_SUM, ticketOf } from "../support/reliability-scripts.js";
import { apiClient, isFinal, waitFor } from "../support/reliability-server.js";

// A follow-up on a thread whose base branch moved meanwhile: the worktree is brought up
// to date with the base first (a real bare repository where main moves between turns),
// and the agent is told which commits and files changed, and about any conflict.
describe("reliability: stale thread state", () => {
  let world: ReliabilityEnv;
  let server: RunningServer;
  let api: ReturnType<typeof apiClient>;

  beforeAll(async () => {
    world = await startReliabilityEnv({ scripts: [calcFixScript()] });
    server = await world.start();
    api = apiClient(server.url, "engineer");
  }, 120_000);

  afterAll(async () => {
    await world.close();
  });

  const finished = (id: string): Promise<Task> =>
    waitFor("the task to finish", async () => {
      const task = await api.task(id);
      return isFinal(task) ? task : undefined;
    });

  async function fixed(key: string): Promise<Task> {
    const { task } = await api.createFix(key);
    const done = await finished(task.id);
    expect(done).toMatchObject({ status: "completed", outcome: "pr_opened" });
    return done;
  }

  function followUpPromptSeen(key: string): string {
    const request = world.model.requests.findLast(
      (r) =>
        r.context !== null &&
        ticketOf(r.context) === key &&
        /Follow-up from/.test(r.context.latestUserMessage),
    );
    return request?.context?.latestUserMessage ?? "";
  }

  it("merges the moved base into the task branch and tells the agent what changed", async () => {
    const task = await fixed("CALC-1");
    const moved = await commitAndPush(
      world.repo,
      "main",
      { "README.md": "# calc\n\nNow documented.\n", "docs/usage.md": "Call sum(a, b).\n" },
      "docs: describe how to call sum",
    );
    const sent = await api.post(`/api/tasks/${task.id}/messages`, {
      message: "Please double-check.",
    });
    expect(sent.status).toBe(202);
    const done = await finished(task.id);
    expect(done).toMatchObject({ status: "completed", outcome: "pr_opened" });

    const prompt = followUpPromptSeen("CALC-1");
    expect(prompt).toContain("Since your last turn the base branch moved");
    expect(prompt).toContain("docs: describe how to call sum");
    expect(prompt).toContain(moved.slice(0, 10));
    expect(prompt).toContain("README.md");
    expect(prompt).toContain("docs/usage.md");
    expect(prompt).not.toContain("conflict");
    // The pushed branch now contains main's new commit; the diff is still only the fix.
    const branchTip = git(world.repo.bare, "rev-parse", `refs/heads/${task.branch ?? ""}`);
    expect(() =>
      git(world.repo.bare, "merge-base", "--is-ancestor", moved, branchTip),
    ).not.toThrow();
    const diff = await api.get(`/api/tasks/${task.id}/diff`);
    expect(diff.text).toContain("+  return a + b;");
    expect(diff.text).not.toContain("README.md");
    expect(
      world.github.pullRequests("acme/calc").filter((p) => p.head.ref === task.branch),
    ).toHaveLength(1);
  }, 240_000);

  it("leaves a conflicting merge to the agent, which resolves it", async () => {
    const task = await fixed("CALC-2");
    await commitAndPush(
      world.repo,
      "main",
      { "src/sum.js": "export function sum(a, b) {\n  return Number(a) - Number(b);\n}\n" },
      "sum: coerce its arguments",
    );
    await api.post(`/api/tasks/${task.id}/messages`, { message: "Rebase on main, please." });
    const done = await finished(task.id);
    expect(done).toMatchObject({ status: "completed", outcome: "pr_opened", testsPassed: true });
    const prompt = followUpPromptSeen("CALC-2");
    expect(prompt).toContain("sum: coerce its arguments");
    expect(prompt).toContain("conflicts in: src/sum.js");
    const events = await api.events(task.id);
    expect(events).toContainEqual(
      expect.objectContaining({
        type: "task.log",
        payload: expect.objectContaining({
          level: "warn",
          message: expect.stringContaining("conflicts") as unknown,
        }) as unknown,
      }),
    );
    // The published branch holds the resolution, merged with main (two parents), no markers.
    const ref = `refs/heads/${task.branch ?? ""}`;
    expect(git(world.repo.bare, "show", `${ref}:src/sum.js`)).toBe(RESOLVED_SUM.trim());
    expect(git(world.repo.bare, "rev-list", "--merges", "--count", `main..${ref}`)).toBe("1");
  }, 240_000);
});
