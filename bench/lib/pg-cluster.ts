import path from "node:path";
import type { Script } from "../../server/sandbox/scripted-model/index.js";
import { createTestDatabaseUrl } from "../../tests/support/postgres-database.js";
import {
  API_TOKENS,
  calcTickets,
  startReliabilityEnv,
} from "../../tests/support/reliability-env.js";
import {
  apiClient,
  spawnServer,
  spawnWorker,
  type ServerProcess,
} from "../../tests/support/reliability-server.js";
import { countWarmWorktrees } from "../../server/adapters/git/warm-pool.js";
import { waitFor } from "./stats.js";

/** Options of {@link startPgCluster}. */
export interface PgClusterOptions {
  scripts: Script[];
  /** CALC-1 … CALC-n are served by the fake Jira. */
  tickets: number;
  workers: number;
  /** MAX_CONCURRENT_TASKS of each worker. */
  maxConcurrent: number;
}

/**
 * Patchboard scaled out as production runs it, for a bench figure: one API process
 * (PATCHBOARD_ROLE=api) and `workers` worker processes (`npm run worker`), each with its
 * own DATA_DIR, on a fresh PostgreSQL database; the fakes and the scripted model run in
 * the bench's process (as in tests/integration/scale-out.test.ts).
 */
export interface PgCluster {
  api: ReturnType<typeof apiClient>;
  apiNode: ServerProcess;
  workers: ServerProcess[];
  /** The API node's URL and the admin token its SSE clients use. */
  url: string;
  token: string;
  /** Stops every process, drops the database and removes the data directories. */
  close(): Promise<void>;
}

/** How long a process may take to start, and a worker to fill its warm pool, on a busy machine. */
const START_TIMEOUT_MS = 180_000;

/** Starts the cluster and waits until every worker's warm pool for acme/calc is full. */
export async function startPgCluster(options: PgClusterOptions): Promise<PgCluster> {
  const database = await createTestDatabaseUrl();
  const world = await startReliabilityEnv({
    scripts: options.scripts,
    tickets: calcTickets(options.tickets),
    env: {
      DATABASE_URL: database.url,
      SESSION_SECRET: "bench-cluster-session-secret-0123456789abcdef",
      MAX_CONCURRENT_TASKS: String(options.maxConcurrent),
    },
  });
  const processes: ServerProcess[] = [];
  const close = async () => {
    for (const proc of processes) await proc.kill9();
    await world.close();
    await database.drop();
  };
  try {
    const envOf = (name: string, extra: Record<string, string> = {}) => ({
      ...world.env,
      DATA_DIR: path.join(world.dataDir, name),
      ...extra,
    });
    // The API node migrates the empty database first; workers then start on the schema.
    const apiNode = await spawnServer(envOf("api", { PATCHBOARD_ROLE: "api" }), START_TIMEOUT_MS);
    processes.push(apiNode);
    const names = Array.from({ length: options.workers }, (_, i) => `worker-${i + 1}`);
    const workers = await Promise.all(
      names.map((name) => spawnWorker(envOf(name), START_TIMEOUT_MS)),
    );
    processes.push(...workers);
    // A click on a worker still cloning would measure the warm-up, not the throughput.
    for (const name of names) {
      const workspaces = path.join(world.dataDir, name, "workspaces");
      const mirror = path.join(workspaces, "mirrors", "acme__calc.git");
      await waitFor(
        `${name}'s warm pool`,
        async () =>
          (await countWarmWorktrees(path.join(workspaces, "warm"), mirror)) >= 2 ? true : null,
        START_TIMEOUT_MS,
        200,
      );
    }
    return {
      api: apiClient(apiNode.url),
      apiNode,
      workers,
      url: apiNode.url,
      token: API_TOKENS.admin,
      close,
    };
  } catch (error) {
    await close();
    throw error;
  }
}
