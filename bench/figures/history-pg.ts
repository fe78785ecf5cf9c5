import { mkdir, rm } from "node:fs/promises";
import path from "node:path";
import pino from "pino";
import { openPostgresDatabase } from "../../server/adapters/storage/index.js";
import { createTestDatabaseUrl } from "../../tests/support/postgres-database.js";
import { startBenchEnv, type BenchEnv } from "../lib/bench-env.js";
import { load, type LoadResult } from "../lib/load.js";
import { CACHE_DIR } from "../lib/paths.js";
import { ms, times, type Row } from "../lib/report.js";
import { seedPostgresTasks } from "../lib/seed-postgres.js";
import { percentile, round } from "../lib/stats.js";

const TASKS = 1_000_000;

/** Figure 11. */
export interface HistoryPgFigure {
  tasks: number;
  pullRequests: number;
  seedMs: number;
  /** Closed loop, 10 connections. */
  health: LoadResult;
  queries: LoadResult[];
  /** `GET /api/tasks/stats`, all tasks, one request at a time. */
  summary: LoadResult;
  /** The health floor's load while summaries run back to back. */
  healthDuringSummary: LoadResult;
  /** Each timed summary, alone, in run order. */
  summaryMs: number[];
  /** Summaries started while the health load ran (the last may have ended after it). */
  summariesDuringHealth: number;
}

/** How many summaries are timed one at a time. */
const SUMMARY_SAMPLES = 5;

/** One `GET /api/tasks/stats` of all tasks, in milliseconds; throws unless it answers 200. */
async function timedSummary(env: BenchEnv): Promise<number> {
  const started = performance.now();
  const res = await env.api("/api/tasks/stats");
  await res.arrayBuffer();
  if (res.status !== 200) throw new Error(`GET /api/tasks/stats answered ${res.status}`);
  return round(performance.now() - started);
}

/**
 * Figure 11: History on PostgreSQL at a million tasks. A fresh database is migrated,
 * seeded in bulk with SQL, and served by one Patchboard process; autocannon (another
 * process) loads History's first page (plain and filtered) and its summary against
 * `GET /api/health` on the same server. The database is dropped afterwards.
 */
export async function measureHistoryPg(options: {
  loadSeconds: number;
  log: (m: string) => void;
}): Promise<HistoryPgFigure> {
  const database = await createTestDatabaseUrl();
  const dataDir = path.join(CACHE_DIR, "history-pg");
  try {
    const migrated = await openPostgresDatabase({
      url: database.url,
      logger: pino({ level: "silent" }),
    });
    await migrated.close();
    options.log(`history-pg: seeding ${TASKS.toLocaleString("en")} tasks with generate_series…`);
    const seeded = await seedPostgresTasks(database.url, TASKS);
    options.log(`history-pg: seeded in ${Math.round(seeded.durationMs / 1000)} s`);
    await rm(dataDir, { recursive: true, force: true });
    await mkdir(dataDir, { recursive: true });
    const env = await startBenchEnv({
      dataDir,
      remote: null,
      scripts: [],
      tickets: [],
      maxConcurrent: 2,
      databaseUrl: database.url,
    });
    try {
      const paths: [string, string][] = [
        ["first page", "/api/tasks?limit=50"],
        ["first page, filtered", "/api/tasks?limit=50&status=failed&repo=acme%2Fweb"],
        [
          "by person, filtered",
          "/api/tasks?limit=50&createdBy=user7%40example.com&status=completed",
        ],
      ];
      // Warm PostgreSQL's buffers, the server's JIT and its pool before any measured load.
      await load(env.url, "/api/health", 1);
      for (const [, p] of paths) await load(env.url, p, 1);
      // The summary takes seconds at this size: one request, not a timed load.
      const warmSummaryMs = await timedSummary(env);
      options.log(`history-pg: a first summary took ${Math.round(warmSummaryMs)} ms`);
      const health: LoadResult = {
        name: "health",
        path: "/api/health",
        ...(await load(env.url, "/api/health", options.loadSeconds)),
      };
      const queries: LoadResult[] = [];
      for (const [name, p] of paths) {
        options.log(`history-pg: ${name}`);
        queries.push({ name, path: p, ...(await load(env.url, p, options.loadSeconds)) });
      }
      // As figure 3, but timed request by request: at this size one summary can take
      // longer than a load window. Its own time alone, then summaries back to back
      // beside the health floor's load (the loop ends with the load).
      options.log("history-pg: the History summary, alone and beside the health floor's load");
      const summaryMs: number[] = [];
      for (let i = 0; i < SUMMARY_SAMPLES; i += 1) summaryMs.push(await timedSummary(env));
      let loading = true;
      const summaries = (async () => {
        let count = 0;
        while (loading) {
          await timedSummary(env);
          count += 1;
        }
        return count;
      })();
      const healthDuringSummary = await load(env.url, "/api/health", options.loadSeconds).finally(
        () => (loading = false),
      );
      const summariesDuringHealth = await summaries;
      const summary = {
        p50: percentile(summaryMs, 50),
        p99: percentile(summaryMs, 99),
        requestsPerSecond: round(1000 / percentile(summaryMs, 50), 2),
      };
      return {
        tasks: seeded.tasks,
        pullRequests: seeded.pullRequests,
        seedMs: Math.round(seeded.durationMs),
        health,
        queries,
        summary: { name: "summary", path: "/api/tasks/stats", ...summary },
        healthDuringSummary: { name: "health", path: "/api/health", ...healthDuringSummary },
        summaryMs,
        summariesDuringHealth,
      };
    } finally {
      await env.close();
    }
  } finally {
    await database.drop();
    await rm(dataDir, { recursive: true, force: true });
  }
}

/** Figure 11's rows: each query's p99 against the health floor's, and the summary's. */
export function historyPgRows(f: HistoryPgFigure): Row[] {
  const rows: Row[] = f.queries.map((q) => ({
    figure: "11",
    measure: `PostgreSQL, ${f.tasks.toLocaleString("en")} tasks: GET /api/tasks ${q.name}, saturated p50 / p99`,
    value: `${ms(q.p50)} / ${ms(q.p99)}`,
    floor: `${ms(f.health.p50)} / ${ms(f.health.p99)}`,
    ratio: times(q.p99 / f.health.p99),
    target: "p99 ≤ 3×",
    ok: q.p99 / f.health.p99 <= 3,
  }));
  const during = f.healthDuringSummary;
  rows.push(
    {
      figure: "11",
      measure: "PostgreSQL: GET /api/health, saturated, while History summaries run p50 / p99",
      value: `${ms(during.p50)} / ${ms(during.p99)}`,
      floor: `${ms(f.health.p50)} / ${ms(f.health.p99)}`,
      ratio: times(during.p99 / f.health.p99),
      target: "p99 ≤ 3×",
      ok: during.p99 / f.health.p99 <= 3,
    },
    {
      figure: "11",
      measure: `… the summary itself: GET /api/tasks/stats, all tasks, ${f.summaryMs.length} one at a time p50 / max`,
      value: `${ms(f.summary.p50)} / ${ms(f.summary.p99)}`,
      floor: `seeded in ${ms(f.seedMs)}`,
      ratio: "",
      target: "",
      ok: null,
    },
  );
  return rows;
}
