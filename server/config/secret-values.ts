import type { PublishGuardPolicy } from "../domain/publish-guard/index.js";
import type { AppConfig, BaseConfig } from "./app-config.js";

/**
 * Every secret value the server holds: what must never reach the agent, the browser, the
 * logs or a pushed diff. The publish guard refuses a diff containing one of them, and
 * the log-scan test looks for them.
 */
export function secretValues(config: BaseConfig | AppConfig): string[] {
  const values = [
    config.auth.sessionSecret,
    config.auth.oidc?.clientSecret,
    ...config.auth.apiTokens.map((t) => t.token),
    config.database?.url ?? undefined,
    databasePassword(config.database?.url ?? null),
    config.hooks?.githubWebhookSecret,
    config.hooks?.jiraWebhookSecret,
  ];
  if ("codex" in config) {
    values.push(config.codex.apiKey, config.github.token);
    values.push(
      config.jira.auth.kind === "basic" ? config.jira.auth.apiToken : config.jira.auth.pat,
    );
  }
  return [...new Set(values.filter((v): v is string => typeof v === "string" && v !== ""))];
}

/** The password inside a DATABASE_URL, if it has one (logs must not show it alone either). */
function databasePassword(url: string | null): string | undefined {
  if (url === null) return undefined;
  try {
    const password = decodeURIComponent(new URL(url).password);
    return password === "" ? undefined : password;
  } catch {
    return undefined;
  }
}

/**
 * The publish guard's policy from the configuration, with the server's own secrets: what
 * `TaskSettings.publishGuard` should be set to when the services are built.
 */
export function publishGuardPolicy(config: BaseConfig | AppConfig): Partial<PublishGuardPolicy> {
  return { ...config.publishGuard, secretValues: secretValues(config) };
}
