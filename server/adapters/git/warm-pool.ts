import { existsSync } from "node:fs";
import { randomUUID } from "node:crypto";
import { mkdir, readdir, readFile, rm, stat, writeFile } from "node:fs/promises";
import path from "node:path";
import type { Logger } from "pino";
import type { KeyedLock } from "./keyed-lock.js";
import { gitOut, runGit } from "./run-git.js";
import { worktreeGitDir } from "./worktree-git-dir.js";

/** Warm worktrees kept per repository when the options do not say. */
export const DEFAULT_WARM_WORKTREES = 2;

const CHECKOUT_TIMEOUT_MS = 10 * 60 * 1000;
/** Margin past the second the index was written in, for a coarse file-system clock. */
const RACY_MARGIN_MS = 50;

/** Written in a warm worktree's git directory once its checkout is complete. */
const READY_MARKER = "patchboard-warm";
const WARM_PREFIX = "warm-";

/** Options of {@link WarmPool}. */
export interface WarmPoolOptions {
  /** `DATA_DIR/workspaces/warm`: on the same filesystem as the task worktrees, so a claim is a rename. */
  root: string;
  /** Warm worktrees kept per repository; 0 turns the pool off. */
  size: number;
  /** The workspaces' per-mirror lock: adding and moving worktrees edit the mirror. */
  lock: KeyedLock;
  logger: Logger;
}

/** What a claim turns a warm worktree into. */
export interface WarmClaim {
  mirror: string;
  /** The task's worktree directory (must not exist, or be a leftover to discard). */
  dir: string;
  branch: string;
  /** The commit the branch starts at (the base's tip, or the remote branch's tip on a re-run). */
  target: string;
}

/**
 * Prepares a filled warm worktree's environment (the repository's setup) in the
 * background, before it is offered to a task. A failure leaves it unprepared, not lost:
 * the task that claims it runs setup itself and reports the failure.
 */
export type WarmPrepare = (dir: string, commit: string, signal: AbortSignal) => Promise<void>;

interface RepoPool {
  ready: string[];
  /** The latest preparation asked for by a refill of this repository. */
  prepare: WarmPrepare | null;
  /** The running fill loop, so there is only one per repository. */
  filling: Promise<void> | null;
  /** Whether leftovers of an earlier process were adopted or discarded yet. */
  scanned: boolean;
}

/**
 * Checked-out worktrees per repository, made ahead of time so that preparing a task is a
 * rename plus a checkout of what changed since, instead of writing every file of the
 * repository (seconds on a large one). Warm worktrees are detached at the base branch
 * under `root/<mirror name>/`; a claim moves one to the task's path and resets it there
 * to the task's branch, and a background refill replaces it. The expensive part of a
 * refill (writing the files) runs outside the mirror's lock, so it never delays a task.
 */
export class WarmPool {
  readonly #options: WarmPoolOptions;
  readonly #repos = new Map<string, RepoPool>();
  #stopped = false;
  /** Aborts running preparations on stop: a shutdown must not wait for an `npm ci`. */
  readonly #stopping = new AbortController();

  constructor(options: WarmPoolOptions) {
    this.#options = options;
  }

