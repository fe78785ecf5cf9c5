import { readFile } from "node:fs/promises";
import path from "node:path";
import { pino } from "pino";
import { createGitWorkspaces } from "../../server/adapters/git/index.js";
import {
  commitAndPush,
  fixtureRepoConfig,
  git,
  makeBareRepo,
  TempDirs,
  type BareRepo,
} from "../support/git-fixtures.js";

const tmp = new TempDirs();
let remote: BareRepo;
let root: string;

beforeAll(async () => {
  remote = await makeBareRepo(tmp);
  root = await tmp.make("patchboard-review-ws-");
});
afterAll(() => tmp.cleanup());

describe("checking out a pull request for review", () => {
  it("checks out a same-repository head at its merge base with the base branch", async () => {
    const head = await commitAndPush(remote, "feature/x", {
      "src/app.js": "export const x = 2;\n",
    });
    await commitAndPush(remote, "main", { "NEWS.md": "later on main\n" });
    const workspaces = createGitWorkspaces({ root, logger: pino({ level: "silent" }) });
    const ws = await workspaces.checkoutPullRequest(fixtureRepoConfig(remote.bare), "review-a", {
      number: 1,
      headRef: "feature/x",
      headSha: head,
      baseRef: "main",
    });
    expect(git(ws.path, "rev-parse", "HEAD")).toBe(head);
    expect(await readFile(path.join(ws.path, "src/app.js"), "utf8")).toBe("export const x = 2;\n");
    // The change alone, not what main got since the branch was cut.
    expect(git(ws.path, "diff", "--name-only", ws.baseSha)).toBe("src/app.js");
    await workspaces.remove("review-a");
    expect(await workspaces.find("review-a")).toBeNull();
    expect(
      git(path.join(root, "mirrors", "acme__calc.git"), "branch", "--list", "patchboard-review/*"),
    ).toBe("");
  });

  it("fetches a fork's head from refs/pull/N/head, and fails clearly when there is none", async () => {
    // A fork's commit: not on any branch of the repository, only under refs/pull/7/head.
    const forkHead = await commitAndPush(remote, "fork-tmp", { "fork.txt": "from a fork\n" });
    git(remote.bare, "update-ref", "refs/pull/7/head", forkHead);
    git(remote.bare, "branch", "-D", "fork-tmp");
    const workspaces = createGitWorkspaces({ root, logger: pino({ level: "silent" }) });
    const ws = await workspaces.checkoutPullRequest(fixtureRepoConfig(remote.bare), "review-b", {
      number: 7,
      headRef: "feature-in-fork",
      headSha: forkHead,
      baseRef: "main",
    });
    expect(git(ws.path, "rev-parse", "HEAD")).toBe(forkHead);
    await workspaces.remove("review-b");

    await expect(
      workspaces.checkoutPullRequest(fixtureRepoConfig(remote.bare), "review-c", {
        number: 8,
        headRef: "gone",
        headSha: "f".repeat(40),
        baseRef: "main",
      }),
    ).rejects.toMatchObject({ code: "git_failed", message: expect.stringContaining("#8") });
  });
});
