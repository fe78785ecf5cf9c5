import { readFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import type { AppConfig, BaseConfig, JiraAuth, ReviewConfig } from "./app-config.js";
import { ConfigError } from "./config-error.js";
import { EnvSchema, type Env } from "./env-schema.js";
import { authConfig } from "./auth-config.js";
import { IpAllowList } from "./ip-allow-list.js";
import { readReposFile } from "./repos-file.js";
import type { RepoConfig } from "../domain/repo-config.js";
import { DEFAULT_PROTECTED_PATHS } from "../domain/publish-guard/index.js";
import { parseReviewSchedule } from "../domain/reviews/review-schedule.js";

/** What start-up found: a full production configuration, or the base of a sandbox run. */
export type LoadedConfig =
  { mode: "production"; config: AppConfig } | { mode: "sandbox"; config: BaseConfig; env: Env };

/** The settings whose presence means "connect to real services". */
const PRODUCTION_KEYS = [
  "CODEX_API_KEY",
  "CODEX_BASE_URL",
  "JIRA_BASE_URL",
  "JIRA_EMAIL",
  "JIRA_API_TOKEN",
  "JIRA_PAT",
  "GITHUB_TOKEN",
] as const;

/**
 * Parses the environment once, at start-up. Sandbox mode is chosen by
 * `PATCHBOARD_MODE=sandbox` or by the absence of every Codex, Jira and GitHub setting;
 * a production setting left half-filled is an error, never a silent fall-back.
 *
 * @throws ConfigError listing every problem.
 */
export function loadConfig(
  source: Record<string, string | undefined>,
  cwd: string = process.cwd(),
): LoadedConfig {
  const parsed = EnvSchema.safeParse(source);
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`),
    );
  }
  const env = parsed.data;
  const problems: string[] = [];
  const mode =
    env.PATCHBOARD_MODE ??
    (PRODUCTION_KEYS.some((key) => env[key] !== undefined) ? "production" : "sandbox");
  const base = baseConfig(env, mode, cwd, problems);
  if (mode === "sandbox") {
    if (problems.length > 0) throw new ConfigError(problems);
    return { mode, config: base, env };
  }
  const config = productionConfig(env, base, cwd, problems);
  if (config !== null) config.setupEnvValues = setupEnvValues(config.repos, source, problems);
  if (problems.length > 0 || config === null) throw new ConfigError(problems);
  return { mode, config };
}

function baseConfig(
  env: Env,
  mode: BaseConfig["mode"],
  cwd: string,
  problems: string[],
): BaseConfig {
  const dataDir = path.resolve(cwd, env.DATA_DIR);
  const codexHome = path.resolve(cwd, env.CODEX_HOME ?? path.join(dataDir, "codex-home"));
  if (isInside(codexHome, os.tmpdir()) || isInside(codexHome, "/tmp")) {
    problems.push(
      `CODEX_HOME: ${codexHome} is under the temporary folder, where Codex misbehaves; set CODEX_HOME (or DATA_DIR) elsewhere`,
    );
  } else if (isInside(dataDir, os.tmpdir()) || isInside(dataDir, "/tmp")) {
    // Each task's own Codex home lives in DATA_DIR/agent-homes.
    problems.push(
      `DATA_DIR: ${dataDir} is under the temporary folder, where the tasks' Codex homes (DATA_DIR/agent-homes) cannot live; set DATA_DIR elsewhere`,
    );
  }
  if (env.PATCHBOARD_ROLE !== "all" && env.DATABASE_URL === undefined) {
    // Processes share nothing but the database: SQLite in one DATA_DIR cannot be it.
    problems.push(
      `PATCHBOARD_ROLE: ${env.PATCHBOARD_ROLE} needs DATABASE_URL (PostgreSQL), which API nodes and workers share`,
    );
  }
  return {
    mode,
    version: readVersion(),
    port: env.PORT,
    host: env.HOST,
    dataDir,
    logLevel: env.LOG_LEVEL,
    auth: authConfig(env, mode, problems),
    security: {
      taskRateLimitPerMinute: env.TASK_RATE_LIMIT_PER_MINUTE,
      diffRateLimitPerMinute: env.DIFF_RATE_LIMIT_PER_MINUTE,
      eventStreamsPerPerson: env.EVENT_STREAMS_PER_PERSON,
      trustProxy: trustProxy(env.TRUST_PROXY, problems),
    },
    publishGuard: {
      protectedPaths: protectedPaths(env.PROTECTED_PATHS),
      maxDiffBytes: env.MAX_DIFF_BYTES,
    },
    reviews: reviewConfig(env, problems),
    hooks: {
      githubWebhookSecret: env.GITHUB_WEBHOOK_SECRET ?? null,
      githubMention: env.GITHUB_MENTION,
      ciFixMaxRounds: env.CI_FIX_MAX_ROUNDS,
      reviewMaxRounds: env.REVIEW_MAX_ROUNDS,
      githubPollIntervalMs: env.GITHUB_POLL_INTERVAL_MS,
      jiraWebhookSecret: env.JIRA_WEBHOOK_SECRET ?? null,
      jiraTriggerLabel: env.JIRA_TRIGGER_LABEL,
      jiraTransitionOnMerge: env.JIRA_TRANSITION_ON_MERGE ?? null,
    },
    git: { authorName: env.GIT_AUTHOR_NAME, authorEmail: env.GIT_AUTHOR_EMAIL },
    pricing: {
      currency: env.PRICE_CURRENCY,
      inputPerMillion: env.PRICE_INPUT_PER_MILLION,
      cachedInputPerMillion: env.PRICE_CACHED_INPUT_PER_MILLION,
      outputPerMillion: env.PRICE_OUTPUT_PER_MILLION,
    },
    budgets: {
      task: env.TASK_BUDGET ?? null,
      daily: env.DAILY_BUDGET ?? null,
      person: env.PERSON_DAILY_BUDGET ?? null,
      repo: env.REPO_DAILY_BUDGET ?? null,
      maxRequestsPerTask: env.MAX_REQUESTS_PER_TASK ?? null,
    },
    role: env.PATCHBOARD_ROLE,
    workerHealthPort: env.WORKER_HEALTH_PORT ?? null,
    tasks: {
      maxConcurrent: env.MAX_CONCURRENT_TASKS,
      totalMaxConcurrent: env.TOTAL_MAX_CONCURRENT_TASKS ?? null,
      leaseMs: env.TASK_LEASE_MS,
      turnTimeoutMs: env.CODEX_TURN_TIMEOUT_MS,
      idleTimeoutMs: env.CODEX_IDLE_TIMEOUT_MS,
      workspaceRetentionHours: env.WORKSPACE_RETENTION_HOURS,
      setupTimeoutMs: env.SETUP_TIMEOUT_MS,
      testTimeoutMs: env.TEST_TIMEOUT_MS,
    },
    codexHome,
    isolation: env.AGENT_ISOLATION,
    database: { url: env.DATABASE_URL ?? null },
  };
}

