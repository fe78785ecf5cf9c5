import { execFile } from "node:child_process";
import { mkdir, readFile, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { promisify } from "node:util";
import { BUGGY_SUM } from "../../tests/support/codex-fixtures.js";
import { git } from "./git.js";
import { CACHE_DIR } from "./paths.js";

const run = promisify(execFile);

/**
 * A real dependency set of a few hundred packages (a linter and a test runner, as a
 * small library has): its `npm ci` is the setup figure 8 measures. Changing it makes
 * {@link ensureNpmLockfile} resolve a new lockfile.
 */
const DEV_DEPENDENCIES: Record<string, string> = {
  eslint: "^9.0.0",
  vitest: "^3.0.0",
  typescript: "^5.0.0",
  "typescript-eslint": "^8.0.0",
  prettier: "^3.0.0",
  jsdom: "^26.0.0",
  webpack: "^5.0.0",
  "@babel/core": "^7.0.0",
  // With these two the scratch `npm ci` passes the 20 s on a quiet 2-core machine
  // (18.2 s without them, 2026-12-01): a test runner and a transpiler preset, as a
  // library that tests with Jest and ships through Babel has.
  jest: "^29.0.0",
  "@babel/preset-env": "^7.0.0",
};

/** The cached manifest and lockfile, resolved once from the registry and reused by later runs. */
const LOCK_DIR = path.join(CACHE_DIR, "npm-fixture");

function manifest(): string {
  const pkg = {
    name: "bench-npm-library",
    version: "1.0.0",
    private: true,
    license: "MIT",
    scripts: { test: "node --test" },
    devDependencies: DEV_DEPENDENCIES,
  };
  return `${JSON.stringify(pkg, null, 2)}\n`;
}

/**
 * The fixture's package.json and package-lock.json: resolved with
 * `npm install --package-lock-only` the first time (network), read from the cache after.
 * Returns the directory and how many packages the lockfile installs.
 */
export async function ensureNpmLockfile(
  log: (message: string) => void,
): Promise<{ dir: string; packages: number }> {
  const wanted = manifest();
  const lockfile = path.join(LOCK_DIR, "package-lock.json");
  const current = await readFile(path.join(LOCK_DIR, "package.json"), "utf8").catch(() => "");
  const haveLock = await readFile(lockfile, "utf8").then(
    () => true,
    () => false,
  );
  if (current !== wanted || !haveLock) {
    log("environment: resolving the fixture's lockfile from the npm registry (once)…");
    await rm(LOCK_DIR, { recursive: true, force: true });
    await mkdir(LOCK_DIR, { recursive: true });
    await writeFile(path.join(LOCK_DIR, "package.json"), wanted);
    await run(
      "npm",
      ["install", "--package-lock-only", "--ignore-scripts", "--no-audit", "--no-fund"],
      { cwd: LOCK_DIR, maxBuffer: 16 * 1024 * 1024 },
    );
  }
  const lock = JSON.parse(await readFile(lockfile, "utf8")) as {
    packages: Record<string, unknown>;
  };
  return { dir: LOCK_DIR, packages: Object.keys(lock.packages).filter((k) => k !== "").length };
}

/**
 * A bare repository at `remote` standing in for GitHub's copy of a small npm library: the
 * cached manifest and lockfile, `node_modules` ignored, and the `src/sum.js` bug the
 * scripted fix expects.
 */
export async function makeNpmRemote(lockDir: string, workDir: string, remote: string) {
  await rm(workDir, { recursive: true, force: true });
  await mkdir(path.join(workDir, "src"), { recursive: true });
  for (const file of ["package.json", "package-lock.json"]) {
    await writeFile(path.join(workDir, file), await readFile(path.join(lockDir, file)));
  }
  await writeFile(path.join(workDir, ".gitignore"), "node_modules/\n");
  await writeFile(path.join(workDir, "src", "sum.js"), BUGGY_SUM);
  await git(["init", "--quiet", "--initial-branch=main"], workDir);
  await git(["add", "."], workDir);
  await git(
    ["-c", "user.name=Bench", "-c", "user.email=bench@example.test", "commit", "-qm", "init"],
    workDir,
  );
  await rm(remote, { recursive: true, force: true });
  await git(["clone", "--quiet", "--bare", workDir, remote], path.dirname(remote));
}
