import { existsSync } from "node:fs";
import { readdir, readFile, stat, writeFile } from "node:fs/promises";
import path from "node:path";
import pino from "pino";
import { createGitWorkspaces, type WorkspaceUpkeep } from "../../server/adapters/git/index.js";
import { countWarmWorktrees } from "../../server/adapters/git/warm-pool.js";
import type { RepoConfig } from "../../server/domain/repo-config.js";
import type { Workspaces } from "../../server/domain/ports/workspaces.js";
import {
  commitAndPush,
  git,
  makeBareRepo,
  TempDirs,
  type BareRepo,
} from "../support/git-fixtures.js";

const logger = pino({ level: "silent" });
const tmp = new TempDirs();

let remote: BareRepo;
let root: string;
let mirror: string;
let workspaces: Workspaces & WorkspaceUpkeep;
let repo: RepoConfig;
/** How many warm worktrees the pool settles at, waited for before the directories go. */
let settled = 2;

beforeEach(async () => {
  settled = 2;
  remote = await makeBareRepo(tmp, {
    "README.md": "# demo\n",
    "src/app.js": "export const x = 1;\n",
    ".gitignore": "*.log\nnode_modules/\n",
  });
  root = path.join(await tmp.make("patchboard-warm-"), "workspaces");
  mirror = path.join(root, "mirrors", "acme__calc.git");
  workspaces = createGitWorkspaces({ root, logger, warmWorktrees: 2 });
  repo = {
    jiraProject: "CALC",
    github: "acme/calc",
    baseBranch: "main",
    cloneUrl: remote.bare,
    testCommand: null,
    reviewers: [],
  };
});

afterEach(async () => {
  await waitForWarm(settled).catch(() => undefined); // no refill may write into a removed directory
  await tmp.cleanup();
});

/** Waits until the pool holds `count` ready worktrees. */
async function waitForWarm(count: number): Promise<void> {
  for (let i = 0; i < 200; i += 1) {
    if ((await countWarmWorktrees(path.join(root, "warm"), mirror)) >= count) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`the pool never reached ${count} warm worktrees`);
}

async function warmDirs(): Promise<string[]> {
  const parent = path.join(root, "warm", "acme__calc");
  return (await readdir(parent).catch(() => [] as string[])).map((n) => path.join(parent, n));
}

/** The whole seconds of a file's modification time: git's granularity for racy entries. */
async function mtimeSecond(file: string): Promise<number> {
  return Math.floor((await stat(file)).mtimeMs / 1000);
}

