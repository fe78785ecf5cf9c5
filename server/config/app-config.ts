import type { Pricing } from "../../shared/settings.js";
import type { AuthMode } from "../../shared/auth.js";
import type { Role, User } from "../../shared/user.js";
import type { BudgetSettings } from "../domain/budgets/budget-settings.js";
import type { RepoConfig } from "../domain/repo-config.js";

/** A service token for automation, from `PATCHBOARD_API_TOKENS`. */
export interface ApiToken {
  token: string;
  user: User;
}

/** Jira credentials: basic auth for Jira Cloud, a personal access token for Data Center. */
export type JiraAuth =
  { kind: "basic"; email: string; apiToken: string } | { kind: "bearer"; pat: string };

/**
 * Which role a signed-in person gets: from identity-provider groups and/or email lists.
 * The highest matching role wins; no match means signed in without access.
 */
export interface RoleMapping {
  /** Group names per role (`OIDC_ROLE_GROUPS`), matched against the groups claim or header. */
  groups: Record<Role, string[]>;
  /** Lower-cased emails (or `@domain` entries) per role (`ROLE_*_EMAILS`). */
  emails: Record<Role, string[]>;
}

/** OpenID Connect sign-in (`AUTH_MODE=oidc`). */
export interface OidcSettings {
  issuerUrl: string;
  clientId: string;
  /** Null for a public client (PKCE only). */
  clientSecret: string | null;
  /** Null: derived from the request as `{origin}/api/auth/oidc/callback`. */
  redirectUrl: string | null;
  /** Where the identity provider sends people after sign-out; null: the app's root. */
  postLogoutRedirectUrl: string | null;
  scopes: string;
  /** The ID token / userinfo claim holding the person's groups. */
  groupsClaim: string;
}

/** Sign-in by an authenticating reverse proxy (`AUTH_MODE=proxy`). */
export interface ProxySettings {
  /** Lower-case header names. */
  emailHeader: string;
  nameHeader: string | null;
  groupsHeader: string | null;
  /** Addresses and CIDR ranges of the proxy; the headers are ignored from anywhere else. */
  trustedIps: string[];
}

/** Settings that do not depend on where Jira, GitHub and the model are. */
export interface BaseConfig {
  mode: "production" | "sandbox";
  version: string;
  port: number;
  host: string;
  /** Absolute. Holds the database, workspaces and (by default) the Codex home. */
  dataDir: string;
  logLevel: string;
  auth: {
    mode: AuthMode;
    devUsers: User[];
    apiTokens: ApiToken[];
    sessionTtlMs: number;
    /*
     * The parts below are always set by loadConfig; they are optional so a test can build
     * a config with dev users and tokens only. Absent means off (or a random secret).
     */
    /** Signs short-lived cookies (the sign-in transaction, "no access"). */
    sessionSecret?: string;
    roles?: RoleMapping;
    oidc?: OidcSettings | null;
    proxy?: ProxySettings | null;
  };
  /** HTTP hardening; defaults when absent. */
  security?: {
    /** Tasks one person (or token) may start per minute. */
    taskRateLimitPerMinute: number;
    /** Task diffs one person may have computed per minute (`DIFF_RATE_LIMIT_PER_MINUTE`; 30). */
    diffRateLimitPerMinute?: number;
    /** Live task event streams one person may hold open (`EVENT_STREAMS_PER_PERSON`; 6). */
    eventStreamsPerPerson?: number;
    /** Addresses/CIDRs of reverse proxies whose X-Forwarded-Proto/-For are believed. */
    trustProxy: string[];
  };
  /** What an agent's change must pass before it is pushed (the domain adds secret values). */
  publishGuard?: { protectedPaths: string[]; maxDiffBytes: number };
  /** The nightly pull request review; always set by loadConfig, absent means no schedule. */
  reviews?: ReviewConfig;
  /** Webhooks and what happens after the pull request; always set by loadConfig, absent means off. */
  hooks?: HooksConfig;
  git: { authorName: string; authorEmail: string };
  pricing: Pricing;
  /** Budgets on model spend (`TASK_BUDGET`, `DAILY_BUDGET`…); absent means none. */
  budgets?: BudgetSettings;
  /**
   * What this process does (`PATCHBOARD_ROLE`): `all` the web app, the API and a worker;
   * `api` HTTP only; `worker` agent runs only. Absent means `all`.
   */
  role?: ProcessRole;
  /** A worker's health endpoint port (`WORKER_HEALTH_PORT`); absent or null: none. */
  workerHealthPort?: number | null;
  tasks: {
    /** Tasks this worker runs at once (`MAX_CONCURRENT_TASKS`). */
    maxConcurrent: number;
    /** Tasks running at once across all workers (`TOTAL_MAX_CONCURRENT_TASKS`); null: no limit. */
    totalMaxConcurrent?: number | null;
    /** A running task's lease (`TASK_LEASE_MS`); the default when absent. */
    leaseMs?: number;
    turnTimeoutMs: number;
    idleTimeoutMs: number;
    /** How long a finished task keeps its worktree before the janitor removes it. */
    workspaceRetentionHours: number;
    /** Deadline of a repository's setup or maintenance command (`SETUP_TIMEOUT_MS`). */
    setupTimeoutMs?: number;
    /** Deadline of the server's own test run (`TEST_TIMEOUT_MS`). */
    testTimeoutMs?: number;
  };
  codexHome: string;
  /**
   * How the agent (the Codex CLI, its commands, setup and test runs) is isolated from the
   * host (`AGENT_ISOLATION`). Always set by loadConfig; absent (a test's hand-built
   * configuration) means no namespace and no warning.
   */
  isolation?: "bubblewrap" | "off";
  /**
   * Where tasks are stored: PostgreSQL at `url` (DATABASE_URL, a secret: it may hold a
   * password), or SQLite in `dataDir` when absent or null.
   */
  database?: { url: string | null };
}

