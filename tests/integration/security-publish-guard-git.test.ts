import { mkdir, rename, symlink, writeFile } from "node:fs/promises";
import path from "node:path";
import pino from "pino";
import { createGitWorkspaces } from "../../server/adapters/git/index.js";
import type { RepoConfig } from "../../server/domain/repo-config.js";
import type { Workspace, Workspaces } from "../../server/domain/ports/workspaces.js";
import { checkPublish, type PublishViolation } from "../../server/domain/publish-guard/index.js";
import {
  fixtureRepoConfig,
  git,
  makeBareRepo,
  TempDirs,
  writeFiles,
} from "../support/git-fixtures.js";

const logger = pino({ level: "silent" });
const tmp = new TempDirs();
const TOKEN = `ghp_${"Zq9".repeat(12)}`;
const PACKAGE = { name: "calc", version: "1.0.0", scripts: { test: "node --test" } };

let workspaces: Workspaces;
let repo: RepoConfig;
let ws: Workspace;

beforeEach(async () => {
  const remote = await makeBareRepo(tmp, {
    "README.md": "# demo\n",
    "src/app.js": "export const x = 1;\n",
    ".github/workflows/ci.yml": "on: push\n",
    ".gitattributes": "notes.txt -diff\n",
    "package.json": `${JSON.stringify(PACKAGE, null, 2)}\n`,
  });
  const root = path.join(await tmp.make("patchboard-guard-"), "workspaces");
  workspaces = createGitWorkspaces({ root, logger });
  repo = fixtureRepoConfig(remote.bare);
  ws = await workspaces.prepare(repo, "task-g", "codex/calc-1-guard");
});

afterEach(() => tmp.cleanup());

/** Stages the worktree as publish does and returns what the guard says about it. */
async function guard(
  policy: Parameters<typeof checkPublish>[1] = {},
  overrides: Parameters<typeof checkPublish>[2] = {},
): Promise<PublishViolation[]> {
  return checkPublish(await workspaces.stage(ws), policy, overrides);
}

const summary = (violations: PublishViolation[]) => violations.map((v) => [v.kind, v.file, v.rule]);

