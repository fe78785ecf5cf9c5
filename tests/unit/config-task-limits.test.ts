import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { loadConfig } from "../../server/config/load-config.js";
import { readReposFile } from "../../server/config/repos-file.js";
import { configProblems } from "../support/config-problems.js";

const dir = mkdtempSync(path.join(os.homedir(), ".patchboard-config-limits-test-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function reposFile(entry: Record<string, unknown>): string {
  const file = path.join(dir, `repos-${Math.random().toString(36).slice(2)}.json`);
  writeFileSync(
    file,
    JSON.stringify({ repositories: [{ jiraProject: "CALC", github: "acme/calc", ...entry }] }),
  );
  return file;
}

describe("limits across workers in the configuration", () => {
  it("reads TOTAL_MAX_CONCURRENT_TASKS, unset or empty meaning no limit", () => {
    expect(
      loadConfig({ TOTAL_MAX_CONCURRENT_TASKS: "12" }, dir).config.tasks.totalMaxConcurrent,
    ).toBe(12);
    expect(loadConfig({}, dir).config.tasks.totalMaxConcurrent).toBeNull();
    expect(
      loadConfig({ TOTAL_MAX_CONCURRENT_TASKS: "" }, dir).config.tasks.totalMaxConcurrent,
    ).toBeNull();
    expect(configProblems({ TOTAL_MAX_CONCURRENT_TASKS: "0" }, dir)).toEqual([
      "TOTAL_MAX_CONCURRENT_TASKS: Too small: expected number to be >0",
    ]);
  });

  it("reads a repository's maxConcurrentTasks and names a bad one", () => {
    const ok = readReposFile(reposFile({ maxConcurrentTasks: 3 }), "https://github.com");
    expect(ok.problems).toEqual([]);
    expect(ok.repos[0]?.maxConcurrentTasks).toBe(3);
    expect(readReposFile(reposFile({}), "https://github.com").repos[0]).not.toHaveProperty(
      "maxConcurrentTasks",
    );
    const bad = readReposFile(reposFile({ maxConcurrentTasks: 0 }), "https://github.com");
    expect(bad.problems).toEqual([
      expect.stringMatching(/^REPOS_FILE \S+: repositories\.0\.maxConcurrentTasks: Too small/),
    ]);
  });
});
