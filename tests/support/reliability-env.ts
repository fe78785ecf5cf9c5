import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { pino } from "pino";
import { startServer, type RunningServer } from "../../server/bootstrap/start-server.js";
import type { ServiceOverrides } from "../../server/bootstrap/build-services.js";
import type { AppConfig } from "../../server/config/app-config.js";
import { loadConfig } from "../../server/config/load-config.js";
import { startFakeGitHub, type FakeGitHub } from "../../server/sandbox/fake-github/index.js";
import {
  startFakeJira,
  type FakeIssueSeed,
  type FakeJira,
} from "../../server/sandbox/fake-jira/index.js";
import {
  SCRIPTED_MODEL_NAME,
  startScriptedModel,
  type Script,
  type ScriptedModel,
} from "../../server/sandbox/scripted-model/index.js";
import { BUGGY_SUM } from "./codex-fixtures.js";
import { makeBareRepo, TempDirs, type BareRepo } from "./git-fixtures.js";
import { CLOUD_CREDENTIALS } from "./jira-fixtures.js";
import { TEST_STATE_DIR } from "./test-state-dir.js";

/**
 * A whole Patchboard world for reliability tests: the scripted model (driving the real
 * Codex binary), fake Jira and GitHub over HTTP, a real bare repository, and the
 * environment a production server reads. DATA_DIR (and so CODEX_HOME) lives under
 * tests/.artifacts, never /tmp.
 */

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const ARTIFACTS = path.join(TEST_STATE_DIR, "reliability");

/** The GitHub token the fake accepts. */
export const GITHUB_TOKEN = "ghp_reliability_test_token_0123456789";
/** API tokens per role (`PATCHBOARD_API_TOKENS`). */
export const API_TOKENS = {
  pm: "reliability-pm-token-0123456789",
  engineer: "reliability-engineer-token-0123",
  admin: "reliability-admin-token-0123456789",
} as const;

/** Bug tickets CALC-1 … CALC-n for the calc repository. */
export function calcTickets(count: number): FakeIssueSeed[] {
  return Array.from({ length: count }, (_, i) => ({
    key: `CALC-${i + 1}`,
    summary: `sum() returns the difference (${i + 1})`,
    description: "sum(2, 3) gives -1 instead of 5.",
    priority: "High",
  }));
}

/** Options of {@link startReliabilityEnv}. */
export interface ReliabilityEnvOptions {
  scripts: Script[];
  tickets?: FakeIssueSeed[];
  /** Extra files of the calc repository's first commit (e.g. a `.gitattributes`). */
  repoFiles?: Record<string, string>;
  /** Extra or overriding environment variables. */
  env?: Record<string, string>;
}

/** A running world; `env` is what a server started on it reads. */
export interface ReliabilityEnv {
  model: ScriptedModel;
  jira: FakeJira;
  github: FakeGitHub;
  repo: BareRepo;
  dataDir: string;
  env: Record<string, string>;
  /** The production configuration parsed from `env` (as `main.ts` would). */
  config(): AppConfig;
  /** Starts a server in this process on the world. */
  start(overrides?: ServiceOverrides): Promise<RunningServer>;
  close(): Promise<void>;
}

/** Starts the fakes and writes the repositories file. */
export async function startReliabilityEnv(options: ReliabilityEnvOptions): Promise<ReliabilityEnv> {
  const tmp = new TempDirs();
  await mkdir(ARTIFACTS, { recursive: true });
  const root = await mkdtemp(path.join(ARTIFACTS, "run-"));
  const dataDir = path.join(root, "data");
  const repo = await makeBareRepo(tmp, {
    "package.json": JSON.stringify({ name: "calc", type: "module" }, null, 2),
    "src/sum.js": BUGGY_SUM,
    "test/sum.test.js": [
      'import { test } from "node:test";',
      'import assert from "node:assert/strict";',
      'import { sum } from "../src/sum.js";',
      'test("sum adds", () => assert.equal(sum(2, 3), 5));',
      "",
    ].join("\n"),
    ...options.repoFiles,
  });
  const model = await startScriptedModel({ scripts: options.scripts });
  const jira = await startFakeJira({
    issues: options.tickets ?? calcTickets(5),
    credentials: CLOUD_CREDENTIALS,
  });
  const github = await startFakeGitHub({
    token: GITHUB_TOKEN,
    repos: { "acme/calc": { bareRepoPath: repo.bare, defaultBranch: "main" } },
  });
  const reposFile = path.join(root, "repos.json");
  await writeFile(
    reposFile,
    JSON.stringify({
      repositories: [
        {
          jiraProject: "CALC",
          github: "acme/calc",
          baseBranch: "main",
          cloneUrl: repo.bare,
          testCommand: "node --test",
        },
      ],
    }),
  );
  const env: Record<string, string> = {
    PATCHBOARD_MODE: "production",
    PORT: "0",
    HOST: "127.0.0.1",
    DATA_DIR: dataDir,
    LOG_LEVEL: "info",
    CODEX_API_KEY: "sk-reliability-test",
    CODEX_BASE_URL: model.url,
    CODEX_MODEL: SCRIPTED_MODEL_NAME,
    JIRA_BASE_URL: jira.url,
    JIRA_EMAIL: CLOUD_CREDENTIALS.email,
    JIRA_API_TOKEN: CLOUD_CREDENTIALS.apiToken,
    GITHUB_TOKEN,
    GITHUB_API_URL: github.url,
    REPOS_FILE: reposFile,
    AUTH_MODE: "dev",
    PATCHBOARD_API_TOKENS: Object.entries(API_TOKENS)
      .map(([role, token]) => `${token}:${role}@acme.test:${role}`)
      .join(","),
    TASK_RATE_LIMIT_PER_MINUTE: "100000",
    MAX_CONCURRENT_TASKS: "2",
    ...options.env,
  };
  const config = (): AppConfig => {
    const loaded = loadConfig(env, REPO_ROOT);
    if (loaded.mode !== "production") throw new Error("expected a production configuration");
    return loaded.config;
  };
  const running: RunningServer[] = [];
  return {
    model,
    jira,
    github,
    repo,
    dataDir,
    env,
    config,
    async start(overrides) {
      const server = await startServer(
        config(),
        pino({ level: process.env.TEST_LOG ?? "silent" }),
        {
          webDir: null,
          services: overrides ?? {},
        },
      );
      running.push(server);
      return server;
    },
    async close() {
      for (const server of running.splice(0)) await server.close().catch(() => undefined);
      await Promise.all([model.close(), jira.close(), github.close()]);
      await tmp.cleanup();
      await rm(root, { recursive: true, force: true });
    },
  };
}
