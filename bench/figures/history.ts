import { existsSync } from "node:fs";
import { mkdir, readFile, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import pino from "pino";
import { openSqliteDatabase, seedTasks } from "../../server/adapters/storage/index.js";
import { encodeCursor } from "../../server/adapters/storage/cursor.js";
import { startBenchEnv } from "../lib/bench-env.js";
import { load, LOAD_CONNECTIONS, type LoadResult } from "../lib/load.js";
import { CACHE_DIR } from "../lib/paths.js";

const TASKS = 100_000;
const EVENTS_PER_TASK = 20;
/** How deep the "deep page" is: this many tasks are newer than it. */
const DEEP = 90_000;
/**
 * The second pass's request rate: a busy dashboard's worth, well below saturation, so
 * latency is service time rather than the queue that a closed loop builds.
 */
const STEADY_RATE = 100;
/** How often the churn pass changes the newest task: far more often than real tasks do. */
const CHURN_INTERVAL_MS = 10;

/** Figure 3. */
export interface HistoryFigure {
  tasks: number;
  events: number;
  seededNow: boolean;
  connections: number;
  /** Closed loop: every connection sends its next request as soon as it has an answer. */
  health: LoadResult;
  queries: LoadResult[];
  /** The same at {@link STEADY_RATE} requests per second in all. */
  steadyRate: number;
  steadyHealth: LoadResult;
  steadyQueries: LoadResult[];
  /**
   * Closed loop again while the newest task changes every {@link CHURN_INTERVAL_MS} from
   * another connection (as a running task's status and usage would): lists keep being
   * read afresh, so this is the cost without the list cache's help.
   */
  churnIntervalMs: number;
  churnWrites: number;
  churnHealth: LoadResult;
  churnQueries: LoadResult[];
  /** `GET /api/tasks/stats` (History's summary of all tasks), one request at a time. */
  summary: LoadResult;
  /** The health floor's load, run at the same time as {@link summary}. */
  healthDuringSummary: LoadResult;
}

/** Bumped when seeded rows change shape, so a cached database is seeded again. */
const SEED_VERSION = 2;

interface SeedMeta {
  version?: number;
  tasks: number;
  events: number;
  deepCursor: string;
}

/**
 * The seeded database, made once and kept in bench/.cache/history (seeding takes about a
 * minute). Seeded tasks left queued or running are closed: a server start would otherwise
 * recover and run a thousand of them during the measurement.
 */
async function ensureSeeded(
  dir: string,
  log: (m: string) => void,
): Promise<{ meta: SeedMeta; seededNow: boolean }> {
  const metaFile = path.join(dir, "seed.json");
  if (existsSync(metaFile)) {
    const meta = JSON.parse(await readFile(metaFile, "utf8")) as SeedMeta;
    if (meta.version === SEED_VERSION) return { meta, seededNow: false };
  }
  await rm(dir, { recursive: true, force: true });
  await mkdir(dir, { recursive: true });
  const db = await openSqliteDatabase({
    file: path.join(dir, "patchboard.db"),
    logger: pino({ level: "silent" }),
  });
  try {
    const seeded = await seedTasks(db, TASKS, EVENTS_PER_TASK);
    log(
      `seeded ${seeded.tasks} tasks / ${seeded.events} events in ${Math.round(seeded.durationMs / 1000)} s`,
    );
    db.connection
      .prepare(
        "UPDATE tasks SET status = 'cancelled', phase = 'done', finished_at = updated_at WHERE status IN ('queued', 'running')",
      )
      .run();
    const row = db.connection
      .prepare("SELECT seq FROM tasks ORDER BY seq DESC LIMIT 1 OFFSET ?")
      .get(DEEP) as { seq: number };
    const meta: SeedMeta = {
      version: SEED_VERSION,
      tasks: TASKS,
      events: TASKS * EVENTS_PER_TASK,
      deepCursor: encodeCursor(row.seq),
    };
    await writeFile(metaFile, JSON.stringify(meta));
    return { meta, seededNow: true };
  } finally {
    await db.close();
  }
}

/** Figure 3: `GET /api/tasks` pages under load from autocannon (another process) against `GET /api/health`. */
export async function measureHistory(options: {
  runDir: string;
  loadSeconds: number;
  log: (m: string) => void;
}): Promise<HistoryFigure> {
  const dir = path.join(CACHE_DIR, "history");
  const { meta, seededNow } = await ensureSeeded(dir, options.log);
  const env = await startBenchEnv({
    dataDir: dir,
    remote: null,
    scripts: [],
    tickets: [],
    maxConcurrent: 2,
  });
  try {
    const filter = "status=failed&repo=acme%2Fweb";
    const paths: [string, string][] = [
      ["first page", "/api/tasks?limit=50"],
      ["first page, filtered", `/api/tasks?limit=50&${filter}`],
      ["deep cursor page", `/api/tasks?limit=50&cursor=${meta.deepCursor}`],
      ["deep cursor page, filtered", `/api/tasks?limit=50&${filter}&cursor=${meta.deepCursor}`],
      ["by person, filtered", `/api/tasks?limit=50&createdBy=user7%40example.com&status=completed`],
    ];
    // Warm the caches (and the JIT) before any measured load.
    await load(env.url, "/api/health", 1);
    for (const [, p] of paths) await load(env.url, p, 1);
    const pass = async (rate: number | null) => {
      const health: LoadResult = {
        name: "health",
        path: "/api/health",
        ...(await load(env.url, "/api/health", options.loadSeconds, rate)),
      };
      const queries: LoadResult[] = [];
      for (const [name, p] of paths) {
        options.log(`history: ${name}${rate === null ? "" : ` at ${rate} req/s`}`);
        queries.push({ name, path: p, ...(await load(env.url, p, options.loadSeconds, rate)) });
      }
      return { health, queries };
    };
    const closed = await pass(null);
    const steady = await pass(STEADY_RATE);
    options.log("history: the same while a task changes every 10 ms");
    const churn = await whileChanging(path.join(dir, "patchboard.db"), () => pass(null));
    // The summary reads the whole table; what matters is that nobody else waits for it.
    // Its own time is taken alone; then summaries run back to back (for longer than the
    // health load, so they cover all of it) while the health floor's load is measured.
    options.log("history: the History summary, alone and beside the health floor's load");
    const summary = await load(env.url, "/api/tasks/stats", options.loadSeconds + 4, null, 1);
    const [healthDuringSummary] = await Promise.all([
      load(env.url, "/api/health", options.loadSeconds, null),
      load(env.url, "/api/tasks/stats", options.loadSeconds + 4, null, 1),
    ]);
    return {
      tasks: meta.tasks,
      events: meta.events,
      seededNow,
      connections: LOAD_CONNECTIONS,
      ...closed,
      steadyRate: STEADY_RATE,
      steadyHealth: steady.health,
      steadyQueries: steady.queries,
      churnIntervalMs: CHURN_INTERVAL_MS,
      churnWrites: churn.writes,
      churnHealth: churn.result.health,
      churnQueries: churn.result.queries,
      summary: { name: "summary", path: "/api/tasks/stats", ...summary },
      healthDuringSummary: { name: "health", path: "/api/health", ...healthDuringSummary },
    };
  } finally {
    await env.close();
  }
}

/**
 * Runs `work` while another connection bumps the newest task's usage every
 * {@link CHURN_INTERVAL_MS}: every list the server answers meanwhile may be stale in a
 * cache, so it has to read it again.
 */
async function whileChanging<T>(
  file: string,
  work: () => Promise<T>,
): Promise<{ result: T; writes: number }> {
  const db = await openSqliteDatabase({ file, logger: pino({ level: "silent" }) });
  const bump = db.connection.prepare(
    "UPDATE tasks SET input_tokens = input_tokens + 1 WHERE seq = (SELECT MAX(seq) FROM tasks)",
  );
  let writes = 0;
  const timer = setInterval(() => {
    bump.run();
    writes += 1;
  }, CHURN_INTERVAL_MS);
  try {
    return { result: await work(), writes };
  } finally {
    clearInterval(timer);
    await db.close();
  }
}
