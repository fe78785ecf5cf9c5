import type { AddressInfo } from "node:net";
import type { Server } from "node:http";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { Logger } from "pino";
import { createApp } from "../app.js";
import type { AppConfig } from "../config/app-config.js";
import { buildServices, type ServiceOverrides } from "./build-services.js";
import { warmCodexHome } from "./codex-warmup.js";
import { scheduleReviewsOnQueue, startReviewScheduler } from "./review-scheduler.js";
import { startPullRequestPoller } from "./pull-request-poller.js";
import { runsWorker } from "./role-checks.js";

/** A running Patchboard server. */
export interface RunningServer {
  url: string;
  services: Awaited<ReturnType<typeof buildServices>>;
  /** Stops taking requests, aborts running turns (their tasks end `interrupted`) and closes storage. */
  close(): Promise<void>;
}

/** The built web app, next to the sources. */
export const DEFAULT_WEB_DIR = path.resolve(
  fileURLToPath(new URL("../../dist/web", import.meta.url)),
);

/** Builds the services, starts the HTTP server and the task worker. */
export async function startServer(
  config: AppConfig,
  logger: Logger,
  options: { webDir?: string | null; services?: ServiceOverrides } = {},
): Promise<RunningServer> {
  if (config.auth.mode === "dev" && config.mode !== "sandbox") {
    logger.warn(
      { users: config.auth.devUsers.map((u) => u.email) },
      "dev sign-in is enabled outside the sandbox: anyone who can reach the server can sign in as a listed user",
    );
  }
  const services = await buildServices(config, logger, options.services);
  // Before any task runs: parallel first runs would race to create Codex's databases.
  await warmCodexHome(config.codexHome, logger);
  // Recovery (resume or fail what a crash left running) ends before requests come in,
  // so a click meanwhile never sees a task half-way through being recovered.
  if (runsWorker(config)) await services.runner.start();
  const app = createApp({
    config,
    jiraBaseUrl: config.jira.baseUrl,
    logger,
    tasks: { ...services.deps, queue: services.queue, gate: services.gate },
    sessions: services.sessions,
    stats: services.stats,
    webDir: options.webDir === undefined ? DEFAULT_WEB_DIR : options.webDir,
    reviews: services.reviews,
    webhooks: services.webhooks,
  });
  const server: Server = await new Promise((resolve, reject) => {
    const s = app.listen(config.port, config.host, () => resolve(s));
    s.once("error", reject);
  });
  const address = server.address() as AddressInfo;
  const url = `http://${config.host.includes(":") ? `[${config.host}]` : config.host}:${address.port}`;
  logger.info({ url, mode: config.mode, repos: config.repos.length }, "patchboard listening");
  // Reports a wrong credential in the log and to admins; never stops the server.
  void services.serviceCheck.run();
  services.janitor.start();
  // So that the first task of each repository after a start finds a warm worktree too.
  void services.warmUpWorkspaces();
  // On PostgreSQL the schedule is pg-boss's, run by a process that runs agents; on SQLite
  // the one process keeps its own cron.
  const reviewScheduler =
    services.jobs === null ? startReviewScheduler(config, services.reviews, logger) : null;
  if (services.jobs !== null && runsWorker(config)) {
    await scheduleReviewsOnQueue(config, services.reviews, services.jobs, logger);
  }
  const poller = startPullRequestPoller(config.hooks?.githubPollIntervalMs ?? 0, services.afterPr);
  return {
    url,
    services,
    close: async () => {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      await services.janitor.stop();
      reviewScheduler?.stop();
      await poller?.stop();
      await services.reviews.stop();
      await services.runner.stop();
      await services.stopWorkspaces();
      await services.close();
    },
  };
}
