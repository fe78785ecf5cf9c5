import { TaskSchema } from "../../../shared/task.js";
import { isOwnHead, pullRequestHead } from "../../../server/domain/push-target.js";
import type { RepoConfig } from "../../../server/domain/repo-config.js";
import { createFixTask } from "../../../server/domain/tasks/create-fix-task.js";
import { analysisJson, CALC_REPO, domainHarness } from "../../support/fakes/domain-harness.js";

const FORKED: RepoConfig = {
  ...CALC_REPO,
  pushRepository: "calc-bot/calc",
  pushUrl: "file:///nowhere/calc-fork.git",
};

describe("the pull request's head", () => {
  it("is the bare branch without a fork and forkOwner:branch with one", () => {
    expect(pullRequestHead(CALC_REPO, "codex/calc-1-x")).toBe("codex/calc-1-x");
    expect(pullRequestHead(FORKED, "codex/calc-1-x")).toBe("calc-bot:codex/calc-1-x");
  });

  it("counts the repository and its configured fork as ours, any other fork not", () => {
    expect(isOwnHead(FORKED, "acme/calc")).toBe(true);
    expect(isOwnHead(FORKED, "Calc-Bot/Calc")).toBe(true);
    expect(isOwnHead(FORKED, "mallory/calc")).toBe(false);
    expect(isOwnHead(FORKED, null)).toBe(false);
    expect(isOwnHead(CALC_REPO, "calc-bot/calc")).toBe(false);
  });
});

describe("publishing to a fork", () => {
  it("looks the pull request up and opens it on upstream with the fork's head", async () => {
    const h = domainHarness({}, FORKED);
    const lookups: { repo: string; head: string }[] = [];
    const find = h.codeHost.findPullRequest.bind(h.codeHost);
    h.codeHost.findPullRequest = (repo, head) => {
      lookups.push({ repo, head });
      return find(repo, head);
    };
    h.agent.script(
      { final: analysisJson() },
      { writes: { "src/add.js": "a + b" }, commands: [], final: "Fixed add()." },
    );
    h.tracker.add({ key: "CALC-1", summary: "Adding is wrong" });
    const pm = { email: "pm@acme.test", name: "Pat", role: "pm" as const };
    const { task: created } = await createFixTask(h.deps, { ticketKey: "CALC-1", user: pm });
    await h.runner.idle();

    const task = TaskSchema.parse(await h.store.get(created.id));
    expect(task.outcome).toBe("pr_opened");
    const branch = "codex/calc-1-adding-is-wrong";
    expect(task.branch).toBe(branch);
    expect(lookups).toEqual([{ repo: "acme/calc", head: `calc-bot:${branch}` }]);
    expect(h.codeHost.pulls.map((p) => ({ repo: p.repo, head: p.head, base: p.base }))).toEqual([
      { repo: "acme/calc", head: `calc-bot:${branch}`, base: "main" },
    ]);
  });
});
