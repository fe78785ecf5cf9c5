import { spawn } from "node:child_process";
import path from "node:path";
import { REPO_ROOT } from "./paths.js";
import { percentile } from "./stats.js";

/** What the SSE clients' process reports once every stream has ended (see sse-clients.ts). */
export interface SseClientsResult {
  /** Stored-to-received times (ms) of the events stored after every client was connected. */
  lags: number[];
  /** The events each client received, in the order the clients ended. */
  eventsPerClient: number[];
}

/** A running process of SSE clients; `kill()` it once done with it, or on failure. */
export interface SseClients {
  /** Resolves once every client has its response headers. */
  ready: Promise<void>;
  /** Resolves once every stream has ended; rejects if the process exits before that. */
  done: Promise<SseClientsResult>;
  kill(): void;
}

/**
 * Starts `count` SSE clients of one task in a process of their own (bench/lib/sse-clients.ts),
 * so their parsing does not load the process being measured; figures 4 and 10 both use it.
 */
export function spawnSseClients(
  url: string,
  taskId: string,
  token: string,
  count: number,
): SseClients {
  const child = spawn(
    process.execPath,
    [
      "--import",
      "tsx",
      path.join(REPO_ROOT, "bench/lib/sse-clients.ts"),
      url,
      taskId,
      token,
      String(count),
    ],
    { cwd: REPO_ROOT, stdio: ["ignore", "inherit", "inherit", "ipc"] },
  );
  let resolveReady: () => void = () => undefined;
  const ready = new Promise<void>((resolve) => (resolveReady = resolve));
  const done = new Promise<SseClientsResult>((resolve, reject) => {
    child.on("message", (m: { ready?: boolean } & Partial<SseClientsResult>) => {
      if (m.ready) resolveReady();
      if (m.lags && m.eventsPerClient)
        resolve({ lags: m.lags, eventsPerClient: m.eventsPerClient });
    });
    const who = count === 1 ? "the SSE client" : "the SSE clients";
    child.once("exit", (code) => reject(new Error(`${who} exited with ${code}`)));
  });
  return { ready, done, kill: () => child.kill() };
}

/** The lag figures both SSE figures report, from {@link SseClientsResult.lags}. */
export function lagSummary(lags: readonly number[]): {
  lagSamples: number;
  lagP50Ms: number;
  lagP99Ms: number;
  lagMaxMs: number;
} {
  return {
    lagSamples: lags.length,
    lagP50Ms: percentile(lags, 50),
    lagP99Ms: percentile(lags, 99),
    lagMaxMs: percentile(lags, 100),
  };
}
