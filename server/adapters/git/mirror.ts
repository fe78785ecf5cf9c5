import { randomUUID } from "node:crypto";
import { rename, rm, stat } from "node:fs/promises";
import path from "node:path";
import type { Logger } from "pino";
import { gitOut, runGit } from "./run-git.js";
import type { RemoteAccess } from "./remote.js";

/** Where remote branches land in a mirror; task branches live in `refs/heads/`, so the two never collide. */
export const REMOTE_REFS = "refs/remotes/origin/";

/**
 * Where a task branch fetched back from the repository's fork lands in a mirror: apart
 * from the upstream's branches, which `fetch --prune origin` would otherwise delete.
 */
export const FORK_REFS = "refs/remotes/fork/";

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
    if (!(await urlKnown(mirror, access.url))) {
      const current = await gitOut(["config", "--get", "remote.origin.url"], {
        cwd: mirror,
        okExitCodes: [1],
      });
      if (current !== access.url)
        await runGit(["config", "remote.origin.url", access.url], { cwd: mirror });
      await rememberUrl(mirror, access.url);
    }
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

/**
 * The remote URL each mirror's config was last seen to hold, with the config file's
 * identity then: a task's prepare then stats one file instead of starting git to read it.
 * Any write to the config (git rewrites it through a lock file: a new inode, a new
 * mtime) makes the identity differ, and git is asked again.
 */
const knownUrls = new Map<string, { url: string; config: string }>();

async function configIdentity(mirror: string): Promise<string | null> {
  const found = await stat(path.join(mirror, "config"), { bigint: true }).catch(() => null);
  return found === null ? null : `${found.ino}:${found.size}:${found.mtimeNs}:${found.ctimeNs}`;
}

async function urlKnown(mirror: string, url: string): Promise<boolean> {
  const known = knownUrls.get(mirror);
  return (
    known !== undefined && known.url === url && known.config === (await configIdentity(mirror))
  );
}

async function rememberUrl(mirror: string, url: string): Promise<void> {
  const config = await configIdentity(mirror);
  if (config === null) knownUrls.delete(mirror);
  else knownUrls.set(mirror, { url, config });
}

function fetchOrigin(repository: string, access: RemoteAccess): Promise<unknown> {
  // No auto-maintenance: it is another git process on a task's start, and the mirror's
  // own housekeeping (maintainMirror) runs under its lock after the task's steps.
  return runGit(["fetch", "--prune", "--no-tags", "--quiet", "--no-auto-maintenance", "origin"], {
    cwd: repository,
    env: access.env,
    secrets: access.secrets,
  });
}

/**
 * Fetches one branch of the repository's fork into {@link FORK_REFS}, so a re-run
 * continues what an earlier run pushed there; forgets it when the fork no longer has it.
 * Only that branch: the fork's other branches are none of this task's business. Returns
 * the local ref. Call it under the mirror's lock.
 */
export async function fetchForkBranch(
  mirror: string,
  access: RemoteAccess,
  branch: string,
): Promise<string> {
  const local = `${FORK_REFS}${branch}`;
  const git = { cwd: mirror, env: access.env, secrets: access.secrets };
  const listed = await gitOut(["ls-remote", "--heads", access.url, `refs/heads/${branch}`], git);
  if (listed === "") {
    await runGit(["update-ref", "-d", local], { cwd: mirror, okExitCodes: [1] });
  } else {
    await runGit(
      ["fetch", "--no-tags", "--quiet", access.url, `+refs/heads/${branch}:${local}`],
      git,
    );
  }
  return local;
}

/** The commit a ref points at, or null when it does not exist. */
export async function resolveRef(repository: string, ref: string): Promise<string | null> {
  const sha = await gitOut(["rev-parse", "--verify", "--quiet", `${ref}^{commit}`], {
    cwd: repository,
    okExitCodes: [1],
  });
  return sha || null;
}
