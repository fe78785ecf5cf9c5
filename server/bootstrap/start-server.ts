import type { AddressInfo } from "node:net";
import type { Server } from "node:http";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { Logger } from "pino";
import { createApp } from "../app.js";
import type { AppConfig } from "../config/app-config.js";
import { buildServices } from "./build-services.js";

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
  options: { webDir?: string | null } = {},
): Promise<RunningServer> {
  if (config.auth.mode === "dev" && config.mode !== "sandbox") {
    logger.warn(
      { users: config.auth.devUsers.map((u) => u.email) },
      "dev sign-in is enabled outside the sandbox: anyone who can reach the server can sign in as a listed user",
    );
  }
  const services = await buildServices(config, logger);
  const app = createApp({
    config,
    jiraBaseUrl: config.jira.baseUrl,
    logger,
    tasks: { ...services.deps, queue: services.runner },
    sessions: services.sessions,
    stats: services.stats,
    webDir: options.webDir === undefined ? DEFAULT_WEB_DIR : options.webDir,
  });
  const server: Server = await new Promise((resolve, reject) => {
    const s = app.listen(config.port, config.host, () => resolve(s));
    s.once("error", reject);
  });
  const address = server.address() as AddressInfo;
  const url = `http://${config.host.includes(":") ? `[${config.host}]` : config.host}:${address.port}`;
  await services.runner.start();
  logger.info({ url, mode: config.mode, repos: config.repos.length }, "patchboard listening");
  return {
    url,
    services,
    close: async () => {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      await services.runner.stop();
      await services.close();
    },
  };
}
