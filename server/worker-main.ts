import "dotenv/config";
import { closeOnSignal } from "./bootstrap/close-on-signal.js";
import { createStartupLogger, loadStartupConfig } from "./bootstrap/load-startup.js";
import { startWorker } from "./bootstrap/start-worker.js";

/**
 * `npm run worker`: a worker process only (PATCHBOARD_ROLE=worker unless set). It needs
 * DATABASE_URL, which it shares with the API nodes, and a DATA_DIR of its own. SIGTERM
 * stops its turns and hands their tasks over to the other workers.
 */
async function main(): Promise<void> {
  const loaded = loadStartupConfig({ PATCHBOARD_ROLE: "worker", ...process.env });
  if (loaded === null) process.exit(1);
  if (loaded.mode !== "production") {
    console.error("Patchboard failed to start: a worker needs the production configuration");
    process.exit(1);
  }
  const logger = createStartupLogger(loaded.config);
  const running = await startWorker(loaded.config, logger);
  closeOnSignal(running, logger, "worker");
}

main().catch((error: unknown) => {
  console.error(
    "Patchboard worker failed to start:",
    error instanceof Error ? error.message : error,
  );
  process.exit(1);
});
