import type { CommandSandbox } from "../ports/command-sandbox.js";
import type { Environments } from "../ports/environments.js";
import type { Logger } from "pino";

/** How the server runs a repository's own commands (setup, maintenance, tests). */
export interface EnvironmentSettings {
  /** `PATH` of the commands: the system's toolchain. */
  path: string;
  /** Deadline of setup and maintenance (`SETUP_TIMEOUT_MS`). */
  setupTimeoutMs: number;
  /** Deadline of the server's test run (`TEST_TIMEOUT_MS`). */
  testTimeoutMs: number;
  /** Values of the variables the repositories' `setupEnv` name (setup alone sees them). */
  setupEnv: Record<string, string>;
}

/** What preparing an environment and running the server's tests need. */
export interface EnvironmentDeps {
  sandbox: CommandSandbox;
  environments: Environments;
  settings: EnvironmentSettings;
  logger: Logger;
}
