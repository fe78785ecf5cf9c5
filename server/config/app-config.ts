import type { Pricing } from "../../shared/settings.js";
import type { AuthMode } from "../../shared/auth.js";
import type { User } from "../../shared/user.js";
import type { RepoConfig } from "../domain/repo-config.js";

/** A service token for automation, from `PATCHBOARD_API_TOKENS`. */
export interface ApiToken {
  token: string;
  user: User;
}

/** Jira credentials: basic auth for Jira Cloud, a personal access token for Data Center. */
export type JiraAuth =
  { kind: "basic"; email: string; apiToken: string } | { kind: "bearer"; pat: string };

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
  };
  git: { authorName: string; authorEmail: string };
  pricing: Pricing;
  tasks: {
    maxConcurrent: number;
    turnTimeoutMs: number;
    idleTimeoutMs: number;
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
