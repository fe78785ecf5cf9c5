import { existsSync } from "node:fs";
import { rm, writeFile } from "node:fs/promises";
import path from "node:path";
import type { RepoConfig } from "../../server/domain/repo-config.js";
import type { Workspace, Workspaces } from "../../server/domain/ports/workspaces.js";
import { checkPublish } from "../../server/domain/publish-guard/index.js";
import { commitAndPush, git, makeWorkspacesWorld, TempDirs } from "../support/git-fixtures.js";
import type { BareRepo } from "../support/git-fixtures.js";

const tmp = new TempDirs();
const author = { name: "Patchboard", email: "patchboard@example.test" };
const TOKEN = `ghp_${"Zq9".repeat(12)}`;
const BRANCH = "codex/calc-7-history";

let remote: BareRepo;
let workspaces: Workspaces;
let repo: RepoConfig;

beforeEach(async () => {
  ({ remote, workspaces, repo } = await makeWorkspacesWorld(tmp, {
    "README.md": "# demo\n",
    "src/app.js": "export const x = 1;\n",
  }));
});

afterEach(() => tmp.cleanup());

/** The agent, unisolated, commits a token and then a commit that takes it out again. */
async function agentCommitsAndRemovesToken(ws: Workspace): Promise<void> {
  await writeFile(path.join(ws.path, "src/config.js"), `export const token = "${TOKEN}";\n`);
  git(ws.path, "add", "-A");
  git(ws.path, "commit", "-q", "-m", "agent: wire the token");
  await rm(path.join(ws.path, "src/config.js"));
  git(ws.path, "add", "-A");
  git(ws.path, "commit", "-q", "-m", "agent: drop it again");
}

/** What publish does: stage, guard, commit, push. Returns the pushed commit. */
async function publish(ws: Workspace, message: string): Promise<string> {
  const staged = await workspaces.stage(ws);
  // The guard sees the final tree only: it has nothing to object to.
  expect(checkPublish(staged, {}, {})).toEqual([]);
  const sha = await workspaces.commitStaged(ws, message, author);
  await workspaces.push(repo, ws);
  return sha ?? "";
}

/** Every object the remote holds, printed: a secret in any blob of any commit shows here. */
function remoteObjects(): string {
  return git(remote.bare, "cat-file", "--batch-all-objects", "--batch");
}

const onRemote = (range: string): string[] =>
  git(remote.bare, "rev-list", range).split("\n").filter(Boolean);

