import { execFile } from "node:child_process";
import { readFile, stat } from "node:fs/promises";
import path from "node:path";

/**
 * Environment every server git command runs with: no system or global config (a
 * `~/.gitconfig` filter, alias or credential helper is not the server's), no system
 * attributes, and never a prompt.
 */
export const SAFE_GIT_ENV: Readonly<Record<string, string>> = {
  GIT_CONFIG_NOSYSTEM: "1",
  GIT_CONFIG_GLOBAL: "/dev/null",
  GIT_ATTR_NOSYSTEM: "1",
  GIT_TERMINAL_PROMPT: "0",
};

/**
 * Config every server git command runs with, whatever the repository's config says:
 * no hooks (husky, an agent's `.git/hooks`), no fsmonitor command, no global attributes
 * file, no credential helper or askpass program, no signing, no `ext::` transport, no
 * external diff.
 */
export const SAFE_GIT_CONFIG: readonly string[] = [
  "core.hooksPath=/dev/null",
  "core.fsmonitor=false",
  "core.attributesFile=/dev/null",
  "core.sshCommand=ssh",
  "core.askPass=",
  "credential.helper=",
  "commit.gpgSign=false",
  "tag.gpgSign=false",
  "protocol.ext.allow=never",
  "diff.external=",
].flatMap((pair) => ["-c", pair]);

/**
 * Overrides for the commands a repository's own config can name per driver: a filter's
 * `clean`/`smudge`/`process` (run by add, status, checkout, diff), a merge driver (run by
 * merge), a diff driver's external command or textconv, a remote's upload/receive-pack
 * and URL-scoped credential helpers. Git runs none of an emptied filter; a merge driver
 * becomes `false`, so a file it would have merged is left as a conflict for the agent.
 */
export function driverOverrides(configNames: readonly string[]): string[] {
  const out = new Set<string>();
  for (const raw of configNames) {
    const name = raw.toLowerCase();
    const match = /^(filter|merge|diff|remote|credential)\.(.+)\.([a-z]+)$/.exec(name);
    if (match === null) continue;
    // The subsection keeps its case in the override, as git compares it case-sensitively.
    const sub = raw.slice(match[1]!.length + 1, raw.length - match[3]!.length - 1);
    const [, section, , key] = match;
    if (section === "filter") {
      for (const k of ["clean", "smudge", "process"]) out.add(`filter.${sub}.${k}=`);
      out.add(`filter.${sub}.required=false`);
    } else if (section === "merge" && key === "driver") out.add(`merge.${sub}.driver=false`);
    else if (section === "diff" && (key === "command" || key === "textconv")) {
      out.add(`diff.${sub}.${key}=`);
    } else if (section === "remote" && (key === "uploadpack" || key === "receivepack")) {
      out.add(`remote.${sub}.${key}=git-${key === "uploadpack" ? "upload" : "receive"}-pack`);
    } else if (section === "credential" && key === "helper") out.add(`credential.${sub}.helper=`);
  }
  return [...out].flatMap((pair) => ["-c", pair]);
}

interface CachedOverrides {
  key: string;
  overrides: string[];
}

const cache = new Map<string, CachedOverrides>();

/**
 * The driver overrides for one git directory, from the names in its config (local and
 * per-worktree; system and global are off). Cached until a config file changes; a config
 * that includes other files is read every time, as those could change unseen.
 */
export async function repositoryOverrides(gitDir: string): Promise<string[]> {
  const key = await configStamp(gitDir);
  const hit = cache.get(gitDir);
  if (hit !== undefined && hit.key === key) return hit.overrides;
  const names = await listConfigNames(gitDir);
  const overrides = driverOverrides(names);
  const includes = names.some((n) => /^include(?:if)?\./i.test(n));
  if (!includes) cache.set(gitDir, { key, overrides });
  return overrides;
}

/** Size and time of the config files git reads for this directory. */
async function configStamp(gitDir: string): Promise<string> {
  const commonDir = await readFile(path.join(gitDir, "commondir"), "utf8").then(
    (text) => path.resolve(gitDir, text.trim()),
    () => gitDir,
  );
  const files = [path.join(commonDir, "config"), path.join(gitDir, "config.worktree")];
  const stamps = await Promise.all(
    files.map((file) =>
      stat(file).then(
        (s) => `${s.ino}:${s.size}:${s.mtimeMs}`,
        () => "-",
      ),
    ),
  );
  return stamps.join("|");
}

function listConfigNames(gitDir: string): Promise<string[]> {
  return new Promise((resolve) => {
    execFile(
      "git",
      [...SAFE_GIT_CONFIG, "config", "--list", "--name-only", "-z"],
      {
        env: { PATH: process.env.PATH ?? "", ...SAFE_GIT_ENV, GIT_DIR: gitDir },
        encoding: "utf8",
        timeout: 30_000,
      },
      // An unreadable config makes the real command fail anyway, with git's own message.
      (error, stdout) => resolve(error ? [] : stdout.split("\0").filter(Boolean)),
    );
  });
}
