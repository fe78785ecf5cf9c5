import { mkdir, readFile, rm, symlink, writeFile } from "node:fs/promises";
import path from "node:path";
import { pino } from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createGitWorkspaces } from "../../server/adapters/git/index.js";
import { createBubblewrapSandbox, detectIsolation } from "../../server/adapters/isolation/index.js";
import { linkedWorktreeGit } from "../../server/adapters/isolation/linked-worktree-git.js";
import type { EnvironmentDeps } from "../../server/domain/environment/environment-settings.js";
import { runRepoCommand } from "../../server/domain/environment/run-repo-command.js";
import type { RepoConfig } from "../../server/domain/repo-config.js";
import type { Workspace } from "../../server/domain/ports/workspaces.js";
import { testEnvironmentDeps } from "../support/environment-fixtures.js";
import { fixtureRepoConfig, git, makeBareRepo, TempDirs } from "../support/git-fixtures.js";

/**
 * Git inside the sandbox, on a real DATA_DIR laid out by the real git adapter: a setup or
 * test script's git works in the task's worktree, which sees its own git directory and its
 * mirror read-only and nothing else of `DATA_DIR/workspaces`; a `.git` file forged to
 * point elsewhere gets no git mounts at all.
 */

const support = await detectIsolation();
if (!support.available) throw new Error(`bubblewrap must work for these tests: ${support.reason}`);

const logger = pino({ level: "silent" });
const tmp = new TempDirs();
let dataDir: string;
let deps: EnvironmentDeps;
let repo: RepoConfig;
let mine: Workspace;
let other: Workspace;
let otherRepoWorktree: Workspace;

/** Runs a command as a setup script of `workdir`'s task (network on, like setup). */
async function setup(command: string, workdir = mine.path) {
  const dirs = await deps.environments.dirs(repo.github, "task-1");
  return runRepoCommand(deps, { kind: "setup", repo, command, workdir, dirs });
}

beforeAll(async () => {
  dataDir = await tmp.make("pb-isolation-git-");
  const workspaces = createGitWorkspaces({ root: path.join(dataDir, "workspaces"), logger });
  const remote = await makeBareRepo(tmp);
  const otherRemote = await makeBareRepo(tmp, { "OTHER.md": "another repository\n" });
  repo = fixtureRepoConfig(remote.bare, { github: "acme/calc" });
  mine = await workspaces.prepare(repo, "task-1", "codex/task-1");
  other = await workspaces.prepare(repo, "task-2", "codex/task-2");
  otherRepoWorktree = await workspaces.prepare(
    fixtureRepoConfig(otherRemote.bare, { github: "acme/other" }),
    "task-3",
    "codex/task-3",
  );
  await writeFile(path.join(other.path, "OTHER-TASK.txt"), "OTHER-TASK-SECRET\n");
  await writeFile(path.join(dataDir, "patchboard.db"), "DATABASE-SECRET\n");
  deps = testEnvironmentDeps(
    dataDir,
    createBubblewrapSandbox({ bwrapPath: support.bwrapPath }),
    logger,
  );
}, 60_000);

afterAll(() => tmp.cleanup());

