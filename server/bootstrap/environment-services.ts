import path from "node:path";
import type { Logger } from "pino";
import { createEnvironmentFiles } from "../adapters/git/index.js";
import type { BaseConfig } from "../config/app-config.js";
import type { EnvironmentDeps } from "../domain/environment/environment-settings.js";
import type { CommandSandbox } from "../domain/ports/command-sandbox.js";

const DEFAULT_SETUP_TIMEOUT_MS = 15 * 60_000;
const DEFAULT_TEST_TIMEOUT_MS = 10 * 60_000;
/** The toolchain's usual places, when the server runs without a PATH. */
const FALLBACK_PATH = "/usr/local/bin:/usr/bin:/bin";

/**
 * What setup, maintenance and the server's test run need: the sandbox, the environment
 * files under `DATA_DIR/environments`, the time limits and the `setupEnv` values.
 */
export function buildEnvironmentDeps(
  config: BaseConfig & { setupEnvValues?: Record<string, string> },
  sandbox: CommandSandbox,
  logger: Logger,
): EnvironmentDeps {
  return {
    sandbox,
    environments: createEnvironmentFiles({ root: path.join(config.dataDir, "environments") }),
    settings: {
      // The toolchain's PATH is not a secret; the server's other variables are not passed on.
      path: process.env.PATH ?? FALLBACK_PATH,
      setupTimeoutMs: config.tasks.setupTimeoutMs ?? DEFAULT_SETUP_TIMEOUT_MS,
      testTimeoutMs: config.tasks.testTimeoutMs ?? DEFAULT_TEST_TIMEOUT_MS,
      setupEnv: config.setupEnvValues ?? {},
    },
    logger: logger.child({ component: "environment" }),
  };
}