  /**
   * Turns a warm worktree into the task's worktree on `branch` at `target`, exactly that
   * commit (tracked files reset, untracked and ignored files removed). Call it under the
   * mirror's lock. Returns false when none is ready (or it failed), so the caller makes one.
   */
  async claim(claim: WarmClaim): Promise<boolean> {
    const pool = this.#repos.get(claim.mirror);
    const warm = pool?.ready.shift();
    if (warm === undefined) return false;
    const { logger } = this.#options;
    const started = performance.now();
    try {
      const warmCommit = await readyCommit(warm);
      if (existsSync(claim.dir)) {
        // A half-made worktree from a crash is discarded, and git forgets its registration.
        await rm(claim.dir, { recursive: true, force: true });
        await runGit(["worktree", "prune"], { cwd: claim.mirror });
      }
      await mkdir(path.dirname(claim.dir), { recursive: true });
      await markReady(warm, null);
      await runGit(["worktree", "move", warm, claim.dir], { cwd: claim.mirror });
      const fast = warmCommit === claim.target;
      if (fast) {
        // The pool's invariant: a ready worktree is exactly its commit, untouched since the
        // fill wrote it (the marker goes before anything else happens to it). Switching to
        // a new branch at the same commit then writes and reads no file.
        await runGit(["switch", "--quiet", "--no-track", "-C", claim.branch], { cwd: claim.dir });
      } else {
        // The base moved since the fill (or the commit is unknown): --force resets index and
        // files like `reset --hard`, writing only what differs, and clean removes the rest.
        await runGit(
          ["checkout", "--quiet", "--force", "--no-track", "-B", claim.branch, claim.target],
          { cwd: claim.dir },
        );
        // Ignored files stay: they are what the environment's setup installed (node_modules…),
        // and the task's own preparation decides whether they are still right.
        await runGit(["clean", "-ffdq"], { cwd: claim.dir });
      }
      logger.debug(
        { dir: claim.dir, fast, ms: Math.round(performance.now() - started) },
        "git warm worktree claimed",
      );
      return true;
    } catch (error) {
      logger.warn({ err: error, warm, dir: claim.dir }, "git warm worktree claim failed");
      await rm(warm, { recursive: true, force: true });
      return false;
    }
  }

  /**
   * Tops the repository's pool up to its size in the background, one worktree at a
   * time (so a refill takes one core, not all). Never throws; failures are logged.
   */
  refill(mirror: string, baseRef: string, prepare?: WarmPrepare): void {
    if (this.#options.size <= 0 || this.#stopped) return;
    const pool = this.#pool(mirror);
    if (prepare !== undefined) pool.prepare = prepare;
    if (pool.filling !== null) return;
    pool.filling = this.#fill(mirror, baseRef, pool).then(
      () => {
        pool.filling = null;
        // A claim that came in as the loop was ending would otherwise wait for the next task.
        if (pool.ready.length < this.#options.size) this.refill(mirror, baseRef);
      },
      (error: unknown) => {
        pool.filling = null;
        this.#options.logger.warn({ err: error, mirror }, "git warm worktree refill failed");
      },
    );
  }

  /** Resolves once every running refill has ended (for shutdown and tests). */
  async idle(): Promise<void> {
    await Promise.all([...this.#repos.values()].map((pool) => pool.filling ?? Promise.resolve()));
  }

  /**
   * Starts no more checkouts and resolves once the running ones have ended (a shutdown
   * must not leave git writing into a directory being removed). Claims still work.
   */
  async stop(): Promise<void> {
    this.#stopped = true;
    this.#stopping.abort();
    await this.idle();
  }

  #pool(mirror: string): RepoPool {
    let pool = this.#repos.get(mirror);
    if (pool === undefined) {
      pool = { ready: [], prepare: null, filling: null, scanned: false };
      this.#repos.set(mirror, pool);
    }
    return pool;
  }

  #dirOf(mirror: string): string {
    return path.join(this.#options.root, path.basename(mirror, ".git"));
  }

  async #fill(mirror: string, baseRef: string, pool: RepoPool): Promise<void> {
    if (!pool.scanned) {
      pool.scanned = true;
      await this.#adopt(mirror, pool);
    }
    while (pool.ready.length < this.#options.size && !this.#stopped) {
      const dir = path.join(this.#dirOf(mirror), `${WARM_PREFIX}${randomUUID().slice(0, 12)}`);
      try {
        await this.#options.lock.run(mirror, async () => {
          await mkdir(path.dirname(dir), { recursive: true });
          // Registering is quick and edits the mirror; writing the files is not and does not.
          await runGit(["worktree", "add", "--quiet", "--no-checkout", "--detach", dir, baseRef], {
            cwd: mirror,
          });
        });
        // Writing every file takes seconds; at the lowest priority, running tasks go first.
        await runGitInBackground(["reset", "--hard", "--quiet"], dir);
        const commit = await gitOut(["rev-parse", "HEAD"], { cwd: dir });
        await this.#prepare(pool, dir, commit);
        await settleIndex(dir);
        await markReady(dir, commit);
      } catch (error) {
        await rm(dir, { recursive: true, force: true });
        throw error;
      }
      pool.ready.push(dir);
      this.#options.logger.debug({ dir }, "git warm worktree ready");
    }
  }

