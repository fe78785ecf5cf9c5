import type { Logger } from "pino";
import type { BaseConfig } from "../config/app-config.js";
import { ConfigError } from "../config/config-error.js";
import { loadConfig, type LoadedConfig } from "../config/load-config.js";
import { secretValues } from "../config/secret-values.js";
import { createLogger } from "../logger.js";

/**
 * Parses the environment for an entry point: the configuration, or null after printing
 * the one message that lists every problem (no stack trace).
 */
export function loadStartupConfig(env: Record<string, string | undefined>): LoadedConfig | null {
  try {
    return loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      return null;
    }
    throw error;
  }
}

/**
 * The root logger of an entry point. Every configured secret value is also scrubbed from
 * every log line (SECURITY.md), so each entry point must build its logger here.
 */
export function createStartupLogger(config: BaseConfig): Logger {
  return createLogger({ level: config.logLevel, secrets: secretValues(config) });
}
