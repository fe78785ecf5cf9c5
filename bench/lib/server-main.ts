/**
 * The Patchboard server in a process of its own, so its memory and CPU are measured
 * apart from the fakes and the load generators. Started by bench-env.ts with the path
 * of a JSON configuration; prints `{"url": …}` on stdout once listening, answers `mem`
 * IPC messages with its memory after a full GC, and exits on `stop`.
 */
import { readFileSync } from "node:fs";
import { createWriteStream } from "node:fs";
import { startServer } from "../../server/bootstrap/start-server.js";
import type { AppConfig } from "../../server/config/app-config.js";
import { createLogger } from "../../server/logger.js";

interface ServerSpec {
  config: AppConfig;
  webDir: string | null;
  logFile: string;
  /** Warm worktrees kept per repository; the server's default when absent. */
  services?: { warmWorktrees?: number };
}

const spec = JSON.parse(readFileSync(process.argv[2] ?? "", "utf8")) as ServerSpec;
const logger = createLogger({
  level: spec.config.logLevel,
  destination: createWriteStream(spec.logFile, { flags: "a" }),
});
const server = await startServer(spec.config, logger, {
  webDir: spec.webDir,
  services: spec.services ?? {},
});
process.stdout.write(`${JSON.stringify({ url: server.url })}\n`);

process.on("message", (message: unknown) => {
  if (message === "mem") {
    // A full collection first, so the figure is what is held, not garbage not yet swept.
    (globalThis as { gc?: () => void }).gc?.();
    process.send?.({ mem: process.memoryUsage() });
  } else if (message === "stop") {
    void server.close().finally(() => process.exit(0));
  }
});
