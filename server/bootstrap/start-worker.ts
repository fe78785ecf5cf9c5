import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { Logger } from "pino";
import type { AppConfig } from "../config/app-config.js";
import { buildServices, type ServiceOverrides } from "./build-services.js";
import { warmCodexHome } from "./codex-warmup.js";
import { scheduleReviewsOnQueue } from "./review-scheduler.js";

/** A running worker process (`npm run worker`). */
export interface RunningWorker {
  /** The health endpoint's URL, when WORKER_HEALTH_PORT is set. */
  healthUrl: string | null;
  services: Awaited<ReturnType<typeof buildServices>>;
  /** Stops taking tasks, stops running turns and hands their tasks over, closes storage. */
  close(): Promise<void>;
}

/**
 * Starts a worker only: it takes over what dead workers left, runs the task runs pg-boss
 * hands it (MAX_CONCURRENT_TASKS at once) and the scheduled review runs, and serves no HTTP but an optional `GET /health` on
 * WORKER_HEALTH_PORT (its load, for a load balancer or an orchestrator's probe).
 */
export async function startWorker(
  config: AppConfig,
  logger: Logger,
  options: { services?: ServiceOverrides } = {},
): Promise<RunningWorker> {
  const services = await buildServices(config, logger, options.services);
  await warmCodexHome(config.codexHome, logger);
  await services.runner.start();
  if (services.jobs !== null) {
    await scheduleReviewsOnQueue(config, services.reviews, services.jobs, logger);
  }
  services.janitor.start();
  void services.warmUpWorkspaces();
  const health = await startHealthEndpoint(config, services.runner);
  logger.info({ health: health?.url ?? null, role: "worker" }, "patchboard worker started");
  return {
    healthUrl: health?.url ?? null,
    services,
    close: async () => {
      await health?.close();
      await services.janitor.stop();
      await services.reviews.stop();
      await services.runner.stop();
      await services.stopWorkspaces();
      await services.close();
    },
  };
}

async function startHealthEndpoint(
  config: AppConfig,
  runner: { load: { running: number; pending: number } },
): Promise<{ url: string; close(): Promise<void> } | null> {
  const port = config.workerHealthPort ?? null;
  if (port === null) return null;
  const server: Server = createServer((req, res) => {
    const ok = req.method === "GET" && req.url === "/health";
    res.writeHead(ok ? 200 : 404, { "content-type": "application/json" });
    res.end(JSON.stringify(ok ? { status: "ok", ...runner.load } : { error: "not_found" }));
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, config.host, () => resolve());
  });
  const address = server.address() as AddressInfo;
  return {
    url: `http://${config.host}:${address.port}/health`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
