import type { Pricing } from "../../shared/settings.js";
import type { AuthMode } from "../../shared/auth.js";
import type { Role, User } from "../../shared/user.js";
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
    /** Addresses/CIDRs of reverse proxies whose X-Forwarded-Proto/-For are believed. */
    trustProxy: string[];
  };
  /** What an agent's change must pass before it is pushed (the domain adds secret values). */
  publishGuard?: { protectedPaths: string[]; maxDiffBytes: number };
  /** The nightly pull request review; always set by loadConfig, absent means no schedule. */
  reviews?: ReviewConfig;
  git: { authorName: string; authorEmail: string };
  pricing: Pricing;
  tasks: {
    maxConcurrent: number;
    turnTimeoutMs: number;
    idleTimeoutMs: number;
    /** How long a finished task keeps its worktree before the janitor removes it. */
    workspaceRetentionHours: number;
  };
  codexHome: string;
}

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
}