/**
 * The values of the variables named by the repositories' `setupEnv`, taken from the
 * server's environment now (setup alone sees them, never the agent). A name that is not
 * set is a start-up problem: a setup that silently lacks its registry token fails later
 * and less clearly.
 */
function setupEnvValues(
  repos: readonly RepoConfig[],
  source: Record<string, string | undefined>,
  problems: string[],
): Record<string, string> {
  const values: Record<string, string> = {};
  for (const repo of repos) {
    for (const name of repo.setupEnv ?? []) {
      const value = source[name];
      if (value === undefined) {
        problems.push(`REPOS_FILE: ${repo.github}: setupEnv names ${name}, which is not set`);
      } else values[name] = value;
    }
  }
  return values;
}

/** `TRUST_PROXY`: loopback plus the listed proxies. */
function trustProxy(value: string | undefined, problems: string[]): string[] {
  const parsed = IpAllowList.parse("TRUST_PROXY", value);
  problems.push(...parsed.problems);
  return ["loopback", ...parsed.list.entries];
}

/** `PROTECTED_PATHS` (comma-separated globs) or the publish guard's defaults. */
function protectedPaths(value: string | undefined): string[] {
  const globs = (value ?? "")
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
  return globs.length > 0 ? globs : [...DEFAULT_PROTECTED_PATHS];
}

