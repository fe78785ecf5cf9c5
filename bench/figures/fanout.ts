import { spawn } from "node:child_process";
import path from "node:path";
import { TOKEN, type BenchEnv } from "../lib/bench-env.js";
import { REPO_ROOT } from "../lib/paths.js";
import { percentile, round } from "../lib/stats.js";
import { startFix, waitFinal } from "../lib/tasks.js";

/** Figure 4. */
export interface FanoutFigure {
  clients: number;
  eventsPerClient: number;
  lagSamples: number;
  lagP50Ms: number;
  lagP99Ms: number;
  lagMaxMs: number;
  rssPerClient: number;
  heapPerClient: number;
}

/**
 * Figure 4: `clients` SSE clients (another process) on one running task; delivery lag
 * from stored to received, and what the clients cost the server's memory.
 */
export async function measureFanout(
  env: BenchEnv,
  ticket: string,
  clients: number,
): Promise<FanoutFigure> {
  const { task } = await startFix(env, ticket);
  const before = await env.memory();
  const child = spawn(
    process.execPath,
    [
      "--import",
      "tsx",
      path.join(REPO_ROOT, "bench/lib/sse-clients.ts"),
      env.url,
      task.id,
      TOKEN,
      String(clients),
    ],
    { cwd: REPO_ROOT, stdio: ["ignore", "inherit", "inherit", "ipc"] },
  );
  let resolveReady: () => void = () => undefined;
  const ready = new Promise<void>((resolve) => (resolveReady = resolve));
  const done = new Promise<{ lags: number[]; eventsPerClient: number[] }>((resolve, reject) => {
    child.on("message", (m: { ready?: boolean; lags?: number[]; eventsPerClient?: number[] }) => {
      if (m.ready) resolveReady();
      if (m.lags && m.eventsPerClient)
        resolve({ lags: m.lags, eventsPerClient: m.eventsPerClient });
    });
    child.once("exit", (code) => reject(new Error(`the SSE clients exited with ${code}`)));
  });
  await ready;
  const after = await env.memory();
  await waitFinal(env, task.id);
  const { lags, eventsPerClient } = await done;
  child.kill();
  return {
    clients,
    eventsPerClient: Math.min(...eventsPerClient),
    lagSamples: lags.length,
    lagP50Ms: percentile(lags, 50),
    lagP99Ms: percentile(lags, 99),
    lagMaxMs: percentile(lags, 100),
    rssPerClient: round((after.rss - before.rss) / clients),
    heapPerClient: round(
      (after.heapUsed + after.external - before.heapUsed - before.external) / clients,
    ),
  };
}
