import { spawn, type ChildProcess } from "node:child_process";
import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { createInterface } from "node:readline";
import type { AppConfig } from "../../server/config/app-config.js";
import type { RepoConfig } from "../../server/domain/repo-config.js";
import { startFakeGitHub, type FakeGitHub } from "../../server/sandbox/fake-github/index.js";
import { startFakeJira, type FakeJira } from "../../server/sandbox/fake-jira/index.js";
import {
  startScriptedModel,
  type Script,
  type ScriptedModel,
} from "../../server/sandbox/scripted-model/index.js";
import { TEST_JIRA_EMAIL, testConfig, type TestSecrets } from "../../tests/support/test-config.js";
import { REPO_ROOT } from "./paths.js";

/** The bench's service token (local only; the fakes and the server accept nothing else). */
export const TOKEN = "svc-token-bench-0123456789abcdef";
/** The upstream credentials (local only; the fakes accept these and nothing else). */
const SECRETS: TestSecrets = {
  codexKey: "sk-bench-not-a-real-key",
  jiraToken: "jira-bench-token-0123",
  githubToken: "ghp_benchToken0123456789",
};
/** The repository every bench task works on. */
export const BENCH_REPO = "acme/big";

/** Options of {@link startBenchEnv}. */
export interface BenchEnvOptions {
  /** The run's data directory (database, workspaces, CODEX_HOME). */
  dataDir: string;
  /** The bare repository standing in for GitHub's copy of {@link BENCH_REPO}; null: none. */
  remote: string | null;
  scripts: Script[];
  /** Jira tickets to serve, by key. */
  tickets: string[];
  maxConcurrent: number;
  webDir?: string | null;
  /** What the bench repository's entry changes (a setup command, no tests…). */
  repo?: Partial<Pick<RepoConfig, "setupCommand" | "testCommand">>;
  /** `AGENT_ISOLATION`; absent: none (the figures that do not measure isolation). */
  isolation?: "bubblewrap" | "off";
  /** Warm worktrees kept per repository; the server's default when absent. */
  warmWorktrees?: number;
  /** DATABASE_URL of a PostgreSQL database; absent: SQLite in the data directory. */
  databaseUrl?: string;
}

/** A server process plus the fakes it talks to. */
export interface BenchEnv {
  url: string;
  server: ChildProcess;
  model: ScriptedModel;
  jira: FakeJira;
  github: FakeGitHub;
  config: AppConfig;
  /** Calls the API as the bench's service user. */
  api(pathname: string, init?: RequestInit): Promise<Response>;
  /** The server's memory after a full GC (`process.memoryUsage()`). */
  memory(): Promise<NodeJS.MemoryUsage>;
  close(): Promise<void>;
}

/** Starts the fakes in this process and Patchboard in a child process. */
export async function startBenchEnv(options: BenchEnvOptions): Promise<BenchEnv> {
  await mkdir(options.dataDir, { recursive: true });
  const jira = await startFakeJira({
    credentials: { email: TEST_JIRA_EMAIL, apiToken: SECRETS.jiraToken },
    issues: options.tickets.map((key) => ({
      key,
      summary: `Bench bug ${key}`,
      description: "Steps: call sum(2, 3). Expected 5, got -1.",
      priority: "High",
      transitions: [
        { name: "In Progress", to: "In Progress" },
        { name: "In Review", to: "In Review" },
      ],
    })),
  });
  const github = await startFakeGitHub({
    token: SECRETS.githubToken,
    repos:
      options.remote === null
        ? {}
        : {
            [BENCH_REPO]: {
              bareRepoPath: options.remote,
              defaultBranch: "main",
              collaborators: [],
            },
          },
  });
  const model = await startScriptedModel({ scripts: options.scripts });
  const config = benchConfig(options, { jira: jira.url, github: github.url, model: model.url });
  const specFile = path.join(options.dataDir, "server-spec.json");
  const logFile = path.join(options.dataDir, "server.log");
  const services =
    options.warmWorktrees === undefined ? {} : { warmWorktrees: options.warmWorktrees };
  await writeFile(
    specFile,
    JSON.stringify({ config, webDir: options.webDir ?? null, logFile, services }),
  );
  const server = spawn(
    process.execPath,
    ["--expose-gc", "--import", "tsx", path.join(REPO_ROOT, "bench/lib/server-main.ts"), specFile],
    { cwd: REPO_ROOT, stdio: ["ignore", "pipe", "inherit", "ipc"] },
  );
  const url = await new Promise<string>((resolve, reject) => {
    const lines = createInterface({ input: server.stdout as NodeJS.ReadableStream });
    lines.once("line", (line) => resolve((JSON.parse(line) as { url: string }).url));
    server.once("exit", (code) =>
      reject(new Error(`the server exited with ${code}; see ${logFile}`)),
    );
  });
  const api = (pathname: string, init: RequestInit = {}) =>
    fetch(`${url}${pathname}`, {
      ...init,
      headers: {
        Authorization: `Bearer ${TOKEN}`,
        "Content-Type": "application/json",
        Accept: "application/json",
        ...(init.headers as Record<string, string> | undefined),
      },
    });
  const memory = () =>
    new Promise<NodeJS.MemoryUsage>((resolve) => {
      server.once("message", (m) => resolve((m as { mem: NodeJS.MemoryUsage }).mem));
      server.send("mem");
    });
  const close = async () => {
    const exited = new Promise((resolve) => server.once("exit", resolve));
    server.send("stop");
    await Promise.race([exited, new Promise((r) => setTimeout(r, 15_000))]);
    if (server.exitCode === null) server.kill("SIGKILL");
    await Promise.all([model.close(), jira.close(), github.close()]);
  };
  return { url, server, model, jira, github, config, api, memory, close };
}

function benchConfig(
  options: BenchEnvOptions,
  urls: { jira: string; github: string; model: string },
): AppConfig {
  return testConfig(
    {
      dataDir: options.dataDir,
      modelUrl: urls.model,
      jiraUrl: urls.jira,
      githubUrl: urls.github,
      repos:
        options.remote === null
          ? []
          : [
              {
                jiraProject: "BENCH",
                github: BENCH_REPO,
                baseBranch: "main",
                cloneUrl: options.remote,
                testCommand: "npm test",
                reviewers: [],
                ...options.repo,
              },
            ],
      apiTokens: [
        { token: TOKEN, user: { email: "bench@acme.test", name: "Bench", role: "admin" } },
      ],
      secrets: SECRETS,
    },
    {
      version: "bench",
      // BENCH_LOG_LEVEL=debug logs each step's own time (the warm claim, the fetch…).
      logLevel: process.env.BENCH_LOG_LEVEL === "debug" ? "debug" : "info",
      // The bench starts tasks faster than a person could; the limit is not what is measured.
      security: { taskRateLimitPerMinute: 100_000, trustProxy: [] },
      tasks: { maxConcurrent: options.maxConcurrent },
      jira: { transitionOnStart: "In Progress", transitionOnPr: "In Review" },
      ...(options.isolation === undefined ? {} : { isolation: options.isolation }),
      ...(options.databaseUrl === undefined ? {} : { database: { url: options.databaseUrl } }),
    },
  );
}