/** `REVIEW_*` and `SLACK_WEBHOOK_URL`; a bad schedule is a start-up error, not a silent no-op. */
function reviewConfig(env: Env, problems: string[]): ReviewConfig {
  try {
    parseReviewSchedule(env.REVIEW_CRON, env.REVIEW_TZ);
  } catch (error) {
    problems.push(error instanceof Error ? error.message : String(error));
  }
  return {
    cron: env.REVIEW_CRON,
    timeZone: env.REVIEW_TZ,
    windowHours: env.REVIEW_WINDOW_HOURS,
    commentOnPr: env.REVIEW_COMMENT_ON_PR,
    slackWebhookUrl: env.SLACK_WEBHOOK_URL ?? null,
    reviewForks: env.REVIEW_FORKS,
  };
}

function productionConfig(
  env: Env,
  base: BaseConfig,
  cwd: string,
  problems: string[],
): AppConfig | null {
  if (env.CODEX_API_KEY === undefined) {
    problems.push("CODEX_API_KEY: required; set it to an OpenAI API key (or run codex login)");
  }
  if (env.JIRA_BASE_URL === undefined) {
    problems.push("JIRA_BASE_URL: required, e.g. https://your-company.atlassian.net");
  }
  const jiraAuth = jiraCredentials(env, problems);
  if (env.GITHUB_TOKEN === undefined) {
    problems.push("GITHUB_TOKEN: required; a token that can push branches and open pull requests");
  }
  const reposFile = path.resolve(cwd, env.REPOS_FILE);
  const { repos, problems: repoProblems } = readReposFile(
    reposFile,
    githubWebUrl(env.GITHUB_API_URL),
  );
  problems.push(...repoProblems);
  if (
    problems.length > 0 ||
    env.CODEX_API_KEY === undefined ||
    env.JIRA_BASE_URL === undefined ||
    env.GITHUB_TOKEN === undefined ||
    jiraAuth === null
  ) {
    return null;
  }
  return {
    ...base,
    codex: {
      apiKey: env.CODEX_API_KEY,
      baseUrl: env.CODEX_BASE_URL ?? null,
      model: env.CODEX_MODEL ?? null,
    },
    jira: {
      baseUrl: env.JIRA_BASE_URL,
      auth: jiraAuth,
      jql: env.JIRA_JQL,
      transitionOnStart: env.JIRA_TRANSITION_ON_START ?? null,
      transitionOnPr: env.JIRA_TRANSITION_ON_PR ?? null,
    },
    github: { token: env.GITHUB_TOKEN, apiUrl: env.GITHUB_API_URL },
    repos,
  };
}

function jiraCredentials(env: Env, problems: string[]): JiraAuth | null {
  const basic = env.JIRA_EMAIL !== undefined || env.JIRA_API_TOKEN !== undefined;
  if (basic && env.JIRA_PAT !== undefined) {
    problems.push(
      "JIRA_PAT: set either JIRA_EMAIL + JIRA_API_TOKEN (Cloud) or JIRA_PAT (Data Center), not both",
    );
    return null;
  }
  if (env.JIRA_PAT !== undefined) return { kind: "bearer", pat: env.JIRA_PAT };
  if (env.JIRA_EMAIL !== undefined && env.JIRA_API_TOKEN !== undefined) {
    return { kind: "basic", email: env.JIRA_EMAIL, apiToken: env.JIRA_API_TOKEN };
  }
  if (env.JIRA_EMAIL === undefined) {
    problems.push(
      "JIRA_EMAIL: required with JIRA_API_TOKEN for Jira Cloud (or set JIRA_PAT for Data Center)",
    );
  }
  if (env.JIRA_API_TOKEN === undefined) {
    problems.push(
      "JIRA_API_TOKEN: required with JIRA_EMAIL for Jira Cloud (or set JIRA_PAT for Data Center)",
    );
  }
  return null;
}

/** github.com's web host for api.github.com; GitHub Enterprise serves the API under /api/v3. */
export function githubWebUrl(apiUrl: string): string {
  if (apiUrl === "https://api.github.com") return "https://github.com";
  return apiUrl.replace(/\/api\/v3$/, "");
}

function isInside(child: string, parent: string): boolean {
  const relative = path.relative(path.resolve(parent), child);
  return relative === "" || (!relative.startsWith("..") && !path.isAbsolute(relative));
}

function readVersion(): string {
  try {
    const pkg = JSON.parse(
      readFileSync(new URL("../../package.json", import.meta.url), "utf8"),
    ) as { version?: string };
    return pkg.version ?? "0.0.0";
  } catch {
    return "0.0.0";
  }
}