/** What a process does; see {@link BaseConfig.role}. */
export type ProcessRole = "all" | "api" | "worker";

/** The full configuration the server runs with. */
export interface AppConfig extends BaseConfig {
  codex: { apiKey: string; baseUrl: string | null; model: string | null };
  jira: {
    baseUrl: string;
    auth: JiraAuth;
    jql: string;
    transitionOnStart: string | null;
    transitionOnPr: string | null;
  };
  github: { token: string; apiUrl: string };
  repos: RepoConfig[];
  /** The values of the variables the repositories' `setupEnv` name, read once at start-up. */
  setupEnvValues?: Record<string, string>;
}

/** The nightly pull request review (`REVIEW_*`, `SLACK_WEBHOOK_URL`). */
export interface ReviewConfig {
  /** A validated cron expression, evaluated in `timeZone`. */
  cron: string;
  /** An IANA time zone. */
  timeZone: string;
  /** Pull requests updated in the last this-many hours are reviewed. */
  windowHours: number;
  /** Also comment each review on its pull request. */
  commentOnPr: boolean;
  /** A secret (it alone authorizes posting); null: no Slack summary. */
  slackWebhookUrl: string | null;
  /** Review pull requests opened from forks too (`REVIEW_FORKS`); off when absent. */
  reviewForks?: boolean;
}

/** After the pull request (`GITHUB_WEBHOOK_SECRET`, `CI_FIX_MAX_ROUNDS`, `JIRA_*`, …). */
export interface HooksConfig {
  /** Signs GitHub's webhook deliveries; null: `POST /api/webhooks/github` refuses everything. */
  githubWebhookSecret: string | null;
  /** The mention in a pull request comment that asks Patchboard for a follow-up. */
  githubMention: string;
  /** Automatic CI follow-up rounds per pull request before it is left to people. */
  ciFixMaxRounds: number;
  /** Follow-up rounds started by reviews and mentions per pull request (`REVIEW_MAX_ROUNDS`). */
  reviewMaxRounds: number;
  /** Polls open Patchboard pull requests this often; 0: webhooks only. */
  githubPollIntervalMs: number;
  /** Signs Jira's webhook deliveries; null: only service tokens are accepted. */
  jiraWebhookSecret: string | null;
  /** The label that starts a fix. */
  jiraTriggerLabel: string;
  /** A Jira transition by name when the pull request merges; null: leave the ticket. */
  jiraTransitionOnMerge: string | null;
}
