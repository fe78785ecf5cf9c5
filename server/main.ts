import "dotenv/config";
import { ConfigError } from "./config/config-error.js";
import { loadConfig } from "./config/load-config.js";
import { secretValues } from "./config/secret-values.js";
import { createLogger } from "./logger.js";
import { startServer, type RunningServer } from "./bootstrap/start-server.js";

/**
 * The entry point: parses the configuration once, starts the server (and, with no
 * accounts configured, the sandbox), and shuts down cleanly on SIGINT/SIGTERM.
 */
async function main(): Promise<void> {
  let loaded;
  try {
    loaded = loadConfig(process.env);
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(1);
    }
    throw error;
  }
  // Every configured secret value is also scrubbed from every log line (SECURITY.md).
  const logger = createLogger({
    level: loaded.config.logLevel,
    secrets: secretValues(loaded.config),
  });
  let running: RunningServer;
  if (loaded.mode === "production") {
    running = await startServer(loaded.config, logger);
  } else {
    const { startSandbox } = await import("./sandbox/start-sandbox.js");
    running = await startSandbox(loaded.config, logger, {
      reset: process.argv.includes("--reset"),
    });
  }
  const shutdown = (signal: string) => {
    logger.info({ signal }, "shutting down");
    running.close().then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error({ err: error }, "shutdown failed");
        process.exit(1);
      },
    );
  };
  process.once("SIGINT", () => shutdown("SIGINT"));
  process.once("SIGTERM", () => shutdown("SIGTERM"));
}

main().catch((error: unknown) => {
  console.error("Patchboard failed to start:", error instanceof Error ? error.message : error);
  process.exit(1);
});