describe("git inside the sandbox", () => {
  it("runs a setup script's git in the task's worktree", async () => {
    const result = await setup(
      "git rev-parse HEAD && git status --porcelain && git log --format=%s -1",
    );
    expect(result.exitCode).toBe(0);
    const [head, subject] = result.outputTail.trim().split("\n");
    expect(head).toBe(git(mine.path, "rev-parse", "HEAD"));
    expect(subject).toBe(git(mine.path, "log", "--format=%s", "-1"));
  });

  it("sees its own worktree and mirror in DATA_DIR/workspaces, nothing else", async () => {
    const workspaces = path.join(dataDir, "workspaces");
    const mirror = path.join(workspaces, "mirrors", "acme__calc.git");
    const result = await setup(
      [
        `ls ${workspaces}/worktrees`,
        `ls ${workspaces}/mirrors`,
        `ls ${mirror}/worktrees`,
        `cat ${other.path}/OTHER-TASK.txt || echo no-other-task`,
        `cat ${dataDir}/patchboard.db || echo no-database`,
        `ls ${otherRepoWorktree.path} || echo no-other-repository`,
      ].join("; "),
    );
    expect(result.outputTail).not.toContain("SECRET");
    const lines = result.outputTail.split("\n").filter((line) => !line.includes("No such file"));
    expect(lines.filter(Boolean)).toEqual([
      "task-1",
      "acme__calc.git",
      "task-1",
      "no-other-task",
      "no-database",
      "no-other-repository",
    ]);
  });

  it("cannot change the git directories the server's own git reads", async () => {
    const result = await setup(
      [
        "git config core.hooksPath /tmp/hooks 2>/dev/null || echo config-refused",
        '(echo /elsewhere > "$(git rev-parse --git-dir)/commondir") 2>/dev/null || echo commondir-refused',
        "git commit --allow-empty -qm sneaky 2>/dev/null || echo commit-refused",
      ].join("; "),
    );
    expect(result.outputTail.trim().split("\n")).toEqual([
      "config-refused",
      "commondir-refused",
      "commit-refused",
    ]);
    const mirror = path.join(dataDir, "workspaces", "mirrors", "acme__calc.git");
    expect(await readFile(path.join(mirror, "config"), "utf8")).not.toContain("hooks");
    expect(git(mine.path, "rev-parse", "--git-common-dir")).toBe(mirror);
  });
});

describe("a forged .git file", () => {
  /** A worktree whose `.git` the agent replaced; restored afterwards. */
  async function forged(dotGit: (gitFile: string) => Promise<void>): Promise<string> {
    const workdir = path.join(dataDir, "workspaces", "worktrees", "task-forged");
    await rm(workdir, { recursive: true, force: true });
    await mkdir(workdir, { recursive: true });
    await dotGit(path.join(workdir, ".git"));
    return workdir;
  }

  it("pointing at DATA_DIR mounts nothing of it", async () => {
    const workdir = await forged((file) => writeFile(file, `gitdir: ${dataDir}\n`));
    expect(linkedWorktreeGit(workdir)).toBeNull();
    const result = await setup(`cat ${dataDir}/patchboard.db || echo no-database`, workdir);
    expect(result.outputTail.trim().split("\n").at(-1)).toBe("no-database");
  });

  it("pointing at another task's git directory, or linking to its .git, is refused", async () => {
    const otherGitDir = git(other.path, "rev-parse", "--absolute-git-dir");
    expect(
      linkedWorktreeGit(await forged((file) => writeFile(file, `gitdir: ${otherGitDir}\n`))),
    ).toBeNull();
    expect(
      linkedWorktreeGit(await forged((file) => symlink(path.join(other.path, ".git"), file))),
    ).toBeNull();
    // The real worktrees are believed, each with its own git directory.
    expect(linkedWorktreeGit(other.path)?.gitDir).toBe(otherGitDir);
  });

  it("naming a git directory it made itself, whose commondir names DATA_DIR, is refused", async () => {
    // A fake `<x>/worktrees/<y>` in a folder the agent can write, pointing back at its .git.
    const home = (await deps.environments.dirs(repo.github, "task-1")).home;
    const fakeGitDir = path.join(home, "fake", "worktrees", "y");
    await mkdir(fakeGitDir, { recursive: true });
    const workdir = await forged((file) => writeFile(file, `gitdir: ${fakeGitDir}\n`));
    await writeFile(path.join(fakeGitDir, "gitdir"), `${path.join(workdir, ".git")}\n`);
    await writeFile(path.join(fakeGitDir, "commondir"), `${dataDir}\n`);
    expect(linkedWorktreeGit(workdir)).toBeNull();
  });
});
