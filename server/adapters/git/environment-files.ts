import { createHash } from "node:crypto";
import { mkdir, open, readdir, readFile, realpath, rename, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import type {
  EnvironmentDirs,
  Environments,
  PreparedState,
  TestBaseline,
  WorktreeStatus,
} from "../../domain/ports/environments.js";
import { runGit } from "./run-git.js";
import { gitDirOf } from "./worktree-git-dir.js";

/** Written in a worktree's own git directory: it moves with the worktree when a warm one is claimed. */
const STATE_FILE = "patchboard-environment.json";
const OWNER = /^[A-Za-z0-9][A-Za-z0-9_-]{0,127}$/;

/**
 * The lockfiles that decide, by default, whether setup must run again: package managers'
 * lockfiles and the build files that pin dependencies where there is no lockfile.
 */
const LOCKFILES = new Set([
  "package-lock.json",
  "npm-shrinkwrap.json",
  "yarn.lock",
  "pnpm-lock.yaml",
  "bun.lockb",
  "bun.lock",
  "poetry.lock",
  "Pipfile.lock",
  "uv.lock",
  "pdm.lock",
  "pyproject.toml",
  "setup.py",
  "setup.cfg",
  "go.sum",
  "go.mod",
  "Cargo.lock",
  "Gemfile.lock",
  "composer.lock",
  "mix.lock",
  "pubspec.lock",
  "Podfile.lock",
  "packages.lock.json",
  "pom.xml",
  "build.gradle",
  "build.gradle.kts",
  "settings.gradle",
  "settings.gradle.kts",
  "gradle.properties",
  "gradle/libs.versions.toml",
  "gradle/wrapper/gradle-wrapper.properties",
]);
const REQUIREMENTS = /^requirements[\w.-]*\.(txt|in)$/;

/**
 * Package managers' download caches, per repository (`variable → folder under cache/`):
 * a re-run of setup reuses what the last one downloaded.
 */
const CACHE_VARIABLES: Record<string, string> = {
  npm_config_cache: "npm",
  YARN_CACHE_FOLDER: "yarn",
  npm_config_store_dir: "pnpm-store",
  XDG_CACHE_HOME: "xdg",
  PIP_CACHE_DIR: "pip",
  POETRY_CACHE_DIR: "poetry",
  UV_CACHE_DIR: "uv",
  GRADLE_USER_HOME: "gradle",
  GOMODCACHE: "go-mod",
  GOCACHE: "go-build",
  CARGO_HOME: "cargo",
  BUNDLE_USER_CACHE: "bundler",
  COMPOSER_CACHE_DIR: "composer",
};

/**
 * The environment files on disk under `root` (`DATA_DIR/environments`): per repository
 * `cache/` (package-manager caches, kept), `homes/<owner>` and `tmp/<owner>` (one per task
 * or warm worktree) and `baselines/<key>.json` (the base branch's cached test results).
 * Files inside a worktree are read only when their real path is inside it: a symbolic link
 * made by the agent or the repository cannot make the server read a host file.
 */
export function createEnvironmentFiles(options: { root: string }): Environments {
  const root = path.resolve(options.root);
  const repoDir = (repo: string): string => path.join(root, repo.replace("/", "__"));
  const ownerDir = (repo: string, kind: "homes" | "tmp", owner: string): string => {
    if (!OWNER.test(owner)) throw new Error(`invalid environment owner: ${owner}`);
    return path.join(repoDir(repo), kind, owner);
  };

  return {
    async lockfileDigest(workdir, files) {
      const names = files === null ? await defaultLockfiles(workdir) : [...files].sort();
      const hash = createHash("sha256");
      for (const name of names) {
        const content = await readInside(workdir, name, Number.MAX_SAFE_INTEGER);
        hash.update(`${name}\0${content === null ? "(absent)" : sha(content)}\0`);
      }
      return hash.digest("hex");
    },

    async readState(workdir) {
      const text = await readFile(path.join(await gitDirOf(workdir), STATE_FILE), "utf8").catch(
        () => null,
      );
      if (text === null) return null;
      try {
        const state = JSON.parse(text) as Partial<PreparedState>;
        return typeof state.fingerprint === "string" && typeof state.baseSha === "string"
          ? { fingerprint: state.fingerprint, baseSha: state.baseSha }
          : null;
      } catch {
        return null;
      }
    },

    async writeState(workdir, state) {
      const file = path.join(await gitDirOf(workdir), STATE_FILE);
      if (state === null) await rm(file, { force: true });
      else await writeFile(file, `${JSON.stringify(state)}\n`);
    },

    async dirs(repo, owner): Promise<EnvironmentDirs> {
      const home = ownerDir(repo, "homes", owner);
      const tmp = ownerDir(repo, "tmp", owner);
      const cacheRoot = path.join(repoDir(repo), "cache");
      const caches: Record<string, string> = {};
      for (const [variable, folder] of Object.entries(CACHE_VARIABLES)) {
        caches[variable] = path.join(cacheRoot, folder);
      }
      await Promise.all(
        [home, tmp, ...Object.values(caches)].map((dir) => mkdir(dir, { recursive: true })),
      );
      return { home, tmp, caches, cacheRoot };
    },

    async removeDirs(repo, owner) {
      await rm(ownerDir(repo, "homes", owner), { recursive: true, force: true });
      await rm(ownerDir(repo, "tmp", owner), { recursive: true, force: true });
    },

    async readFile(workdir, file, maxBytes) {
      const content = await readInside(workdir, file, maxBytes);
      return content === null ? null : content.toString("utf8");
    },

    async removeFile(workdir, file) {
      const target = await insidePath(workdir, file);
      if (target !== null) await rm(target, { force: true, recursive: true });
    },

    status(workdir) {
      return worktreeStatus(workdir);
    },

    async changes(workdir) {
      const { tracked, untracked } = await worktreeStatus(workdir);
      return { tracked, untracked };
    },

    async revertNewChanges(workdir, before) {
      const now = await worktreeStatus(workdir);
      const tracked = now.tracked.filter((file) => !before.tracked.includes(file));
      const untracked = now.untracked.filter((file) => !before.untracked.includes(file));
      if (tracked.length > 0) {
        await runGit(["checkout", "--quiet", "HEAD", "--", ...tracked], { cwd: workdir });
      }
      for (const file of untracked) {
        const target = await insidePath(workdir, file);
        if (target !== null) await rm(target, { recursive: true, force: true });
      }
      return [...tracked, ...untracked];
    },

    async getBaseline(repo, key) {
      const text = await readFile(baselineFile(repo, key), "utf8").catch(() => null);
      if (text === null) return null;
      try {
        return JSON.parse(text) as TestBaseline;
      } catch {
        return null;
      }
    },

    async putBaseline(repo, key, baseline) {
      const file = baselineFile(repo, key);
      await mkdir(path.dirname(file), { recursive: true });
      // Written aside and renamed: a reader never sees half a file.
      const partial = `${file}.${process.pid}.partial`;
      await writeFile(partial, JSON.stringify(baseline));
      await rename(partial, file);
    },
  };

  function baselineFile(repo: string, key: string): string {
    if (!/^[a-f0-9]{8,64}$/.test(key)) throw new Error(`invalid baseline key: ${key}`);
    return path.join(repoDir(repo), "baselines", `${key}.json`);
  }
}

/** The default lockfiles present in the worktree (its root, plus gradle/). */
async function defaultLockfiles(workdir: string): Promise<string[]> {
  const top = await readdir(workdir).catch(() => [] as string[]);
  const gradle = (await readdir(path.join(workdir, "gradle")).catch(() => [] as string[])).map(
    (name) => `gradle/${name}`,
  );
  const wrapper = (
    await readdir(path.join(workdir, "gradle", "wrapper")).catch(() => [] as string[])
  ).map((name) => `gradle/wrapper/${name}`);
  return [...top, ...gradle, ...wrapper]
    .filter((name) => LOCKFILES.has(name) || REQUIREMENTS.test(name))
    .sort();
}

/**
 * The real path of a repository-relative file when it is inside the worktree; null when it
 * does not exist or leads outside (`..`, a symbolic link to a host file).
 */
async function insidePath(workdir: string, file: string): Promise<string | null> {
  const base = await realpath(workdir);
  const target = path.resolve(base, file);
  if (!isInside(target, base)) return null;
  const real = await realpath(target).catch(() => null);
  if (real === null) return null;
  return isInside(real, base) ? target : null;
}

async function readInside(workdir: string, file: string, maxBytes: number): Promise<Buffer | null> {
  const target = await insidePath(workdir, file);
  if (target === null) return null;
  const handle = await open(target, "r").catch(() => null);
  if (handle === null) return null;
  try {
    const stats = await handle.stat();
    if (!stats.isFile()) return null;
    const size = stats.size;
    const buffer = Buffer.alloc(Math.min(size, maxBytes));
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
    return buffer.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}

/** Fields before the path of each porcelain v2 entry kind (`1`, `2`, `u`, `?`). */
const FIELDS_BEFORE_PATH: Record<string, number> = { "1": 8, "2": 9, u: 10, "?": 1 };

/**
 * HEAD and the changes from one `git status --porcelain=v2 --branch`: the commit comes in
 * the `# branch.oid` header, so no second git process (`rev-parse HEAD`) is needed.
 */
async function worktreeStatus(workdir: string): Promise<WorktreeStatus> {
  const { stdout: out } = await runGit(
    ["status", "--porcelain=v2", "--branch", "-z", "--untracked-files=normal"],
    { cwd: workdir },
  );
  let head: string | null = null;
  const tracked: string[] = [];
  const untracked: string[] = [];
  const entries = out.split("\0");
  for (let i = 0; i < entries.length; i += 1) {
    const entry = entries[i] ?? "";
    if (entry.startsWith("# branch.oid ")) {
      const oid = entry.slice("# branch.oid ".length);
      head = /^[0-9a-f]{40,64}$/.test(oid) ? oid : null; // "(initial)": no commit yet
      continue;
    }
    const kind = entry.slice(0, entry.indexOf(" "));
    const before = FIELDS_BEFORE_PATH[kind];
    if (before === undefined) continue; // other headers, ignored entries
    // Paths may hold spaces: the path is everything after the kind's fixed fields.
    const file = entry.split(" ").slice(before).join(" ");
    if (kind === "?") untracked.push(file);
    else tracked.push(file);
    // A rename or copy is followed by its source path.
    if (kind === "2") i += 1;
  }
  return { head, tracked, untracked };
}

function isInside(child: string, parent: string): boolean {
  const relative = path.relative(parent, child);
  return relative === "" || (!relative.startsWith("..") && !path.isAbsolute(relative));
}

function sha(content: Buffer): string {
  return createHash("sha256").update(content).digest("hex");
}
