import { existsSync } from "node:fs";
import { chmod, mkdir, readFile, rm, symlink, writeFile } from "node:fs/promises";
import path from "node:path";
import pino from "pino";
import { createGitWorkspaces } from "../../server/adapters/git/index.js";
import { fixtureRepoConfig, git, makeBareRepo, TempDirs } from "../support/git-fixtures.js";

const logger = pino({ level: "silent" });
const tmp = new TempDirs();
const author = { name: "Patchboard", email: "patchboard@example.test" };

afterEach(() => tmp.cleanup());

/**
 * Plants, in the git config a worktree reads (its mirror's, shared by every worktree),
 * everything that makes git run a command: hooks (by core.hooksPath and in the mirror's
 * own hooks/), an fsmonitor command, a filter driver (clean, smudge and process, marked
 * required), a textconv and external diff driver and a merge driver, all named by a
 * .gitattributes. Each one appends its name to `ran` when it runs.
 */
async function plant(mirror: string, marks: string): Promise<string> {
  const ran = path.join(marks, "ran");
  const script = async (name: string, body = "", dir = marks): Promise<string> => {
    const file = path.join(dir, name);
    await mkdir(path.dirname(file), { recursive: true });
    await writeFile(file, `#!/bin/sh\necho ${name} >> "${ran}"\n${body}`);
    await chmod(file, 0o755);
    return file;
  };
  const hooks = path.join(marks, "hooks");
  for (const hook of [
    "pre-commit",
    "post-commit",
    "commit-msg",
    "pre-push",
    "post-checkout",
    "reference-transaction",
    "post-index-change",
  ]) {
    await script(path.join("hooks", hook));
    await script(hook, "", path.join(mirror, "hooks"));
  }
  const set = (key: string, value: string) => git(mirror, "config", key, value);
  set("core.hooksPath", hooks);
  set("core.fsmonitor", await script("fsmonitor"));
  set("filter.evil.clean", await script("clean", "cat\n"));
  set("filter.evil.smudge", await script("smudge", "cat\n"));
  set("filter.evil.process", await script("process"));
  set("filter.evil.required", "true");
  set("diff.evil.textconv", await script("textconv", 'cat "$1"\n'));
  set("diff.evil.command", await script("extdiff"));
  set("merge.evil.driver", await script("mergedriver"));
  return ran;
}

describe("the server's own git commands run nothing a repository's config names", () => {
  it("no hook, fsmonitor, filter or driver runs through prepare, diff, stage, commit and push", async () => {
    const remote = await makeBareRepo(tmp, {
      "README.md": "# demo\n",
      "src/app.js": "export const x = 1;\n",
      ".gitattributes": "* filter=evil diff=evil merge=evil\n",
    });
    const repo = fixtureRepoConfig(remote.bare);
    const root = path.join(await tmp.make("patchboard-hardened-"), "workspaces");
    const workspaces = createGitWorkspaces({ root, logger, warmWorktrees: 1 });
    const first = await workspaces.prepare(repo, "task-a", "codex/calc-1-first");
    // The refill that prepare started ends before the plant: a git command reads the config
    // as it starts, and the plant stands for a config that was there before git ran.
    await workspaces.warmUp([repo]);
    const mirror = path.join(root, "mirrors", "acme__calc.git");
    const marks = await tmp.make("patchboard-marks-");
    const ran = await plant(mirror, marks);

    // A warm worktree is claimed (reset, move, switch) and the pool refilled (worktree add)
    // under the plant.
    const ws = await workspaces.prepare(repo, "task-b", "codex/calc-2-second");
    await writeFile(path.join(ws.path, "src/app.js"), "export const x = 2;\n");
    await writeFile(path.join(ws.path, "src/new.js"), "export const y = 1;\n");
    expect(await workspaces.diff(ws)).toContain("+export const x = 2;");
    const staged = await workspaces.stage(ws);
    expect(staged.files.map((f) => f.path).sort()).toEqual(["src/app.js", "src/new.js"]);
    const sha = await workspaces.commitStaged(ws, "CALC-2: fix", author);
    await workspaces.push(repo, ws);
    expect(git(remote.bare, "rev-parse", "refs/heads/codex/calc-2-second")).toBe(sha);
    // The first worktree, made before the plant, is committed and pushed the same way.
    await writeFile(path.join(first.path, "README.md"), "# demo 2\n");
    await workspaces.stage(first);
    await workspaces.commitStaged(first, "CALC-1: fix", author);
    await workspaces.push(repo, first);
    await workspaces.remove("task-a");
    await workspaces.stop();

    expect(existsSync(ran) ? await readFile(ran, "utf8") : "").toBe("");

    // The plant is live: git as a person runs it, in the same worktree.
    await writeFile(path.join(ws.path, "src/app.js"), "export const x = 3;\n");
    // The process filter does not speak git's protocol and is required, so this add fails
    // after running it: the failure is the evidence, not something to hide.
    expect(() => git(ws.path, "add", "--all")).toThrow(/git add/);
    git(ws.path, "update-ref", "refs/heads/control", "HEAD");
    const seen = (await readFile(ran, "utf8")).split("\n");
    expect(seen).toEqual(
      expect.arrayContaining(["hooks/reference-transaction", "fsmonitor", "process"]),
    );
  });

  it("refuses a worktree whose .git file points at another git directory", async () => {
    const remote = await makeBareRepo(tmp);
    const root = path.join(await tmp.make("patchboard-hardened-"), "workspaces");
    const workspaces = createGitWorkspaces({ root, logger });
    const ws = await workspaces.prepare(fixtureRepoConfig(remote.bare), "task-a", "codex/calc-1-a");
    // The agent can write the worktree's .git file: it makes its own repository and points there.
    const own = path.join(ws.path, "own");
    git(ws.path, "init", "--quiet", `--initial-branch=${ws.branch}`, own);
    await writeFile(path.join(ws.path, ".git"), `gitdir: ${path.join(own, ".git")}\n`);
    await expect(workspaces.stage(ws)).rejects.toMatchObject({
      code: "git_failed",
      message: expect.stringContaining("its .git file does not name a linked worktree"),
    });
  });

  it("refuses a worktree whose .git is a link to another task's .git file", async () => {
    const remote = await makeBareRepo(tmp);
    const root = path.join(await tmp.make("patchboard-hardened-"), "workspaces");
    const workspaces = createGitWorkspaces({ root, logger });
    const repo = fixtureRepoConfig(remote.bare);
    const a = await workspaces.prepare(repo, "task-a", "codex/calc-1-a");
    const b = await workspaces.prepare(repo, "task-b", "codex/calc-2-b");
    // Followed, the link passes the back-pointer check, and the server's commit of task b's
    // tree would land on task a's branch.
    await rm(path.join(b.path, ".git"));
    await symlink(path.join(a.path, ".git"), path.join(b.path, ".git"));
    await writeFile(path.join(b.path, "src.txt"), "b's change\n");
    await expect(workspaces.stage(b)).rejects.toMatchObject({
      code: "git_failed",
      message: expect.stringContaining("its .git is a link"),
    });
    expect(git(a.path, "status", "--porcelain")).toBe("");
  });
});
