import { ConfigError } from "../../server/config/config-error.js";
import { loadConfig } from "../../server/config/load-config.js";

/** The problems loadConfig lists for this environment; none when it loads. */
export function configProblems(env: Record<string, string>, cwd: string): string[] {
  try {
    loadConfig(env, cwd);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
}