describe("what a publish pushes: one commit per run, never the agent's history", () => {
  it("leaves out agent commits that added a token and took it out again", async () => {
    const ws = await workspaces.prepare(repo, "task-h", BRANCH);
    await agentCommitsAndRemovesToken(ws);
    await writeFile(path.join(ws.path, "src/app.js"), "export const x = 2;\n");

    const sha = await publish(ws, "fix(CALC-7): the fix");

    expect(onRemote(`main..${BRANCH}`)).toEqual([sha]);
    expect(git(remote.bare, "rev-parse", `${sha}^`)).toBe(ws.baseSha);
    expect(git(remote.bare, "log", "-1", "--format=%s", sha)).toBe("fix(CALC-7): the fix");
    expect(git(remote.bare, "show", `${sha}:src/app.js`)).toBe("export const x = 2;");
    expect(remoteObjects()).not.toContain(TOKEN);
    // The local branch is what was pushed, so the next run's diff and commit agree with it.
    expect(git(ws.path, "rev-parse", "HEAD")).toBe(sha);
    expect(git(ws.path, "status", "--porcelain")).toBe("");
  });

  it("builds a follow-up's commit on the one pushed before, so the push fast-forwards", async () => {
    const ws = await workspaces.prepare(repo, "task-h", BRANCH);
    await writeFile(path.join(ws.path, "src/app.js"), "export const x = 2;\n");
    const first = await publish(ws, "run 1");

    await agentCommitsAndRemovesToken(ws);
    await writeFile(path.join(ws.path, "src/app.js"), "export const x = 3;\n");
    const second = await publish(ws, "run 2");

    expect(onRemote(`main..${BRANCH}`)).toEqual([second, first]);
    expect(git(remote.bare, "show", `${second}:src/app.js`)).toBe("export const x = 3;");
    expect(remoteObjects()).not.toContain(TOKEN);
  });

  it("a run that changed nothing since the last push pushes nothing new", async () => {
    const ws = await workspaces.prepare(repo, "task-h", BRANCH);
    await writeFile(path.join(ws.path, "src/app.js"), "export const x = 2;\n");
    const first = await publish(ws, "run 1");
    await agentCommitsAndRemovesToken(ws);

    expect(await publish(ws, "run 2")).toBe(first);
    expect(onRemote(`main..${BRANCH}`)).toEqual([first]);
    expect(remoteObjects()).not.toContain(TOKEN);
  });

  it("merges a moved base as a second parent, dropping the saved work in progress", async () => {
    const ws = await workspaces.prepare(repo, "task-h", BRANCH);
    await writeFile(path.join(ws.path, "src/app.js"), "export const x = 2;\n");
    await writeFile(path.join(ws.path, "notes.txt"), `${TOKEN}\n`);
    const newBase = await commitAndPush(remote, "main", { "README.md": "# demo v2\n" });

    const { workspace: updated, update } = await workspaces.updateFromBase(repo, ws, author);
    expect(update?.conflicts).toEqual([]);
    // The update saved the uncommitted work, token included, in a commit of its own.
    expect(git(ws.path, "log", "--format=%s", "-2")).toContain("Save work in progress");
    await rm(path.join(ws.path, "notes.txt"));
    const sha = await publish(updated, "after the base moved");

    expect(git(remote.bare, "rev-list", "--parents", "-1", sha)).toBe(
      `${sha} ${ws.baseSha} ${newBase}`,
    );
    expect(git(remote.bare, "diff", "--name-only", newBase, sha)).toBe("src/app.js");
    expect(remoteObjects()).not.toContain(TOKEN);
  });

  it("concludes a conflicting base update the agent resolved without committing", async () => {
    const ws = await workspaces.prepare(repo, "task-h", BRANCH);
    await writeFile(path.join(ws.path, "README.md"), "# demo, the task's words\n");
    const newBase = await commitAndPush(remote, "main", { "README.md": "# demo, the base's\n" });
    const { workspace: updated, update } = await workspaces.updateFromBase(repo, ws, author);
    expect(update?.conflicts).toEqual(["README.md"]);

    await writeFile(path.join(ws.path, "README.md"), "# demo, resolved\n");
    const sha = await publish(updated, "resolved");

    expect(git(remote.bare, "rev-list", "--parents", "-1", sha)).toBe(
      `${sha} ${ws.baseSha} ${newBase}`,
    );
    expect(git(remote.bare, "show", `${sha}:README.md`)).toBe("# demo, resolved");
    const gitDir = git(ws.path, "rev-parse", "--absolute-git-dir");
    expect(existsSync(path.join(gitDir, "MERGE_HEAD"))).toBe(false);
  });

  it("a re-run's new worktree builds on the branch already pushed, and removal forgets it", async () => {
    const first = await workspaces.prepare(repo, "task-h", BRANCH);
    await writeFile(path.join(first.path, "src/app.js"), "export const x = 2;\n");
    const pushed = await publish(first, "run 1");
    const mirror = git(first.path, "rev-parse", "--path-format=absolute", "--git-common-dir");
    await workspaces.remove("task-h");
    expect(git(mirror, "for-each-ref", "--format=%(refname)", "refs/patchboard/")).toBe("");

    const again = await workspaces.prepare(repo, "task-h2", BRANCH);
    await agentCommitsAndRemovesToken(again);
    await writeFile(path.join(again.path, "src/app.js"), "export const x = 4;\n");
    const sha = await publish(again, "run 2");

    expect(onRemote(`main..${BRANCH}`)).toEqual([sha, pushed]);
    expect(remoteObjects()).not.toContain(TOKEN);
  });
});
