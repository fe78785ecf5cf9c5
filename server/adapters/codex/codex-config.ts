import os from "node:os";
import path from "node:path";
import type { CodexOptions, ThreadOptions } from "@openai/codex-sdk";

/**
 * How Patchboard configures the Codex CLI: which model provider it talks to, what
 * environment it gets, what its agent's commands may see, and the per-turn options.
 */

/** Retry and timeout tuning; the provider fields apply to a custom `baseUrl` only. */
export interface CodexProviderTuning {
  /** Retries of a failed HTTP request (Codex default 4). 429s are not retried at this level. */
  requestMaxRetries?: number;
  /** Reconnects of a dropped or failed stream, i.e. re-sent requests (Codex default 5). */
  streamMaxRetries?: number;
  /** How long a silent stream may idle before Codex treats it as lost (Codex default 300 s). */
  streamIdleTimeoutMs?: number;
  /**
   * Keep retrying forever while the model API cannot be connected to ("waiting for
   * network"), Codex's default. Off by default here: an unreachable or misconfigured API
   * then fails the turn after `streamMaxRetries` instead of hanging until the deadline.
   */
  unboundedConnectionRetries?: boolean;
}

/** The name of the custom model provider in Codex's config. */
export const PATCHBOARD_PROVIDER_ID = "patchboard";

/**
 * Environment variables the agent's commands must never see. Codex's own default
 * excludes are switched on too; these patterns are case-insensitive globs.
 */
export const SECRET_ENV_PATTERNS = [
  "CODEX_API_KEY",
  "OPENAI_API_KEY",
  "*KEY*",
  "*TOKEN*",
  "*SECRET*",
  "*PASSWORD*",
  "*CREDENTIAL*",
] as const;

/** Builds the `config` overrides passed to the CLI as `--config` flags. */
export function buildCodexConfig(
  baseUrl: string | null,
  tuning: CodexProviderTuning = {},
): NonNullable<CodexOptions["config"]> {
  const config: NonNullable<CodexOptions["config"]> = {
    // Codex hands its own environment (including CODEX_API_KEY) to every command the agent
    // runs unless told otherwise: keep the (already minimal) environment but drop secrets.
    shell_environment_policy: {
      inherit: "all",
      ignore_default_excludes: false,
      exclude: [...SECRET_ENV_PATTERNS],
    },
    // The plan tool is off by default for current models; with it the dashboard gets a to-do list.
    tools: { update_plan: { enabled: true } },
    // A server process must not phone home or look for updates on every turn.
    analytics: { enabled: false },
    check_for_update_on_startup: false,
    features: {
      unbounded_connection_retries: tuning.unboundedConnectionRetries ?? false,
      // At every start the CLI syncs OpenAI's plugin marketplace (`git ls-remote` of a
      // GitHub repository) and loads ChatGPT connectors: calls out of the task's
      // namespace that an agent on a ticket never uses.
      plugins: false,
      remote_plugin: false,
      apps: false,
    },
  };
  if (baseUrl === null) return config;
  const provider: Record<string, string | number | boolean> = {
    name: "Patchboard",
    base_url: baseUrl,
    wire_api: "responses",
    // Codex reads the key from this variable and sends it as `Authorization: Bearer`.
    env_key: "CODEX_API_KEY",
    supports_websockets: false,
  };
  if (tuning.requestMaxRetries !== undefined)
    provider.request_max_retries = tuning.requestMaxRetries;
  if (tuning.streamMaxRetries !== undefined) provider.stream_max_retries = tuning.streamMaxRetries;
  if (tuning.streamIdleTimeoutMs !== undefined)
    provider.stream_idle_timeout_ms = tuning.streamIdleTimeoutMs;
  return {
    ...config,
    model_provider: PATCHBOARD_PROVIDER_ID,
    model_providers: { [PATCHBOARD_PROVIDER_ID]: provider },
  };
}

/**
 * The whole environment of the CLI process. Passing it explicitly stops the SDK from
 * handing the server's entire `process.env` (GitHub and Jira tokens…) to Codex.
 */
export function buildCodexEnv(
  apiKey: string,
  codexHome: string,
  source: NodeJS.ProcessEnv = process.env,
): Record<string, string> {
  const env: Record<string, string> = {
    PATH: source.PATH ?? "/usr/local/bin:/usr/bin:/bin",
    HOME: source.HOME ?? os.homedir(),
    CODEX_HOME: codexHome,
    LANG: source.LANG ?? "C.UTF-8",
  };
  for (const name of ["LC_ALL", "TMPDIR"] as const) {
    const value = source[name];
    if (value !== undefined && value !== "") env[name] = value;
  }
  // An empty key leaves Codex to its own login (auth.json in CODEX_HOME).
  if (apiKey !== "") env.CODEX_API_KEY = apiKey;
  return env;
}

/** Thread options for one turn; the CLI does not store them with a thread, so every turn sends them. */
export function buildThreadOptions(
  sandbox: "read-only" | "workspace-write",
  workingDirectory: string,
  model: string | null,
): ThreadOptions {
  return {
    sandboxMode: sandbox,
    workingDirectory,
    skipGitRepoCheck: true,
    networkAccessEnabled: false,
    approvalPolicy: "never",
    webSearchMode: "disabled",
    ...(model === null ? {} : { model }),
  };
}

/**
 * Whether a directory is under a temporary directory. Codex refuses to create its helper
 * binaries (the `apply_patch` alias among them) under /tmp, so CODEX_HOME must live elsewhere.
 */
export function isUnderTempDir(dir: string): boolean {
  const resolved = path.resolve(dir);
  return ["/tmp", os.tmpdir()].some((tmp) => {
    const root = path.resolve(tmp);
    return resolved === root || resolved.startsWith(`${root}${path.sep}`);
  });
}
