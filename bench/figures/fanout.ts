import { TOKEN, type BenchEnv } from "../lib/bench-env.js";
import { lagSummary, spawnSseClients } from "../lib/spawn-sse-clients.js";
import { round } from "../lib/stats.js";
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
  const clientsProcess = spawnSseClients(env.url, task.id, TOKEN, clients);
  await clientsProcess.ready;
  const after = await env.memory();
  await waitFinal(env, task.id);
  const { lags, eventsPerClient } = await clientsProcess.done;
  clientsProcess.kill();
  return {
    clients,
    eventsPerClient: Math.min(...eventsPerClient),
    ...lagSummary(lags),
    rssPerClient: round((after.rss - before.rss) / clients),
    heapPerClient: round(
      (after.heapUsed + after.external - before.heapUsed - before.external) / clients,
    ),
  };
}
