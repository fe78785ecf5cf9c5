import { commitAndPush, TempDirs } from "../support/git-fixtures.js";
import {
  capturingLogger,
  hostFor,
  startFakeGitHubFixture,
  type FakeGitHubFixture,
} from "../support/github-fixtures.js";
import type { CodeHost } from "../../server/domain/ports/code-host.js";

const tmp = new TempDirs();
let fx: FakeGitHubFixture;
let host: CodeHost;

beforeAll(async () => {
  fx = await startFakeGitHubFixture(tmp);
  host = hostFor(fx.github, capturingLogger().logger);
  for (const [branch, title] of [
    ["feature/a", "First"],
    ["feature/b", "CALC-3 second"],
  ] as const) {
    await commitAndPush(fx.remote, branch, { [`${branch}.txt`]: `${title}\n` });
    await host.createPullRequest({
      repo: fx.repo,
      head: branch,
      base: "main",
      title,
      body: "",
      draft: branch.endsWith("b"),
    });
  }
});
afterAll(async () => {
  await fx.github.close();
  await tmp.cleanup();
});

describe("the GitHub adapter's review reads", () => {
  it("lists open pull requests updated since a time, with their heads and bases", async () => {
    const prs = await host.listOpenPullRequests(fx.repo, new Date(Date.now() - 3_600_000));
    expect(prs.map((p) => [p.number, p.title, p.headRef, p.baseRef, p.draft, p.author])).toEqual(
      expect.arrayContaining([
        [1, "First", "feature/a", "main", false, "patchboard-bot"],
        [2, "CALC-3 second", "feature/b", "main", true, "patchboard-bot"],
      ]),
    );
    expect(prs[0]?.headSha).toMatch(/^[0-9a-f]{40}$/);
    // Same-repository heads are not forks; the description comes along (untrusted, fenced later).
    expect(prs.every((p) => p.fromFork === false && typeof p.body === "string")).toBe(true);
    expect(prs[0]?.url).toBe(`${fx.github.url}/acme/calc/pull/${prs[0]?.number}`);
    const request = fx.github.requests.find((r) => r.path.includes("/pulls?"));
    expect(request?.path).toContain("sort=updated");
    expect(request?.path).toContain("direction=desc");
    expect(await host.listOpenPullRequests(fx.repo, new Date(Date.now() + 3_600_000))).toEqual([]);
  });

  it("reads a pull request's diff against its base, retrying a 5xx", async () => {
    fx.github.failNext(1, 502);
    const diff = await host.getPullRequestDiff(fx.repo, 2);
    expect(diff).toContain("diff --git a/feature/b.txt b/feature/b.txt");
    expect(diff).toContain("+CALC-3 second");
    expect(diff).not.toContain("feature/a.txt");
  });
});
