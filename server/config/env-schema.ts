import { z } from "zod";

const optionalString = z
  .string()
  .trim()
  .transform((v) => (v === "" ? undefined : v))
  .optional();

const url = z
  .string()
  .trim()
  .refine((v) => /^https?:\/\/[^\s]+$/.test(v), "must be an http(s) URL")
  .transform((v) => v.replace(/\/+$/, ""));

const optionalUrl = z.union([z.literal("").transform(() => undefined), url]).optional();

const positiveInt = (fallback: number) => z.coerce.number().int().positive().default(fallback);
const price = z.coerce.number().nonnegative();
/** `true`/`1` or `false`/`0`/empty; off unless set. */
const booleanFlag = () =>
  z
    .string()
    .trim()
    .toLowerCase()
    .pipe(z.enum(["true", "false", "1", "0", ""]))
    .default("false")
    .transform((v) => v === "true" || v === "1");
/** A budget amount: empty or absent means no budget. */
const optionalBudget = z
  .union([z.literal("").transform(() => undefined), z.coerce.number().positive()])
  .optional();

/**
 * Every environment variable Patchboard reads, with defaults. `.env.example` documents
 * each one; keep the two in step.
 */
export const EnvSchema = z.object({
  PATCHBOARD_MODE: z.enum(["production", "sandbox"]).optional(),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().trim().min(1).default("127.0.0.1"),
  DATA_DIR: z.string().trim().min(1).default("./data"),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),

  CODEX_API_KEY: optionalString,
  CODEX_BASE_URL: optionalUrl,
  CODEX_MODEL: optionalString,
  CODEX_HOME: optionalString,
  MAX_CONCURRENT_TASKS: positiveInt(2).pipe(z.number().max(64)),
  /**
   * How many tasks run at once across every worker on the database; unset: no limit
   * beyond each worker's MAX_CONCURRENT_TASKS.
   */
  TOTAL_MAX_CONCURRENT_TASKS: z
    .union([z.literal("").transform(() => undefined), z.coerce.number().int().positive()])
    .optional(),
  /** How long a worker's hold on a running task lasts without renewal (renewed every third). */
  TASK_LEASE_MS: positiveInt(30_000).pipe(z.number().min(3000).max(3_600_000)),
  /** What this process does: everything (default), the HTTP API only, or agent runs only. */
  PATCHBOARD_ROLE: z.enum(["all", "api", "worker"]).default("all"),
  /** A worker's optional health endpoint (`GET /health`); unset: no listener at all. */
  WORKER_HEALTH_PORT: z.coerce.number().int().min(0).max(65535).optional(),
  CODEX_TURN_TIMEOUT_MS: positiveInt(20 * 60_000),
  CODEX_IDLE_TIMEOUT_MS: positiveInt(5 * 60_000),
  WORKSPACE_RETENTION_HOURS: positiveInt(72),
  /** Deadline of a repository's setup (or maintenance) command, and of the server's test run. */
  SETUP_TIMEOUT_MS: positiveInt(15 * 60_000),
  TEST_TIMEOUT_MS: positiveInt(10 * 60_000),
  SANDBOX_STEP_DELAY_MS: z.coerce.number().int().nonnegative().default(2000),
  /** How the agent is isolated from the host: bubblewrap namespaces, or (explicitly) not at all. */
  AGENT_ISOLATION: z.enum(["bubblewrap", "off"]).default("bubblewrap"),

  JIRA_BASE_URL: optionalUrl,
  JIRA_EMAIL: optionalString,
  JIRA_API_TOKEN: optionalString,
  JIRA_PAT: optionalString,
  JIRA_JQL: z
    .string()
    .trim()
    .min(1)
    .default("issuetype = Bug AND statusCategory != Done ORDER BY created DESC"),
  JIRA_TRANSITION_ON_START: optionalString,
  JIRA_TRANSITION_ON_PR: optionalString,

  GITHUB_TOKEN: optionalString,
  GITHUB_API_URL: url.default("https://api.github.com"),

  /** The nightly pull request review: when (cron in REVIEW_TZ), how far back, where to post. */
  REVIEW_CRON: z.string().trim().min(1).default("0 2 * * *"),
  REVIEW_TZ: z.string().trim().min(1).default("UTC"),
  REVIEW_WINDOW_HOURS: positiveInt(24).pipe(z.number().max(24 * 31)),
  REVIEW_COMMENT_ON_PR: booleanFlag(),
  SLACK_WEBHOOK_URL: optionalUrl,

  REPOS_FILE: z.string().trim().min(1).default("./patchboard.repos.json"),
  PATCHBOARD_API_TOKENS: optionalString,
  AUTH_MODE: z.enum(["dev", "oidc", "proxy"]).optional(),
  PATCHBOARD_DEV_USERS: optionalString,
  SESSION_TTL_HOURS: positiveInt(12),
  /** Signs the short-lived sign-in cookies; random per process when unset. */
  SESSION_SECRET: optionalString,

  OIDC_ISSUER_URL: optionalUrl,
  OIDC_CLIENT_ID: optionalString,
  OIDC_CLIENT_SECRET: optionalString,
  OIDC_REDIRECT_URL: optionalUrl,
  OIDC_POST_LOGOUT_REDIRECT_URL: optionalUrl,
  OIDC_SCOPES: z.string().trim().min(1).default("openid email profile"),
  OIDC_GROUPS_CLAIM: z.string().trim().min(1).default("groups"),
  OIDC_ROLE_GROUPS: optionalString,
  ROLE_PM_EMAILS: optionalString,
  ROLE_ENGINEER_EMAILS: optionalString,
  ROLE_ADMIN_EMAILS: optionalString,

  PROXY_EMAIL_HEADER: z.string().trim().min(1).default("X-Forwarded-Email"),
  PROXY_NAME_HEADER: optionalString,
  PROXY_GROUPS_HEADER: optionalString,
  PROXY_TRUSTED_IPS: optionalString,

  TASK_RATE_LIMIT_PER_MINUTE: positiveInt(10),
  DIFF_RATE_LIMIT_PER_MINUTE: positiveInt(30),
  EVENT_STREAMS_PER_PERSON: positiveInt(6),
  /** Reverse proxies whose X-Forwarded-* headers are believed (https detection, client IP). */
  TRUST_PROXY: optionalString,
  PROTECTED_PATHS: optionalString,
  MAX_DIFF_BYTES: positiveInt(500 * 1024),

  GIT_AUTHOR_NAME: z.string().trim().min(1).default("Patchboard"),
  GIT_AUTHOR_EMAIL: z.string().trim().min(3).default("patchboard@localhost"),

  PRICE_CURRENCY: z.string().trim().min(1).default("USD"),
  PRICE_INPUT_PER_MILLION: price.default(1.25),
  PRICE_CACHED_INPUT_PER_MILLION: price.default(0.125),
  PRICE_OUTPUT_PER_MILLION: price.default(10),
  /** Review pull requests from forks too (their text and code are anyone's). */
  REVIEW_FORKS: booleanFlag(),

  /** PostgreSQL instead of SQLite in DATA_DIR: `postgres://user:password@host:5432/db`. */
  DATABASE_URL: z
    .string()
    .trim()
    .refine(
      (v) => v === "" || /^postgres(ql)?:\/\/[^\s]+$/.test(v),
      "must be a postgres:// or postgresql:// URL",
    )
    .transform((v) => (v === "" ? undefined : v))
    .optional(),

  /** After the pull request: webhooks, CI and review follow-ups, Jira triggers, polling. */
  GITHUB_WEBHOOK_SECRET: optionalString,
  GITHUB_MENTION: z.string().trim().min(2).default("@patchboard"),
  CI_FIX_MAX_ROUNDS: z.coerce.number().int().min(0).max(20).default(2),
  REVIEW_MAX_ROUNDS: z.coerce.number().int().min(0).max(50).default(5),
  GITHUB_POLL_INTERVAL_MS: z.coerce.number().int().nonnegative().default(0),
  JIRA_WEBHOOK_SECRET: optionalString,
  JIRA_TRIGGER_LABEL: z.string().trim().min(1).default("patchboard-fix"),
  JIRA_TRANSITION_ON_MERGE: optionalString,

  /** Budgets on model spend, in PRICE_CURRENCY; the model gateway enforces them. */
  TASK_BUDGET: optionalBudget,
  DAILY_BUDGET: optionalBudget,
  PERSON_DAILY_BUDGET: optionalBudget,
  REPO_DAILY_BUDGET: optionalBudget,
  MAX_REQUESTS_PER_TASK: z
    .union([z.literal("").transform(() => undefined), z.coerce.number().int().positive()])
    .optional(),
});
/** The raw environment after parsing. */
export type Env = z.infer<typeof EnvSchema>;
