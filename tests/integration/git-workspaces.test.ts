import { existsSync } from "node:fs";
import { mkdir, readFile, rm, stat, writeFile } from "node:fs/promises";
import path from "node:path";
import { isAppError } from "../../server/domain/app-error.js";
import type { RepoConfig } from "../../server/domain/repo-config.js";
import type { Workspaces } from "../../server/domain/ports/workspaces.js";
import {
  commitAndPush,
  git,
  makeBareRepo,
  makeWorkspacesWorld,
  TempDirs,
  type BareRepo,
} from "../support/git-fixtures.js";

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
const author = { name: "Patchboard", email: "patchboard@example.test" };
const tmp = new TempDirs();

let remote: BareRepo;
let root: string;
let workspaces: Workspaces;
let repo: RepoConfig;

beforeEach(async () => {
  ({ remote, root, workspaces, repo } = await makeWorkspacesWorld(tmp, {
    "README.md": "# demo\n",
    "src/app.js": "export const x = 1;\n",
    "src/old.js": "obsolete\n",
    ".gitignore": "*.log\n",
  }));
});

afterEach(() => tmp.cleanup());

async function expectAppError(promise: Promise<unknown>, code: string): Promise<void> {
  const error: unknown = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(isAppError(error) ? error.code : error).toBe(code);
}

