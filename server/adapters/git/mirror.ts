import { randomUUID } from "node:crypto";
import { rename, rm, stat } from "node:fs/promises";
import path from "node:path";
import type { Logger } from "pino";
import { gitOut, runGit } from "./run-git.js";
import type { RemoteAccess } from "./remote.js";

/** Where remote branches land in a mirror; task branches live in `refs/heads/`, so the two never collide. */
export const REMOTE_REFS = "refs/remotes/origin/";

/**
 * The mirror of a repository: `root/mirrors/<owner>__<name>.git`. Both parts are
 * checked against GitHub's character set so a configured name can never escape `root`.
 */
export function mirrorPath(root: string, github: string): string {
  const [owner, name, ...rest] = github.split("/");
  if (!owner || !name || rest.length > 0 || !/^[\w.-]+$/.test(owner) || !/^[\w.-]+$/.test(name)) {
    throw new Error(`invalid repository name: ${github}`);
  }
  return path.join(root, "mirrors", `${owner}__${name}.git`);
}

/** Whether a directory looks like an initialised bare repository. */
async function isRepository(dir: string): Promise<boolean> {
  try {
    return (await stat(path.join(dir, "HEAD"))).isFile();
  } catch {
    return false;
  }
}

/**
 * Makes the mirror current: clones it the first time (into a temporary directory
 * renamed into place, so a crash never leaves a half-cloned mirror), otherwise
 * fetches. Call it under the repository's lock.
 */
export async function syncMirror(
  mirror: string,
  access: RemoteAccess,
  logger: Logger,
): Promise<void> {
  const started = Date.now();
  if (await isRepository(mirror)) {
    // The URL may have changed in the repositories file since the clone.
    const current = await gitOut(["config", "--get", "remote.origin.url"], {
      cwd: mirror,
      okExitCodes: [1],
    });
    if (current !== access.url)
      await runGit(["config", "remote.origin.url", access.url], { cwd: mirror });
    await fetchOrigin(mirror, access);
    logger.debug({ mirror, ms: Date.now() - started }, "git mirror fetched");
    return;
  }
  const temporary = `${mirror}.tmp-${randomUUID()}`;
  try {
    await runGit(["-c", "init.defaultBranch=main", "init", "--bare", "--quiet", temporary]);
    for (const [key, value] of [
      ["remote.origin.url", access.url],
      ["remote.origin.fetch", `+refs/heads/*:${REMOTE_REFS}*`],
      ["gc.auto", "0"],
    ] as const) {
      await runGit(["config", key, value], { cwd: temporary });
    }
    await fetchOrigin(temporary, access);
    await rename(temporary, mirror);
  } catch (error) {
    await rm(temporary, { recursive: true, force: true });
    throw error;
  }
  logger.info({ mirror, ms: Date.now() - started }, "git mirror cloned");
}

/**
 * Packs the mirror when git thinks it is due. Mirrors have gc.auto=0, so neither a fetch
 * nor a commit in some worktree starts it while another task uses the mirror; call it
 * under the repository's lock, after a task's own steps (a repack can take seconds).
 */
export async function maintainMirror(mirror: string): Promise<void> {
  if (!(await isRepository(mirror))) return; // its clone failed: nothing to maintain
  await runGit(["-c", "gc.auto=6700", "-c", "gc.autoDetach=false", "gc", "--auto", "--quiet"], {
    cwd: mirror,
  });
}

function fetchOrigin(repository: string, access: RemoteAccess): Promise<unknown> {
  return runGit(["fetch", "--prune", "--no-tags", "--quiet", "origin"], {
    cwd: repository,
    env: access.env,
    secrets: access.secrets,
  });
}

/** The commit a ref points at, or null when it does not exist. */
export async function resolveRef(repository: string, ref: string): Promise<string | null> {
  const sha = await gitOut(["rev-parse", "--verify", "--quiet", `${ref}^{commit}`], {
    cwd: repository,
    okExitCodes: [1],
  });
  return sha || null;
}