describe("warm worktree pool", () => {
  it("hands out warm worktrees whose index git can trust without re-reading every file", async () => {
    await workspaces.prepare(repo, "task-a", "codex/calc-1-first");
    await waitForWarm(2);
    for (const dir of await warmDirs()) {
      const gitDir = git(dir, "rev-parse", "--absolute-git-dir");
      const files = git(dir, "ls-files").split("\n");
      const newest = Math.max(
        ...(await Promise.all(files.map((f) => mtimeSecond(path.join(dir, f))))),
      );
      // Written in a later second than every file: no entry is "racily clean".
      expect(await mtimeSecond(path.join(gitDir, "index"))).toBeGreaterThan(newest);
      expect(git(dir, "status", "--porcelain")).toBe("");
    }
  });

  it("hands out a warm worktree at an unchanged base without writing any file", async () => {
    await workspaces.prepare(repo, "task-a", "codex/calc-1-first");
    await waitForWarm(2);
    const indexOf = (dir: string) =>
      path.join(git(dir, "rev-parse", "--absolute-git-dir"), "index");
    const before = new Map<string, { index: string; indexMtime: number; fileMtime: number }>();
    for (const dir of await warmDirs()) {
      before.set(dir, {
        index: indexOf(dir),
        indexMtime: (await stat(indexOf(dir))).mtimeMs,
        fileMtime: (await stat(path.join(dir, "src/app.js"))).mtimeMs,
      });
    }
    const ws = await workspaces.prepare(repo, "task-b", "codex/calc-2-second");
    const claimed = before.get([...before.keys()].find((dir) => !existsSync(dir)) ?? "");
    expect(claimed).toBeDefined();
    // Neither the files nor the index were rewritten: the claim only switched branches.
    expect(indexOf(ws.path)).toBe(claimed?.index);
    expect((await stat(indexOf(ws.path))).mtimeMs).toBe(claimed?.indexMtime);
    expect((await stat(path.join(ws.path, "src/app.js"))).mtimeMs).toBe(claimed?.fileMtime);
    expect(git(ws.path, "rev-parse", "--abbrev-ref", "HEAD")).toBe("codex/calc-2-second");
    expect(git(ws.path, "rev-parse", "HEAD")).toBe(ws.baseSha);
    expect(git(ws.path, "status", "--porcelain", "--ignored")).toBe("");
    await waitForWarm(2);
  });

  it("warms a repository up before its first task, and stops filling when told", async () => {
    await workspaces.warmUp([
      repo,
      { ...repo, github: "acme/missing", cloneUrl: "/nonexistent.git" },
    ]);
    // The reachable repository is cloned and warm; the unreachable one is only logged.
    expect(await countWarmWorktrees(path.join(root, "warm"), mirror)).toBe(2);
    expect(existsSync(path.join(root, "mirrors", "acme__missing.git"))).toBe(false);
    await workspaces.stop();
    // Nothing refills after a stop; claims still work, then fresh worktrees.
    for (const [id, left] of [
      ["task-a", 1],
      ["task-b", 0],
      ["task-c", 0],
    ] as const) {
      const ws = await workspaces.prepare(repo, id, `codex/${id}`);
      expect(git(ws.path, "rev-parse", "--abbrev-ref", "HEAD")).toBe(`codex/${id}`);
      expect(await countWarmWorktrees(path.join(root, "warm"), mirror)).toBe(left);
    }
    settled = 0;
  });

  it("refills after the first task and hands warm worktrees to the next ones", async () => {
    await workspaces.prepare(repo, "task-a", "codex/calc-1-first");
    await waitForWarm(2);
    const warmed = await warmDirs();
    const b = await workspaces.prepare(repo, "task-b", "codex/calc-2-second");
    // One warm worktree was moved to the task's path; the pool fills up again behind it.
    expect(warmed.filter((dir) => existsSync(dir))).toHaveLength(1);
    expect(git(b.path, "rev-parse", "--abbrev-ref", "HEAD")).toBe("codex/calc-2-second");
    expect(git(b.path, "status", "--porcelain")).toBe("");
    expect(await workspaces.find("task-b")).toEqual(b);
    await waitForWarm(2);
  });

  it("hands out a clean worktree at the latest base even after the base moved and it was dirtied", async () => {
    await workspaces.prepare(repo, "task-a", "codex/calc-1-first");
    await waitForWarm(2);
    // A claim at a moved base resets the worktree to it (checkout --force and clean), so
    // even files someone left in a warm worktree do not reach the task — except git-ignored
    // ones: those are what the repository's setup installed (node_modules…), kept on purpose
    // for the task's environment. (At an unchanged base the claim trusts the pool: nothing
    // touches a worktree once it is marked ready.)
    for (const dir of await warmDirs()) {
      await writeFile(path.join(dir, "src/app.js"), "export const x = 'stale';\n");
      await writeFile(path.join(dir, "left-behind.txt"), "secret\n");
      await writeFile(path.join(dir, "debug.log"), "ignored but stale\n");
      git(dir, "add", "left-behind.txt");
    }
    const newMain = await commitAndPush(remote, "main", {
      "src/app.js": "export const x = 2;\n",
      "src/added.js": "export const y = 1;\n",
    });

    const ws = await workspaces.prepare(repo, "task-b", "codex/calc-2-second");

    expect(ws.baseSha).toBe(newMain);
    expect(git(ws.path, "rev-parse", "HEAD")).toBe(newMain);
    expect(git(ws.path, "rev-parse", "--abbrev-ref", "HEAD")).toBe("codex/calc-2-second");
    expect(git(ws.path, "status", "--porcelain", "--ignored")).toBe("!! debug.log");
    expect(await readFile(path.join(ws.path, "src/app.js"), "utf8")).toBe("export const x = 2;\n");
    expect(existsSync(path.join(ws.path, "left-behind.txt"))).toBe(false);
    expect(existsSync(path.join(ws.path, "debug.log"))).toBe(true);
    expect(await workspaces.diff(ws)).toBe("");
  });

  it("gives concurrent tasks distinct worktrees, warm first, then fresh ones", async () => {
    await workspaces.prepare(repo, "task-0", "codex/calc-0-zero");
    await waitForWarm(2);
    const ids = ["task-1", "task-2", "task-3"];
    const all = await Promise.all(
      ids.map((id, i) => workspaces.prepare(repo, id, `codex/calc-${i + 1}`)),
    );
    expect(new Set(all.map((ws) => ws.path)).size).toBe(3);
    const heads = all.map((ws) => git(ws.path, "rev-parse", "--abbrev-ref", "HEAD"));
    expect(heads).toEqual(["codex/calc-1", "codex/calc-2", "codex/calc-3"]);
    // Each task's worktree is registered with git exactly once, at its own path.
    const listed = git(mirror, "worktree", "list", "--porcelain");
    for (const ws of all) expect(listed.split(`worktree ${ws.path}\n`)).toHaveLength(2);
    await waitForWarm(2);
  });

  it("continues an existing remote branch and can remove a claimed worktree", async () => {
    await workspaces.prepare(repo, "task-a", "codex/calc-1-first");
    await waitForWarm(2);
    const mainSha = git(remote.bare, "rev-parse", "main");
    const tip = await commitAndPush(remote, "codex/calc-3-rerun", {
      "src/app.js": "export const x = 3;\n",
    });
    const ws = await workspaces.prepare(repo, "task-c", "codex/calc-3-rerun");
    expect(ws.baseSha).toBe(mainSha);
    expect(git(ws.path, "rev-parse", "HEAD")).toBe(tip);
    await workspaces.remove("task-c");
    expect(existsSync(ws.path)).toBe(false);
    expect(git(mirror, "worktree", "list", "--porcelain")).not.toContain(ws.path);
  });

  it("adopts the warm worktrees a previous process finished", async () => {
    await workspaces.prepare(repo, "task-a", "codex/calc-1-first");
    await waitForWarm(2);
    const before = await warmDirs();
    const restarted = createGitWorkspaces({ root, logger, warmWorktrees: 2 });
    await restarted.prepare(repo, "task-b", "codex/calc-2-second"); // first use: scans and adopts
    const ws = await restarted.prepare(repo, "task-c", "codex/calc-3-third");
    expect(before.filter((dir) => !existsSync(dir))).toHaveLength(1);
    expect(git(ws.path, "status", "--porcelain")).toBe("");
  });

  it("makes fresh worktrees when the pool is turned off", async () => {
    settled = 0;
    const cold = createGitWorkspaces({ root, logger, warmWorktrees: 0 });
    const ws = await cold.prepare(repo, "task-a", "codex/calc-1-first");
    expect(git(ws.path, "rev-parse", "--abbrev-ref", "HEAD")).toBe("codex/calc-1-first");
    // warmUp waits for the repository's refill to end, so with a pool this would see its worktrees.
    await cold.warmUp([repo]);
    expect(await warmDirs()).toEqual([]);
  });
});