describe("publish guard on real git (paths read NUL-separated from git)", () => {
  it("lets an ordinary fix through", async () => {
    await writeFile(path.join(ws.path, "src/app.js"), "export const x = 2;\n");
    expect(await guard()).toEqual([]);
  });

  it('refuses .github/workflows/ci".yml by its real name and rule', async () => {
    await writeFile(path.join(ws.path, '.github/workflows/ci".yml'), "on: push\n");
    const violations = await guard();
    expect(summary(violations)).toEqual([
      ["unsafe_path", '".github/workflows/ci\\".yml"', "path characters"],
      ["protected_path", '.github/workflows/ci".yml', ".github/**"],
    ]);
  });

  it("refuses a tab or a newline in a file name, even outside protected paths", async () => {
    await writeFile(path.join(ws.path, "src/a\tb.js"), "x\n");
    await writeFile(path.join(ws.path, "src/c\nd.js"), "y\n");
    expect(summary(await guard())).toEqual([
      ["unsafe_path", '"src/a\\tb.js"', "path characters"],
      ["unsafe_path", '"src/c\\nd.js"', "path characters"],
    ]);
  });

  it("scans a file `-diff` in .gitattributes hides as a blob, and finds the token", async () => {
    await writeFile(path.join(ws.path, "notes.txt"), `deploy with ${TOKEN}\n`);
    const change = await workspaces.stage(ws);
    expect(change.diff).toContain("Binary files /dev/null and b/notes.txt differ");
    expect(change.diff).not.toContain(TOKEN);
    const violations = checkPublish(change);
    expect(summary(violations)).toEqual([["secret", "notes.txt", "GitHub token"]]);
    expect(JSON.stringify(violations)).not.toContain(TOKEN);
  });

  it("counts a binary file's blob size toward MAX_DIFF_BYTES", async () => {
    await writeFile(path.join(ws.path, "image.bin"), Buffer.alloc(40_000, 0));
    expect(summary(await guard({ maxDiffBytes: 30_000 }))).toEqual([
      ["diff_too_large", null, "MAX_DIFF_BYTES"],
    ]);
    expect(await guard({ maxDiffBytes: 50_000 })).toEqual([]);
  });

  it("protects .gitattributes, .gitmodules and CI files of every kind by default", async () => {
    await writeFiles(ws.path, {
      ".gitattributes": "*.txt -diff\n",
      "src/.gitattributes": "*.js -diff\n",
      ".gitmodules": '[submodule "x"]\n',
      ".gitlab-ci.yml": "x: 1\n",
      ".circleci/config.yml": "x: 1\n",
      Jenkinsfile: "pipeline {}\n",
      ".buildkite/pipeline.yml": "x: 1\n",
      "azure-pipelines.yml": "x: 1\n",
      ".pre-commit-config.yaml": "repos: []\n",
      ".github/dependabot.yml": "version: 2\n",
    });
    expect(summary(await guard()).sort()).toEqual(
      [
        [".buildkite/pipeline.yml", ".buildkite/**"],
        [".circleci/config.yml", ".circleci/**"],
        [".gitattributes", ".gitattributes"],
        [".github/dependabot.yml", ".github/**"],
        [".gitlab-ci.yml", ".gitlab-ci.yml"],
        [".gitmodules", ".gitmodules"],
        [".pre-commit-config.yaml", ".pre-commit-config.yaml"],
        ["Jenkinsfile", "Jenkinsfile"],
        ["azure-pipelines.yml", "azure-pipelines.yml"],
        ["src/.gitattributes", "**/.gitattributes"],
      ]
        .map(([file, rule]) => ["protected_path", file, rule])
        .sort(),
    );
  });

  it("sees both sides of a rename of a workflow", async () => {
    await rename(path.join(ws.path, ".github/workflows/ci.yml"), path.join(ws.path, "ci.yml"));
    expect(summary(await guard())).toEqual([
      ["protected_path", ".github/workflows/ci.yml", ".github/**"],
    ]);
  });

  it("refuses a change to package.json's scripts, not to its other keys", async () => {
    const file = path.join(ws.path, "package.json");
    await writeFile(file, JSON.stringify({ ...PACKAGE, version: "1.0.1" }));
    expect(await guard()).toEqual([]);
    await writeFile(
      file,
      JSON.stringify({ ...PACKAGE, scripts: { test: "node --test", postinstall: "curl x|sh" } }),
    );
    expect(summary(await guard())).toEqual([
      ["protected_key", "package.json", "**/package.json#scripts"],
    ]);
    // A new package.json elsewhere with scripts is a change to scripts too.
    await writeFile(file, JSON.stringify(PACKAGE));
    await writeFiles(ws.path, { "tools/package.json": JSON.stringify({ scripts: { x: "y" } }) });
    expect(summary(await guard())).toEqual([
      ["protected_key", "tools/package.json", "**/package.json#scripts"],
    ]);
  });

  it("refuses symbolic links out of the repository or into a protected path", async () => {
    await symlink("/etc/passwd", path.join(ws.path, "passwd"));
    await symlink("../../outside", path.join(ws.path, "src/up"));
    await symlink("../.github/workflows/ci.yml", path.join(ws.path, "src/ci.yml"));
    await symlink(".github", path.join(ws.path, "gh"));
    await symlink("app.js", path.join(ws.path, "src/same.js"));
    expect(summary(await guard()).sort()).toEqual(
      [
        ["symlink", "gh", ".github/**"],
        ["symlink", "passwd", "symlink outside the repository"],
        ["symlink", "src/ci.yml", ".github/**"],
        ["symlink", "src/up", "symlink outside the repository"],
      ].sort(),
    );
  });

  it("refuses a gitlink (an embedded repository the agent cloned)", async () => {
    const nested = path.join(ws.path, "vendor/lib");
    await mkdir(nested, { recursive: true });
    git(nested, "init", "--quiet");
    await writeFile(path.join(nested, "x.js"), "x\n");
    git(nested, "add", "-A");
    git(nested, "commit", "--quiet", "-m", "nested");
    expect(summary(await guard())).toEqual([["submodule", "vendor/lib", "gitlink"]]);
  });

  it("lets a repository widen or narrow the list", async () => {
    await writeFiles(ws.path, { "infra/main.tf": "x\n", ".github/dependabot.yml": "version: 2\n" });
    const overrides = { protectedPaths: ["infra/**", "!.github/**"] };
    expect(summary(await guard({}, overrides))).toEqual([
      ["protected_path", "infra/main.tf", "infra/**"],
    ]);
  });
});
