import { mkdtempSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { readReposFile } from "../../server/config/repos-file.js";

function reposFile(entry: Record<string, unknown>): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), "repos-file-"));
  const file = path.join(dir, "repos.json");
  writeFileSync(
    file,
    JSON.stringify({ repositories: [{ jiraProject: "CALC", github: "acme/calc", ...entry }] }),
  );
  return file;
}

describe("the repositories file's environment settings", () => {
  it("reads setup, maintenance, setupEnv, cache keys, instructions and the test report", () => {
    const { repos, problems } = readReposFile(
      reposFile({
        testCommand: "npx vitest run --reporter=json",
        setupCommand: "npm ci",
        maintenanceCommand: "npm prune",
        setupEnv: ["NPM_TOKEN"],
        cacheKeyFiles: ["package-lock.json", "tools/versions.txt"],
        instructions: "Run `npm run lint` too.",
        testReport: { format: "json" },
      }),
      "https://github.com",
    );
    expect(problems).toEqual([]);
    expect(repos[0]).toMatchObject({
      setupCommand: "npm ci",
      maintenanceCommand: "npm prune",
      setupEnv: ["NPM_TOKEN"],
      cacheKeyFiles: ["package-lock.json", "tools/versions.txt"],
      instructions: "Run `npm run lint` too.",
      testReport: { format: "json", path: null },
    });
  });

  it("defaults to no setup, no instructions and exit-code verdicts", () => {
    const { repos } = readReposFile(reposFile({}), "https://github.com");
    expect(repos[0]).toMatchObject({
      setupCommand: null,
      maintenanceCommand: null,
      setupEnv: [],
      cacheKeyFiles: null,
      instructions: null,
      testReport: null,
    });
  });

  it("names every bad field: report format, paths outside the repository, variable names", () => {
    const { repos, problems } = readReposFile(
      reposFile({
        setupEnv: ["NPM TOKEN"],
        cacheKeyFiles: ["../server/.env"],
        testReport: { format: "xunit", path: "/etc/passwd" },
      }),
      "https://github.com",
    );
    expect(repos).toEqual([]);
    expect(problems.map((p) => p.replace(/^REPOS_FILE \S+: /, "").split(":")[0])).toEqual([
      "repositories.0.setupEnv.0",
      "repositories.0.cacheKeyFiles.0",
      "repositories.0.testReport.format",
      "repositories.0.testReport.path",
    ]);
  });
});