describe("git workspaces", () => {
  it("prepares worktrees for two tasks of one repository concurrently", async () => {
    const mainSha = git(remote.bare, "rev-parse", "main");
    const [a, b] = await Promise.all([
      workspaces.prepare(repo, "task-a", "codex/calc-1-first"),
      workspaces.prepare(repo, "task-b", "codex/calc-2-second"),
    ]);
    expect(a).toEqual({
      path: path.join(root, "worktrees", "task-a"),
      branch: "codex/calc-1-first",
      baseSha: mainSha,
    });
    expect(b.baseSha).toBe(mainSha);
    expect(git(a.path, "rev-parse", "--abbrev-ref", "HEAD")).toBe("codex/calc-1-first");
    expect(git(b.path, "rev-parse", "--abbrev-ref", "HEAD")).toBe("codex/calc-2-second");
    expect(await readFile(path.join(b.path, "src/app.js"), "utf8")).toBe("export const x = 1;\n");
    expect(existsSync(path.join(root, "mirrors", "acme__calc.git", "HEAD"))).toBe(true);
  });

  it("fetches the existing mirror instead of cloning it again", async () => {
    await workspaces.prepare(repo, "task-a", "codex/calc-1-first");
    const mirror = path.join(root, "mirrors", "acme__calc.git");
    const marker = path.join(mirror, "patchboard-test-marker");
    await writeFile(marker, "still here");
    const inode = (await stat(mirror)).ino;

    const newMain = await commitAndPush(remote, "main", { "src/app.js": "export const x = 2;\n" });
    const b = await workspaces.prepare(repo, "task-b", "codex/calc-2-second");

    expect(existsSync(marker)).toBe(true);
    expect((await stat(mirror)).ino).toBe(inode);
    expect(b.baseSha).toBe(newMain);
    expect(await readFile(path.join(b.path, "src/app.js"), "utf8")).toBe("export const x = 2;\n");
  });

  it("fetches from the configured URL even after someone else rewrote the mirror's config", async () => {
    await workspaces.prepare(repo, "task-a", "codex/calc-1-first"); // the clone
    await workspaces.prepare(repo, "task-b", "codex/calc-2-second"); // a fetch: URL checked
    const mirror = path.join(root, "mirrors", "acme__calc.git");
    // The URL the server checked last is remembered; a change it did not make must be seen.
    git(mirror, "config", "remote.origin.url", "/nonexistent/elsewhere.git");
    const newMain = await commitAndPush(remote, "main", { "src/app.js": "export const x = 3;\n" });
    const c = await workspaces.prepare(repo, "task-c", "codex/calc-3-third");
    expect(git(mirror, "config", "--get", "remote.origin.url")).toBe(remote.bare);
    expect(c.baseSha).toBe(newMain);
    // And a repositories file naming another remote moves the mirror to it.
    const moved = await makeBareRepo(tmp, { "README.md": "# moved\n" });
    const d = await workspaces.prepare(
      { ...repo, cloneUrl: moved.bare },
      "task-d",
      "codex/calc-4-fourth",
    );
    expect(git(mirror, "config", "--get", "remote.origin.url")).toBe(moved.bare);
    expect(d.baseSha).toBe(git(moved.bare, "rev-parse", "main"));
  });

  it("reuses a task's existing worktree as it is", async () => {
    const first = await workspaces.prepare(repo, "task-a", "codex/calc-1-first");
    await writeFile(path.join(first.path, "work-in-progress.txt"), "keep me\n");
    const again = await workspaces.prepare(repo, "task-a", "codex/calc-1-first");
    expect(again).toEqual(first);
    expect(await readFile(path.join(again.path, "work-in-progress.txt"), "utf8")).toBe("keep me\n");
    expect(await workspaces.find("task-a")).toEqual(first);
    expect(await workspaces.find("task-unknown")).toBeNull();
  });

  it("continues a branch that already exists on the remote", async () => {
    const mainSha = git(remote.bare, "rev-parse", "main");
    const tip = await commitAndPush(remote, "codex/calc-3-rerun", {
      "src/app.js": "export const x = 3;\n",
    });
    const ws = await workspaces.prepare(repo, "task-c", "codex/calc-3-rerun");
    expect(ws.baseSha).toBe(mainSha);
    expect(git(ws.path, "rev-parse", "HEAD")).toBe(tip);
    expect(await workspaces.diff(ws)).toContain("+export const x = 3;");
  });

  it("diffs new, modified, deleted and binary files without touching the index", async () => {
    const ws = await workspaces.prepare(repo, "task-a", "codex/calc-1-first");
    await writeFile(path.join(ws.path, "src/app.js"), "export const x = 42;\n");
    await rm(path.join(ws.path, "src/old.js"));
    await writeFile(path.join(ws.path, "src/new.js"), "export const y = 'new';\n");
    await writeFile(
      path.join(ws.path, "logo.png"),
      Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 1, 2, 0, 255]),
    );
    await writeFile(path.join(ws.path, "debug.log"), "ignored\n");
    await writeFile(path.join(ws.path, "README.md"), "# demo\nstaged line\n");
    git(ws.path, "add", "README.md");
    const statusBefore = git(ws.path, "status", "--porcelain");

    const diff = await workspaces.diff(ws);

    expect(diff).toContain("diff --git a/src/app.js b/src/app.js");
    expect(diff).toContain("+export const x = 42;");
    expect(diff).toContain("diff --git a/src/old.js b/src/old.js\ndeleted file mode 100644");
    expect(diff).toContain("diff --git a/src/new.js b/src/new.js\nnew file mode 100644");
    expect(diff).toContain("+staged line");
    expect(diff).toContain("Binary files /dev/null and b/logo.png differ");
    expect(diff).not.toContain("debug.log");
    expect(git(ws.path, "status", "--porcelain")).toBe(statusBefore);
  });

  // Git compares file times to the whole second here, and trusts a cached stat only for
  // files older than the index. An edit of the same size in the second the worktree was
  // checked out is caught only by that rule, which a freshly stamped index copy breaks.
  it("sees a same-size edit made in the second the worktree was checked out", async () => {
    await workspaces.prepare(repo, "warm-up", "codex/calc-0-mirror"); // the clone, out of the way
    const second = (ms: number): number => Math.floor(ms / 1000);
    for (let attempt = 1; ; attempt += 1) {
      // Start just past a second boundary so checkout and edit fit in one second.
      await sleep(1005 - (Date.now() % 1000));
      const ws = await workspaces.prepare(repo, `task-${attempt}`, `codex/calc-${attempt}-same`);
      const file = path.join(ws.path, "src/app.js");
      await writeFile(file, "export const x = 2;\n"); // in place: same inode, same size
      const index = path.join(git(ws.path, "rev-parse", "--absolute-git-dir"), "index");
      const [edited, indexed] = await Promise.all([stat(file), stat(index)]);
      const oneSecond =
        second(edited.mtimeMs) === second(indexed.mtimeMs) &&
        second(edited.ctimeMs) === second(indexed.mtimeMs);
      if (!oneSecond) {
        expect(attempt, "checkout and edit never fitted in one second").toBeLessThan(5);
        continue;
      }
      await sleep(1005 - (Date.now() % 1000)); // the diff runs in a later second
      expect(await workspaces.diff(ws)).toContain("+export const x = 2;");
      return;
    }
  });

  it("includes commits the agent made itself in the diff", async () => {
    const ws = await workspaces.prepare(repo, "task-a", "codex/calc-1-first");
    await writeFile(path.join(ws.path, "src/app.js"), "export const x = 7;\n");
    git(ws.path, "commit", "-q", "-am", "agent commit");
    expect(await workspaces.diff(ws)).toContain("+export const x = 7;");
  });

  it("stages everything, commits exactly that and pushes the branch to the remote", async () => {
    const ws = await workspaces.prepare(repo, "task-a", "codex/calc-1-first");
    expect(await workspaces.stage(ws)).toEqual({ diff: "", files: [] });
    expect(await workspaces.commitStaged(ws, "nothing yet", author)).toBeNull();

    await writeFile(path.join(ws.path, "src/new.js"), "export const y = 1;\n");
    await rm(path.join(ws.path, "src/old.js"));
    await writeFile(path.join(ws.path, "debug.log"), "ignored\n");
    const change = await workspaces.stage(ws);
    expect(change.files.map((f) => [f.path, f.status]).sort()).toEqual([
      ["src/new.js", "added"],
      ["src/old.js", "deleted"],
    ]);
    const staged = change.diff;
    expect(staged).toContain("diff --git a/src/new.js b/src/new.js\nnew file mode 100644");
    expect(staged).toContain("diff --git a/src/old.js b/src/old.js\ndeleted file mode 100644");
    expect(staged).not.toContain("debug.log");
    // The read-only diff and the staged change agree.
    expect(await workspaces.diff(ws)).toBe(staged);
    const sha = await workspaces.commitStaged(
      ws,
      "\nCALC-1: fix the thing  \n\n\n## What changed \n\nPatchboard task 1\n\n",
      author,
    );
    expect(sha).toMatch(/^[0-9a-f]{40}$/);
    expect(git(ws.path, "log", "-1", "--format=%an <%ae>|%cn <%ce>|%s")).toBe(
      "Patchboard <patchboard@example.test>|Patchboard <patchboard@example.test>|CALC-1: fix the thing",
    );
    // Cleaned like `git commit -m` would (a markdown heading is kept, not taken for a comment).
    expect(git(ws.path, "log", "-1", "--format=%B")).toBe(
      "CALC-1: fix the thing\n\n## What changed\n\nPatchboard task 1",
    );
    expect(git(ws.path, "rev-parse", "HEAD^")).toBe(ws.baseSha);
    expect(git(ws.path, "rev-parse", "--abbrev-ref", "HEAD")).toBe("codex/calc-1-first");
    expect(git(ws.path, "status", "--porcelain")).toBe("");
    expect(git(ws.path, "diff", "--no-color", ws.baseSha, "HEAD") + "\n").toBe(staged);

    await workspaces.push(repo, ws);
    expect(git(remote.bare, "rev-parse", "refs/heads/codex/calc-1-first")).toBe(sha);
    expect(git(remote.bare, "show", `${sha ?? ""}:src/new.js`)).toBe("export const y = 1;");
    expect(git(remote.bare, "for-each-ref", "--format=%(refname)", "refs/heads")).toBe(
      "refs/heads/codex/calc-1-first\nrefs/heads/main",
    );
  });

  it("publishes an agent's own commit as the server's one commit on the base", async () => {
    const ws = await workspaces.prepare(repo, "task-a", "codex/calc-1-first");
    await writeFile(path.join(ws.path, "src/app.js"), "export const x = 9;\n");
    git(ws.path, "commit", "-q", "-am", "agent commit");
    const agentTree = git(ws.path, "rev-parse", "HEAD^{tree}");
    expect((await workspaces.stage(ws)).diff).toContain("+export const x = 9;");
    const sha = await workspaces.commitStaged(ws, "server commit", author);
    expect(sha).toBe(git(ws.path, "rev-parse", "HEAD"));
    expect(git(ws.path, "log", "--format=%s", `${ws.baseSha}..HEAD`)).toBe("server commit");
    expect(git(ws.path, "rev-parse", "HEAD^{tree}")).toBe(agentTree);
    expect(git(ws.path, "rev-parse", "HEAD^")).toBe(ws.baseSha);
  });

  it("refuses to stage or commit when the agent left the task's branch", async () => {
    const ws = await workspaces.prepare(repo, "task-a", "codex/calc-1-first");
    git(ws.path, "checkout", "-q", "--detach");
    await writeFile(path.join(ws.path, "src/app.js"), "export const x = 5;\n");
    await expectAppError(workspaces.stage(ws), "git_failed");
    await expectAppError(workspaces.commitStaged(ws, "x", author), "git_failed");
    expect(git(ws.path, "status", "--porcelain")).toBe("M src/app.js");
  });

  it("refuses to push a branch outside codex/", async () => {
    const ws = await workspaces.prepare(repo, "task-a", "feature/not-ours");
    await writeFile(path.join(ws.path, "x.txt"), "x\n");
    await workspaces.stage(ws);
    await workspaces.commitStaged(ws, "x", author);
    await expectAppError(workspaces.push(repo, ws), "publish_refused");
    expect(git(remote.bare, "for-each-ref", "--format=%(refname)", "refs/heads")).toBe(
      "refs/heads/main",
    );
  });

  it("reports a rejected push as github_push_failed", async () => {
    const ws = await workspaces.prepare(repo, "task-a", "codex/calc-1-first");
    await commitAndPush(remote, "codex/calc-1-first", { "other.txt": "someone else\n" });
    await writeFile(path.join(ws.path, "x.txt"), "x\n");
    await workspaces.stage(ws);
    await workspaces.commitStaged(ws, "x", author);
    await expectAppError(workspaces.push(repo, ws), "github_push_failed");
  });

  it("lists the finished worktrees on disk, not half-made or stray ones", async () => {
    expect(await workspaces.listIds()).toEqual([]);
    await workspaces.prepare(repo, "task-a", "codex/calc-1-first");
    await workspaces.prepare(repo, "task-b", "codex/calc-2-second");
    await mkdir(path.join(root, "worktrees", "task-half"), { recursive: true });
    await mkdir(path.join(root, "worktrees", ".stray"), { recursive: true });
    expect((await workspaces.listIds()).sort()).toEqual(["task-a", "task-b"]);
    await workspaces.remove("task-a");
    expect(await workspaces.listIds()).toEqual(["task-b"]);
  });

  it("removes a worktree and its local branch", async () => {
    const ws = await workspaces.prepare(repo, "task-a", "codex/calc-1-first");
    await writeFile(path.join(ws.path, "dirty.txt"), "uncommitted\n");
    await workspaces.remove("task-a");
    expect(existsSync(ws.path)).toBe(false);
    expect(await workspaces.find("task-a")).toBeNull();
    const mirror = path.join(root, "mirrors", "acme__calc.git");
    expect(git(mirror, "branch", "--list", "codex/calc-1-first")).toBe("");
    await workspaces.remove("task-a");
    // The same task id can be prepared again afterwards.
    expect((await workspaces.prepare(repo, "task-a", "codex/calc-1-first")).path).toBe(ws.path);
  });

  it("fails with git_failed for a missing base branch or a bad task id", async () => {
    await expectAppError(
      workspaces.prepare({ ...repo, baseBranch: "nope" }, "task-a", "codex/x"),
      "git_failed",
    );
    await expectAppError(workspaces.prepare(repo, "../escape", "codex/x"), "git_failed");
    await expectAppError(workspaces.prepare(repo, "task-a", "codex/bad..name"), "git_failed");
  });
});
