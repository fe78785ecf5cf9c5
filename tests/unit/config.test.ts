import { mkdtempSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { ConfigError } from "../../server/config/config-error.js";
import { loadConfig } from "../../server/config/load-config.js";

const cwd = mkdtempSync(path.join(os.homedir(), ".patchboard-config-test-"));

function reposFile(content: unknown): string {
  const file = path.join(mkdtempSync(path.join(cwd, "repos-")), "repos.json");
  writeFileSync(file, typeof content === "string" ? content : JSON.stringify(content));
  return file;
}

function configError(env: Record<string, string>): ConfigError {
  try {
    loadConfig(env, cwd);
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error("expected a ConfigError");
}

function problemsOf(env: Record<string, string>): string[] {
  return configError(env).problems;
}

const production = {
  AUTH_MODE: "dev",
  CODEX_API_KEY: "sk-test",
  JIRA_BASE_URL: "https://acme.atlassian.net/",
  JIRA_EMAIL: "bot@acme.test",
  JIRA_API_TOKEN: "jira-token",
  GITHUB_TOKEN: "ghp_test",
};

describe("loadConfig", () => {
  it("starts the sandbox when nothing is configured, with defaults", () => {
    const loaded = loadConfig({}, cwd);
    expect(loaded.mode).toBe("sandbox");
    expect(loaded.config).toMatchObject({
      port: 3000,
      host: "127.0.0.1",
      dataDir: path.join(cwd, "data"),
      codexHome: path.join(cwd, "data", "codex-home"),
      tasks: { maxConcurrent: 2, turnTimeoutMs: 1_200_000 },
    });
  });

  it("treats empty values as unset (a copied .env.example is still the sandbox)", () => {
    expect(loadConfig({ CODEX_API_KEY: "", JIRA_BASE_URL: "", GITHUB_TOKEN: " " }, cwd).mode).toBe(
      "sandbox",
    );
  });

  it("builds a production config with the repositories file", () => {
    const REPOS_FILE = reposFile({
      repositories: [
        { jiraProject: "CALC", github: "acme/calc", testCommand: "npm test", reviewers: ["ada"] },
        {
          jiraProject: "WEB",
          github: "acme/web",
          baseBranch: "develop",
          cloneUrl: "../remotes/web.git",
        },
      ],
    });
    const loaded = loadConfig({ ...production, REPOS_FILE, JIRA_JQL: "project = CALC" }, cwd);
    if (loaded.mode !== "production") throw new Error("expected production");
    const { config } = loaded;
    expect(config.jira).toMatchObject({
      baseUrl: "https://acme.atlassian.net",
      auth: { kind: "basic", email: "bot@acme.test", apiToken: "jira-token" },
      jql: "project = CALC",
    });
    expect(config.repos[0]).toEqual({
      jiraProject: "CALC",
      github: "acme/calc",
      baseBranch: "main",
      cloneUrl: "https://github.com/acme/calc.git",
      testCommand: "npm test",
      reviewers: ["ada"],
      setupCommand: null,
      maintenanceCommand: null,
      setupEnv: [],
      cacheKeyFiles: null,
      instructions: null,
      testReport: null,
    });
    expect(config.repos[1]?.cloneUrl).toBe(
      `file://${path.resolve(path.dirname(REPOS_FILE), "../remotes/web.git")}`,
    );
  });

  it("lists every problem of a half-filled production setup at once", () => {
    const problems = problemsOf({
      AUTH_MODE: "dev",
      GITHUB_TOKEN: "ghp",
      JIRA_EMAIL: "bot@acme.test",
      REPOS_FILE: "missing.json",
    });
    expect(problems.join("\n")).toMatch(/CODEX_API_KEY: required/);
    expect(problems.join("\n")).toMatch(/JIRA_BASE_URL: required/);
    expect(problems.join("\n")).toMatch(/JIRA_API_TOKEN: required/);
    expect(problems.join("\n")).toMatch(/REPOS_FILE: cannot read/);
    expect(problems).toHaveLength(4);
  });

  it("reports malformed values by name, with what to set", () => {
    const problems = problemsOf({ PORT: "http", MAX_CONCURRENT_TASKS: "0", JIRA_BASE_URL: "jira" });
    expect(problems.some((p) => p.startsWith("PORT:"))).toBe(true);
    expect(problems.some((p) => p.startsWith("MAX_CONCURRENT_TASKS:"))).toBe(true);
    expect(problems.some((p) => p.startsWith("JIRA_BASE_URL:") && p.includes("URL"))).toBe(true);
  });

  it("refuses both Jira credential kinds, a CODEX_HOME under /tmp and bad token lists", () => {
    const REPOS_FILE = reposFile({ repositories: [{ jiraProject: "CALC", github: "acme/calc" }] });
    const problems = problemsOf({
      ...production,
      REPOS_FILE,
      JIRA_PAT: "pat",
      CODEX_HOME: "/tmp/codex",
      PATCHBOARD_API_TOKENS: "short:a@b.c:admin,0123456789abcdef0:a@b.c:root",
      PATCHBOARD_DEV_USERS: "ada@acme.test:wizard",
    });
    const text = problems.join("\n");
    expect(text).toContain("JIRA_PAT: set either");
    expect(text).toContain("CODEX_HOME: /tmp/codex is under the temporary folder");
    expect(text).toContain("PATCHBOARD_API_TOKENS: entry 1");
    expect(text).toContain("PATCHBOARD_API_TOKENS: entry 2");
    expect(text).toContain('PATCHBOARD_DEV_USERS: "ada@acme.test:wizard"');
    // A token is never echoed in a problem.
    expect(text).not.toContain("0123456789abcdef0");
  });

  it("validates the repositories file with the field's path", () => {
    const REPOS_FILE = reposFile({
      repositories: [
        { jiraProject: "calc", github: "acme/calc" },
        { jiraProject: "WEB", github: "not a repo", extra: 1 },
        { jiraProject: "WEB", github: "acme/web2" },
      ],
    });
    const text = problemsOf({ ...production, REPOS_FILE }).join("\n");
    expect(text).toContain("repositories.0.jiraProject");
    expect(text).toContain("repositories.1.github");
    expect(text).toMatch(/repositories\.1: .*extra/i);
    expect(text).toContain("WEB is mapped twice");
    expect(problemsOf({ ...production, REPOS_FILE: reposFile("{not json") }).join("\n")).toContain(
      "not valid JSON",
    );
  });

  it("renders one message listing every problem, without a stack", () => {
    const error = new ConfigError(["A: one", "B: two"]);
    expect(error.message).toBe(
      "Patchboard cannot start: the configuration has problems.\n  - A: one\n  - B: two\nSee .env.example for every setting.",
    );
  });
});

describe("pushRepository in the repositories file", () => {
  it("derives the fork's push URL like the upstream's clone URL, or resolves a given path", () => {
    const REPOS_FILE = reposFile({
      repositories: [
        { jiraProject: "CALC", github: "acme/calc", pushRepository: "calc-bot/calc" },
        {
          jiraProject: "WEB",
          github: "acme/web",
          pushRepository: "web-bot/web",
          pushUrl: "../remotes/web-fork.git",
        },
        { jiraProject: "API", github: "acme/api" },
      ],
    });
    const loaded = loadConfig(
      { ...production, GITHUB_API_URL: "https://ghe.acme.test/api/v3", REPOS_FILE },
      cwd,
    );
    if (loaded.mode !== "production") throw new Error("expected production");
    const [calc, web, api] = loaded.config.repos;
    expect(calc).toMatchObject({
      cloneUrl: "https://ghe.acme.test/acme/calc.git",
      pushRepository: "calc-bot/calc",
      pushUrl: "https://ghe.acme.test/calc-bot/calc.git",
    });
    expect(web?.pushUrl).toBe(
      `file://${path.resolve(path.dirname(REPOS_FILE), "../remotes/web-fork.git")}`,
    );
    // Without it nothing changes: no fork fields at all.
    expect(api).not.toHaveProperty("pushRepository");
    expect(api).not.toHaveProperty("pushUrl");
  });

  it("lists a bad pushRepository with the other problems in one message", () => {
    const REPOS_FILE = reposFile({
      repositories: [
        { jiraProject: "CALC", github: "acme/calc", pushRepository: "calc-bot" },
        { jiraProject: "WEB", github: "acme/web", pushRepository: "ACME/web" },
        { jiraProject: "API", github: "acme/api", pushUrl: "/srv/fork.git" },
      ],
    });
    const { JIRA_API_TOKEN: _dropped, ...withoutJiraToken } = production;
    const error = configError({ ...withoutJiraToken, REPOS_FILE });
    expect(error.problems.filter((p) => p.includes("repositories."))).toEqual([
      `REPOS_FILE ${REPOS_FILE}: repositories.0.pushRepository: must be owner/name (a GitHub repository)`,
      `REPOS_FILE ${REPOS_FILE}: repositories.1.pushRepository: must be a fork, not the repository itself (leave it out to push to github)`,
      `REPOS_FILE ${REPOS_FILE}: repositories.2.pushUrl: needs pushRepository (the fork it is the URL of)`,
    ]);
    expect(error.problems.some((p) => p.includes("JIRA_API_TOKEN"))).toBe(true);
    expect(error.message).toContain("repositories.0.pushRepository: must be owner/name");
  });
});
