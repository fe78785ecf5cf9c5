import { afterAll, beforeAll } from "vitest";
import path from "node:path";
import { createTestDatabaseUrl, type TestDatabaseUrl } from "./postgres-database.js";
import { calcTickets, startReliabilityEnv, type ReliabilityEnv } from "./reliability-env.js";
import { calcFixScript, type Holds } from "./reliability-scripts.js";
import { apiClient, spawnServer, spawnWorker, type ServerProcess } from "./reliability-server.js";

/** A lease short enough that a dead worker's task is taken over within seconds. */
export const SCALE_OUT_LEASE_MS = 3000;

/** Options of {@link useScaleOutWorld}. */
export interface ScaleOutWorldOptions {
  /** How many calc tickets (`CALC-1`…) the fake Jira holds. */
  tickets: number;
  sessionSecret: string;
}

/**
 * Patchboard scaled out as production runs it, for one `describe`: the fake Jira, fake
 * GitHub and scripted model in this process, and processes started by the test (an API
 * node, workers) each with its own DATA_DIR, sharing nothing but a PostgreSQL database of
 * their own. Registers the suite's `beforeAll` and `afterAll`: every process the test
 * started is killed -9 (a failed test leaves none running) and the database is dropped.
 */
export function useScaleOutWorld(options: ScaleOutWorldOptions) {
  const holds: Holds = { analyze: new Set(), fix: new Set() };
  const processes: ServerProcess[] = [];
  let env: ReliabilityEnv | undefined;
  let database: TestDatabaseUrl | undefined;

  beforeAll(async () => {
    // An empty database: the processes migrate it as they start, under the lock.
    database = await createTestDatabaseUrl();
    env = await startReliabilityEnv({
      scripts: [calcFixScript(holds)],
      tickets: calcTickets(options.tickets),
      env: {
        DATABASE_URL: database.url,
        SESSION_SECRET: options.sessionSecret,
        TASK_LEASE_MS: String(SCALE_OUT_LEASE_MS),
        // One agent per worker: two on a 2-core machine, and a killed worker holds
        // exactly the task it was killed in.
        MAX_CONCURRENT_TASKS: "1",
      },
    });
  }, 120_000);

  afterAll(async () => {
    for (const proc of processes) await proc.kill9();
    await env?.close();
    await database?.drop();
  });

  /** The reliability environment; only inside a test, once `beforeAll` has run. */
  function world(): ReliabilityEnv {
    if (env === undefined) throw new Error("the scale-out world is not started");
    return env;
  }

  /** A process's environment: the world's, its own DATA_DIR (`name`), and `extra`. */
  function envOf(name: string, extra: Record<string, string> = {}): Record<string, string> {
    return { ...world().env, DATA_DIR: path.join(world().dataDir, name), ...extra };
  }

  /** Starts a worker on DATA_DIR `name` (a restarted one keeps its worker id); killed after. */
  async function startWorker(name: string): Promise<ServerProcess> {
    const worker = await spawnWorker(envOf(name));
    processes.push(worker);
    return worker;
  }

  /** Starts the API node (DATA_DIR `api`) and two workers (`worker-a`, `worker-b`). */
  async function startNodes() {
    const [apiNode, workerA, workerB] = await Promise.all([
      spawnServer(envOf("api", { PATCHBOARD_ROLE: "api" })),
      spawnWorker(envOf("worker-a")),
      spawnWorker(envOf("worker-b")),
    ]);
    processes.push(apiNode, workerA, workerB);
    return { apiNode, workerA, workerB, api: apiClient(apiNode.url) };
  }

  return { holds, world, startWorker, startNodes };
}

/**
 * When a process logged `msg` for this task (pino JSON lines carry `taskId` and an ISO
 * `time`); undefined when it did not.
 */
export function loggedAt(
  proc: ServerProcess,
  msg: string,
  taskId: string,
): { time: number } | undefined {
  for (const line of proc.logs) {
    if (!line.includes(taskId) || !line.includes(`"${msg}"`)) continue;
    const parsed = JSON.parse(line) as { msg?: string; taskId?: string; time?: string };
    if (parsed.msg === msg && parsed.taskId === taskId) {
      return { time: Date.parse(parsed.time ?? "") };
    }
  }
  return undefined;
}
