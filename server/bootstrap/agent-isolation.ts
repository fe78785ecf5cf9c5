import type { Logger } from "pino";
import type { CodexLauncher } from "../adapters/codex/index.js";
import {
  createBubblewrapSandbox,
  createCodexNamespaceLauncher,
  createDirectSandbox,
  detectIsolation,
  type IsolationSupport,
} from "../adapters/isolation/index.js";
import type { BaseConfig } from "../config/app-config.js";
import { ConfigError } from "../config/config-error.js";
import { AppError } from "../domain/app-error.js";
import type { CommandSandbox } from "../domain/ports/command-sandbox.js";
import type { ServiceProbe } from "../domain/service-check/service-check.js";

/** The isolation the agent and the repositories' commands run in. */
export interface AgentIsolation {
  /** Repository commands (setup, the server's test run). */
  sandbox: CommandSandbox;
  /** Starts the Codex CLI in a namespace; absent without isolation. */
  launcher?: CodexLauncher;
  /** Why the agent is not isolated, for the start-up log and the admin's service checks; null when it is. */
  warning: string | null;
}

const OFF_WARNING =
  "Agent isolation is off (AGENT_ISOLATION=off): the agent's commands can read everything the server's user can, DATA_DIR and the server's secrets included";

/**
 * Chooses the isolation from `AGENT_ISOLATION` and what the host can do. Secure by
 * default: production refuses to start when bubblewrap does not work here, unless
 * isolation was switched off explicitly; the sandbox (a trial with fake services) falls
 * back to none with a warning. A hand-built configuration without the setting gets no
 * isolation and no warning (tests that are not about isolation).
 */
export async function resolveAgentIsolation(
  config: Pick<BaseConfig, "mode" | "isolation">,
  logger: Logger,
  detect: () => Promise<IsolationSupport> = () => detectIsolation(),
): Promise<AgentIsolation> {
  if (config.isolation === undefined) return { sandbox: createDirectSandbox(), warning: null };
  if (config.isolation === "off") {
    logger.warn(OFF_WARNING);
    return { sandbox: createDirectSandbox(), warning: OFF_WARNING };
  }
  const support = await detect();
  if (support.available) {
    logger.info({ bwrap: support.bwrapPath }, "agent isolation: bubblewrap");
    return {
      sandbox: createBubblewrapSandbox({ bwrapPath: support.bwrapPath }),
      launcher: createCodexNamespaceLauncher({ bwrapPath: support.bwrapPath }),
      warning: null,
    };
  }
  if (config.mode === "production") {
    throw new ConfigError([
      `AGENT_ISOLATION=bubblewrap (the default): ${support.reason}. Install bubblewrap and allow unprivileged user namespaces (see README "Agent isolation"), or set AGENT_ISOLATION=off to run the agent unisolated on purpose`,
    ]);
  }
  const warning = `Agent isolation is not available here, so the sandbox runs the agent unisolated: ${support.reason}`;
  logger.warn(warning);
  return { sandbox: createDirectSandbox(), warning };
}

/** The admin's service check of the isolation: failed (a warning) whenever the agent is not isolated. */
export function isolationProbe(isolation: AgentIsolation): ServiceProbe {
  return {
    name: "isolation",
    check: () =>
      isolation.warning === null
        ? Promise.resolve()
        : Promise.reject(new AppError("isolation_off", isolation.warning)),
  };
}