  /** Runs the repository's environment preparation in a filled worktree; never throws. */
  async #prepare(pool: RepoPool, dir: string, commit: string): Promise<void> {
    if (pool.prepare === null || this.#stopped) return;
    const started = performance.now();
    try {
      await pool.prepare(dir, commit, this.#stopping.signal);
      this.#options.logger.info(
        { dir, ms: Math.round(performance.now() - started) },
        "warm worktree environment prepared",
      );
    } catch (error) {
      this.#options.logger.warn({ err: error, dir }, "warm worktree environment not prepared");
    }
  }

  /**
   * Takes over the warm worktrees an earlier process finished (a restart stays warm) and
   * removes the ones it left half-made.
   */
  async #adopt(mirror: string, pool: RepoPool): Promise<void> {
    const parent = this.#dirOf(mirror);
    const names = await readdir(parent).catch(() => [] as string[]);
    let discarded = 0;
    for (const name of names.filter((n) => n.startsWith(WARM_PREFIX))) {
      const dir = path.join(parent, name);
      if (await isReady(dir)) pool.ready.push(dir);
      else {
        await rm(dir, { recursive: true, force: true });
        discarded += 1;
      }
    }
    if (discarded > 0)
      await this.#options.lock.run(mirror, () => runGit(["worktree", "prune"], { cwd: mirror }));
    this.#options.logger.debug(
      { mirror, adopted: pool.ready.length, discarded },
      "git warm worktrees scanned",
    );
  }
}

/** The number of ready warm worktrees of a mirror on disk (for benchmarks and tests). */
export async function countWarmWorktrees(warmRoot: string, mirror: string): Promise<number> {
  const parent = path.join(warmRoot, path.basename(mirror, ".git"));
  const names = await readdir(parent).catch(() => [] as string[]);
  const ready = await Promise.all(names.map((name) => isReady(path.join(parent, name))));
  return ready.filter(Boolean).length;
}

/**
 * The commit a ready warm worktree was filled at: null when it is not ready (half-made,
 * or being claimed), "" when ready but written by a version that did not record it.
 */
async function readyCommit(dir: string): Promise<string | null> {
  const gitDir = await worktreeGitDir(dir);
  if (gitDir === null) return null;
  return readFile(path.join(gitDir, READY_MARKER), "utf8").then(
    (text) => text.trim(),
    () => null,
  );
}

async function isReady(dir: string): Promise<boolean> {
  return (await readyCommit(dir)) !== null;
}

/**
 * Marks a warm worktree complete at its commit, or (with null, before it is claimed) no
 * longer warm: the marker holds the commit, so a claim knows what is on disk without git.
 */
async function markReady(dir: string, commit: string | null): Promise<void> {
  const gitDir = await worktreeGitDir(dir);
  if (gitDir === null) throw new Error(`not a git worktree: ${dir}`);
  const marker = path.join(gitDir, READY_MARKER);
  if (commit !== null) await writeFile(marker, `${commit}\n`);
  else await rm(marker, { force: true });
}

/**
 * Git compares file and index times to the second: files written in the same second as
 * the index are "racily clean", and every later command that checks the worktree (the
 * claim's checkout, `git add -A`, `git status`) re-reads and re-hashes all of them —
 * 100–200 ms per command on 20,000 files instead of a stat each. Once the clock has moved
 * past that second, one refresh rewrites the index and the entries are trusted again.
 */
async function settleIndex(dir: string): Promise<void> {
  const gitDir = await worktreeGitDir(dir);
  if (gitDir === null) return;
  const written = (await stat(path.join(gitDir, "index"))).mtimeMs;
  const nextSecond = (Math.floor(written / 1000) + 1) * 1000 + RACY_MARGIN_MS;
  await new Promise((resolve) => setTimeout(resolve, Math.max(0, nextSecond - Date.now())));
  // Only a speed-up: an index left racy is still correct, so a failure is not one.
  await runGitInBackground(["update-index", "-q", "--refresh"], dir).catch(() => undefined);
}

/** Runs git at the lowest priority (a refill must not slow the tasks running meanwhile). */
async function runGitInBackground(args: string[], cwd: string): Promise<void> {
  await runGit(args, { cwd, background: true, timeoutMs: CHECKOUT_TIMEOUT_MS });
}
