import type { Logger } from "pino";

/**
 * Closes a running process's services once on SIGINT or SIGTERM, then exits: 0 when they
 * closed, 1 when closing failed. One place for the server's and the worker's entry points,
 * so both drain the same way (a worker's close hands its tasks over).
 */
export function closeOnSignal(
  running: { close(): Promise<void> },
  logger: Logger,
  what: string,
): void {
  const shutdown = (signal: string) => {
    logger.info({ signal }, `${what} shutting down`);
    running.close().then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error({ err: error }, `${what} shutdown failed`);
        process.exit(1);
      },
    );
  };
  process.once("SIGINT", () => shutdown("SIGINT"));
  process.once("SIGTERM", () => shutdown("SIGTERM"));
}
