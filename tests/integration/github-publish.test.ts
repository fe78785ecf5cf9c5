import { writeFile } from "node:fs/promises";
import path from "node:path";
import pino from "pino";
import { createGitWorkspaces } from "../../server/adapters/git/index.js";
import { fixBranchName as branchName } from "../../server/domain/tasks/branch-name.js";
import { TempDirs } from "../support/git-fixtures.js";
import {
  hostFor,
  startFakeGitHubFixture,
  type FakeGitHubFixture,
} from "../support/github-fixtures.js";

const tmp = new TempDirs();
let fx: FakeGitHubFixture;

beforeEach(async () => {
  fx = await startFakeGitHubFixture(tmp);
});

afterEach(async () => {
  await fx.github.close();
  await tmp.cleanup();
});

describe("publishing a task: worktree → push → pull request on the fake GitHub", () => {
  it("opens a pull request whose page shows the pushed change", async () => {
    const logger = pino({ level: "silent" });
    const workspaces = createGitWorkspaces({
      root: path.join(await tmp.make(), "workspaces"),
      logger,
    });
    const host = hostFor(fx.github, logger);
    const repo = {
      jiraProject: "CALC",
      github: "acme/calc",
      baseBranch: "main",
      cloneUrl: fx.remote.bare,
      testCommand: null,
      reviewers: ["alice"],
    };
    const branch = branchName("CALC-7", "Division by zero");
    const ws = await workspaces.prepare(repo, "task-7", branch);
    await writeFile(path.join(ws.path, "src/app.js"), "export const x = 7;\n");
    await workspaces.stage(ws);
    expect(
      await workspaces.commitStaged(ws, "CALC-7: handle division by zero", {
        name: "Patchboard",
        email: "bot@example.test",
      }),
    ).not.toBeNull();
    await workspaces.push(repo, ws);

    // Publishing twice (a retry) ends with the same single pull request.
    const input = {
      repo: "acme/calc",
      head: branch,
      base: "main",
      title: "CALC-7: Division by zero",
      body: "Fix.",
      draft: false,
    };
    const pr = await host.createPullRequest(input);
    expect(await host.createPullRequest(input)).toEqual(pr);
    await host.requestReviewers("acme/calc", pr.number, repo.reviewers);

    const html = await (await fetch(pr.url)).text();
    expect(html).toContain("CALC-7: Division by zero");
    expect(html).toContain("+export const x = 7;");
    expect(html).toContain("alice");
  });
});
