import type { Logger } from "pino";
import type { ErrorCode } from "../../../shared/errors.js";
import type { ServiceName, ServiceStatus } from "../../../shared/service-status.js";
import { AppError, isAppError } from "../app-error.js";
import type { ServiceStatusSource } from "../ports/service-status.js";

/** One upstream service and how to check its credentials with a single cheap call. */
export interface ServiceProbe {
  name: ServiceName;
  /** Resolves when the service accepted the credentials; throws an AppError otherwise. */
  check: () => Promise<void>;
}

/** The code a check that timed out or threw something unexpected reports, per service. */
const UNAVAILABLE: Record<ServiceName, ErrorCode> = {
  codex: "codex_unavailable",
  jira: "jira_unavailable",
  github: "github_unavailable",
  isolation: "isolation_off",
  budget: "budget_exceeded",
};

/**
 * The start-up check of Codex, Jira and GitHub: calls each once, keeps which failed and
 * why (with the fix in words), and logs it. It never stops the server: a wrong token is
 * something an admin fixes while the dashboard keeps answering.
 */
export class ServiceCheck implements ServiceStatusSource {
  readonly #statuses = new Map<ServiceName, ServiceStatus>();

  constructor(
    private readonly options: {
      probes: ServiceProbe[];
      logger: Logger;
      /** One probe gets this long, retries included, before it counts as unavailable. */
      timeoutMs?: number;
      now?: () => Date;
    },
  ) {
    for (const probe of options.probes) {
      this.#statuses.set(probe.name, {
        name: probe.name,
        state: "pending",
        code: null,
        message: null,
        checkedAt: null,
      });
    }
  }

  list(): ServiceStatus[] {
    return [...this.#statuses.values()];
  }

  /** Runs every probe once, in parallel; resolves with the results, never rejects. */
  async run(): Promise<ServiceStatus[]> {
    await Promise.all(this.options.probes.map((probe) => this.#runOne(probe)));
    return this.list();
  }

  async #runOne(probe: ServiceProbe): Promise<void> {
    const { logger } = this.options;
    const now = this.options.now ?? (() => new Date());
    const timeoutMs = this.options.timeoutMs ?? 60_000;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_resolve, reject) => {
      timer = setTimeout(() => {
        reject(
          new AppError(
            UNAVAILABLE[probe.name],
            `${label(probe.name)} did not answer within ${Math.round(timeoutMs / 1000)} s`,
          ),
        );
      }, timeoutMs);
    });
    try {
      await Promise.race([probe.check(), timeout]);
      this.#statuses.set(probe.name, {
        name: probe.name,
        state: "ok",
        code: null,
        message: null,
        checkedAt: now().toISOString(),
      });
      logger.info({ service: probe.name }, "service check passed");
    } catch (error) {
      const appError = isAppError(error)
        ? error
        : new AppError(
            UNAVAILABLE[probe.name],
            `${label(probe.name)} could not be checked; the server log has the details`,
            { cause: error },
          );
      this.#statuses.set(probe.name, {
        name: probe.name,
        state: "failed",
        code: appError.code,
        message: appError.message,
        checkedAt: now().toISOString(),
      });
      logger.error(
        { service: probe.name, code: appError.code, reason: appError.message, err: error },
        "service check failed",
      );
    } finally {
      clearTimeout(timer);
    }
  }
}

function label(name: ServiceName): string {
  const labels: Record<ServiceName, string> = {
    codex: "Codex",
    jira: "Jira",
    github: "GitHub",
    isolation: "Agent isolation",
    budget: "The budget check",
  };
  return labels[name];
}
