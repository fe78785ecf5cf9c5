import path from "node:path";
import type { ApiToken, AppConfig, BaseConfig } from "../../server/config/app-config.js";
import type { RepoConfig } from "../../server/domain/repo-config.js";
import { SCRIPTED_MODEL_NAME } from "../../server/sandbox/scripted-model/index.js";

/** What every production-mode test server needs from its own fixtures. */
export interface TestConfigInput {
  /** The server's DATA_DIR (outside /tmp: Codex homes live under it). */
  dataDir: string;
  /** The scripted model's Responses API root. */
  modelUrl: string;
  jiraUrl: string;
  githubUrl: string;
  repos: RepoConfig[];
  /** Service tokens the test calls the API with. */
  apiTokens: ApiToken[];
  /** The credentials the test plants, to look for them where they must not be. */
  secrets: TestSecrets;
}

/** The upstream credentials a test server is given. */
export interface TestSecrets {
  codexKey: string;
  jiraToken: string;
  githubToken: string;
}

/** The account the fake Jira accepts with a test's Jira token. */
export const TEST_JIRA_EMAIL = "bot@acme.test";

/** The settings of a test server that do not depend on where its data and upstreams are. */
export type TestBaseConfig = Omit<BaseConfig, "dataDir" | "codexHome">;

/** What a test changes of the base: whole top-level values, or some `auth` or `tasks` settings. */
export type TestBaseOverrides = Partial<Omit<TestBaseConfig, "auth" | "tasks">> & {
  auth?: Partial<BaseConfig["auth"]>;
  tasks?: Partial<BaseConfig["tasks"]>;
};

/** What a test changes of {@link testConfig}'s defaults; `jira` may be changed in part too. */
export type TestConfigOverrides = TestBaseOverrides &
  Partial<Omit<AppConfig, keyof BaseConfig | "jira">> & {
    jira?: Partial<AppConfig["jira"]>;
  };

/**
 * The settings every test server shares (production mode, dev sign-in, prices, deadlines),
 * for tests that mount the HTTP app without a data directory or upstreams.
 */
export function testBaseConfig(overrides: TestBaseOverrides = {}): TestBaseConfig {
  const { auth, tasks, ...rest } = overrides;
  return {
    mode: "production",
    version: "test",
    port: 0,
    host: "127.0.0.1",
    logLevel: "silent",
    auth: { mode: "dev", devUsers: [], apiTokens: [], sessionTtlMs: 3_600_000, ...auth },
    git: { authorName: "Patchboard", authorEmail: "patchboard@acme.test" },
    pricing: {
      currency: "USD",
      inputPerMillion: 1,
      cachedInputPerMillion: 0.1,
      outputPerMillion: 10,
    },
    tasks: {
      maxConcurrent: 2,
      // Deadlines for hangs, not for pacing: a loaded 2-core machine runs a turn slowly.
      turnTimeoutMs: 600_000,
      idleTimeoutMs: 300_000,
      workspaceRetentionHours: 72,
      ...tasks,
    },
    ...rest,
  };
}

/**
 * One production-mode configuration for integration tests and the bench, so a new setting
 * is added in one place instead of in every test's literal. Tests pass what they test.
 */
export function testConfig(input: TestConfigInput, overrides: TestConfigOverrides = {}): AppConfig {
  const { jira, auth, tasks, ...rest } = overrides;
  return {
    ...testBaseConfig({ auth: { apiTokens: input.apiTokens, ...auth }, tasks }),
    dataDir: input.dataDir,
    codexHome: path.join(input.dataDir, "codex-home"),
    codex: { apiKey: input.secrets.codexKey, baseUrl: input.modelUrl, model: SCRIPTED_MODEL_NAME },
    jira: {
      baseUrl: input.jiraUrl,
      auth: { kind: "basic", email: TEST_JIRA_EMAIL, apiToken: input.secrets.jiraToken },
      jql: "issuetype = Bug ORDER BY created DESC",
      transitionOnStart: null,
      transitionOnPr: null,
      ...jira,
    },
    github: { token: input.secrets.githubToken, apiUrl: input.githubUrl },
    repos: input.repos,
    ...rest,
  };
}
