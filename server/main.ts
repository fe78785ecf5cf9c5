import "dotenv/config";
import { closeOnSignal } from "./bootstrap/close-on-signal.js";
import { createStartupLogger, loadStartupConfig } from "./bootstrap/load-startup.js";
import { startServer, type RunningServer } from "./bootstrap/start-server.js";

/**
 * The entry point: parses the configuration once, starts the server (and, with no
 * accounts configured, the sandbox), and shuts down cleanly on SIGINT/SIGTERM.
 */
async function main(): Promise<void> {
  const loaded = loadStartupConfig(process.env);
  if (loaded === null) process.exit(1);
  const logger = createStartupLogger(loaded.config);
  let running: RunningServer;
  if (loaded.mode === "production") {
    running = await startServer(loaded.config, logger);
  } else {
    const { startSandbox } = await import("./sandbox/start-sandbox.js");
    running = await startSandbox(loaded.config, logger, {
      reset: process.argv.includes("--reset"),
    });
  }
  closeOnSignal(running, logger, "server");
}

main().catch((error: unknown) => {
  console.error("Patchboard failed to start:", error instanceof Error ? error.message : error);
  process.exit(1);
});
