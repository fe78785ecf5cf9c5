import path from "node:path";
import type { Logger } from "pino";
import { createEnvironmentFiles } from "../../server/adapters/git/index.js";
import type { EnvironmentDeps } from "../../server/domain/environment/environment-settings.js";
import type { CommandSandbox } from "../../server/domain/ports/command-sandbox.js";

/**
 * The environment's dependencies as the environment suites use them: the real environment
 * files under `dataDir/environments`, `sandbox` to run setup and tests, a PATH of the
 * system's binaries only, and timeouts long enough for a loaded 2-core machine.
 */
export function testEnvironmentDeps(
  dataDir: string,
  sandbox: CommandSandbox,
  logger: Logger,
): EnvironmentDeps {
  return {
    sandbox,
    environments: createEnvironmentFiles({ root: path.join(dataDir, "environments") }),
    settings: {
      path: "/usr/bin:/bin",
      setupTimeoutMs: 30_000,
      testTimeoutMs: 30_000,
      setupEnv: {},
    },
    logger,
  };
}
