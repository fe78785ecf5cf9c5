import pino from "pino";
import { createGitWorkspaces } from "../../server/adapters/git/index.js";
import type { Workspaces } from "../../server/domain/ports/workspaces.js";
import type { RepoConfig } from "../../server/domain/repo-config.js";
import { execFileSync } from "node:child_process";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";

/** A fixed identity so fixture commits never depend on the machine's git config. */
const IDENTITY = {
  GIT_AUTHOR_NAME: "Fixture",
  GIT_AUTHOR_EMAIL: "fixture@example.test",
  GIT_COMMITTER_NAME: "Fixture",
  GIT_COMMITTER_EMAIL: "fixture@example.test",
};

/** Runs git synchronously in a test and returns its trimmed stdout. */
export function git(cwd: string, ...args: string[]): string {
  return execFileSync("git", args, {
    cwd,
    encoding: "utf8",
    env: { PATH: process.env.PATH ?? "", HOME: os.tmpdir(), ...IDENTITY, GIT_TERMINAL_PROMPT: "0" },
  }).trim();
}

/** A temporary directory removed by {@link TempDirs.cleanup}. */
export class TempDirs {
  private readonly dirs: string[] = [];

  /** Makes a new temporary directory. */
  async make(prefix = "patchboard-test-"): Promise<string> {
    const dir = await mkdtemp(path.join(os.tmpdir(), prefix));
    this.dirs.push(dir);
    return dir;
  }

  /** Removes every directory made so far. */
  async cleanup(): Promise<void> {
    await Promise.all(this.dirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
  }
}

/** A bare repository on disk standing in for a GitHub remote. */
export interface BareRepo {
  /** Path of the bare repository (usable as a clone URL). */
  bare: string;
  /** A normal clone used to make commits and push them to `bare`. */
  work: string;
  /** Branch every fixture starts on. */
  defaultBranch: string;
}

/**
 * Makes a bare repository with one commit on `main` holding `files` (path → content),
 * plus a working clone to push further commits from.
 */
export async function makeBareRepo(
  tmp: TempDirs,
  files: Record<string, string | Buffer> = {
    "README.md": "# demo\n",
    "src/app.js": "export const x = 1;\n",
  },
): Promise<BareRepo> {
  const dir = await tmp.make("patchboard-remote-");
  const bare = path.join(dir, "remote.git");
  const work = path.join(dir, "work");
  git(dir, "init", "--bare", "--quiet", "--initial-branch=main", bare);
  git(dir, "init", "--quiet", "--initial-branch=main", work);
  await writeFiles(work, files);
  git(work, "add", "-A");
  git(work, "commit", "--quiet", "-m", "initial commit");
  git(work, "remote", "add", "origin", bare);
  git(work, "push", "--quiet", "origin", "main");
  return { bare, work, defaultBranch: "main" };
}

/** Writes files (path → content) under a directory, creating folders. */
export async function writeFiles(
  root: string,
  files: Record<string, string | Buffer>,
): Promise<void> {
  for (const [name, content] of Object.entries(files)) {
    const file = path.join(root, name);
    await mkdir(path.dirname(file), { recursive: true });
    await writeFile(file, content);
  }
}

/**
 * Commits files on a new or existing branch of the fixture's working clone and pushes
 * it to the bare repository; returns the new commit.
 */
export async function commitAndPush(
  repo: BareRepo,
  branch: string,
  files: Record<string, string | Buffer>,
  message = `change on ${branch}`,
): Promise<string> {
  git(repo.work, "fetch", "--quiet", "origin");
  const onRemote = git(repo.work, "ls-remote", "--heads", "origin", branch) !== "";
  git(
    repo.work,
    "checkout",
    "--quiet",
    "-B",
    branch,
    `origin/${onRemote ? branch : repo.defaultBranch}`,
  );
  await writeFiles(repo.work, files);
  git(repo.work, "add", "-A");
  git(repo.work, "commit", "--quiet", "-m", message);
  git(repo.work, "push", "--quiet", "origin", `${branch}:${branch}`);
  return git(repo.work, "rev-parse", "HEAD");
}

/** The repositories-file entry of a fixture remote (`acme/calc`, project CALC, base `main`). */
export function fixtureRepoConfig(cloneUrl: string, extra: Partial<RepoConfig> = {}): RepoConfig {
  return {
    jiraProject: "CALC",
    github: "acme/calc",
    baseBranch: "main",
    cloneUrl,
    testCommand: null,
    reviewers: [],
    ...extra,
  };
}

/** A fixture remote with real git workspaces over it, as the workspace suites use them. */
export interface WorkspacesWorld {
  remote: BareRepo;
  /** `DATA_DIR/workspaces` of the world. */
  root: string;
  workspaces: Workspaces;
  repo: RepoConfig;
}

/** Makes a bare remote holding `files` and git workspaces (no warm pool) cloning from it. */
export async function makeWorkspacesWorld(
  tmp: TempDirs,
  files: Record<string, string | Buffer>,
): Promise<WorkspacesWorld> {
  const remote = await makeBareRepo(tmp, files);
  const root = path.join(await tmp.make("patchboard-ws-"), "workspaces");
  const workspaces = createGitWorkspaces({ root, logger: pino({ level: "silent" }) });
  return { remote, root, workspaces, repo: fixtureRepoConfig(remote.bare) };
}
