/**
 * `npm run bench`: what Patchboard adds to the cost of a fix, against floors measured in
 * the same run (issue #8). Prints a table and writes JSON to bench/results/.
 *
 *   npm run bench                         all figures (~10 minutes on 2 cores)
 *   npm run bench -- --only=history,web   a subset: start (figures 1 and 2), history,
 *                                         fanout, memory, web, gateway, environment,
 *                                         scale, lag, history-pg (PostgreSQL, figures 9–11)
 *   npm run bench -- --quick              fewer samples and shorter load (see QUICK)
 */
import { mkdir, rm } from "node:fs/promises";
import path from "node:path";
import { environmentRows, measureEnvironment } from "./figures/environment.js";
import { measureFanout } from "./figures/fanout.js";
import { measureGateway } from "./figures/gateway.js";
import { measureHistory } from "./figures/history.js";
import { historyPgRows, measureHistoryPg } from "./figures/history-pg.js";
import { lagRows, measureLag } from "./figures/lag.js";
import { measureMemory } from "./figures/memory.js";
import { measureScale, scaleRows } from "./figures/scale.js";
import { measureStartAndOverhead } from "./figures/start-and-overhead.js";
import { buildWeb, measureWeb } from "./figures/web.js";
import { cloneForRun, ensureBigRepo } from "./lib/big-repo.js";
import { startBenchEnv, type BenchEnv } from "./lib/bench-env.js";
import { CACHE_DIR } from "./lib/paths.js";
import { bytes, machine, markdownTable, ms, times, writeResults, type Row } from "./lib/report.js";
import { benchScripts, SLOW_TICKET_PREFIX } from "./lib/scripts.js";

const SECTIONS = [
  "start",
  "history",
  "fanout",
  "memory",
  "web",
  "gateway",
  "environment",
  "scale",
  "lag",
  "history-pg",
] as const;
type Section = (typeof SECTIONS)[number];

/** What `--quick` changes: fewer samples, shorter load, fewer SSE clients, a reused web build. */
const SETTINGS = {
  full: {
    warmFixes: 4,
    worktreeAdds: 3,
    bareRuns: 2,
    loadSeconds: 6,
    sseClients: 500,
    renders: 5,
    reuseWebBuild: false,
    scaleBatch: 12,
    lagSteps: 250,
  },
  quick: {
    warmFixes: 2,
    worktreeAdds: 1,
    bareRuns: 1,
    loadSeconds: 2,
    sseClients: 100,
    renders: 2,
    reuseWebBuild: true,
    scaleBatch: 6,
    lagSteps: 100,
  },
};
const MAX_CONCURRENT = 2;

function parseArgs(argv: string[]): { only: Set<Section>; quick: boolean } {
  const quick = argv.includes("--quick");
  const onlyArg = argv.find((a) => a.startsWith("--only="))?.slice("--only=".length);
  const only = new Set<Section>();
  for (const name of onlyArg ? onlyArg.split(",") : SECTIONS) {
    const section = name === "overhead" ? "start" : name;
    if (!(SECTIONS as readonly string[]).includes(section)) {
      throw new Error(`unknown section ${name}; use ${SECTIONS.join(", ")}`);
    }
    only.add(section as Section);
  }
  return { only, quick };
}

async function main(): Promise<void> {
  const { only, quick } = parseArgs(process.argv.slice(2));
  const settings = quick ? SETTINGS.quick : SETTINGS.full;
  const stamp = new Date().toISOString().replace(/[:.]/g, "-");
  const runDir = path.join(CACHE_DIR, "runs", stamp);
  // Only the latest run's data is kept (its server log helps to explain a figure).
  await rm(path.join(CACHE_DIR, "runs"), { recursive: true, force: true });
  await mkdir(runDir, { recursive: true });
  const started = Date.now();
  const results: Record<string, unknown> = {
    startedAt: new Date().toISOString(),
    quick,
    machine: machine(),
  };
  const rows: Row[] = [];
  const errors: Record<string, string> = {};
  results.errors = errors;
  /** Runs one section; a failure is reported and the other sections still run. */
  const attempt = async (name: string, work: () => Promise<void>): Promise<void> => {
    try {
      await work();
    } catch (error) {
      errors[name] = error instanceof Error ? (error.stack ?? error.message) : String(error);
      log(`${name} failed: ${errors[name]}`);
    }
  };
  const log = (message: string) =>
    console.error(`[bench ${Math.round((Date.now() - started) / 1000)}s] ${message}`);

  if (only.has("scale"))
    await attempt("scale", async () => {
      const figure = await measureScale({ batch: settings.scaleBatch, log });
      results.scale = figure;
      rows.push(...scaleRows(figure));
    });

  if (only.has("lag"))
    await attempt("lag", async () => {
      const figure = await measureLag({ steps: settings.lagSteps, log });
      results.lag = figure;
      rows.push(...lagRows(figure));
    });

  if (only.has("history-pg"))
    await attempt("history-pg", async () => {
      const figure = await measureHistoryPg({ loadSeconds: settings.loadSeconds, log });
      results.historyPg = figure;
      rows.push(...historyPgRows(figure));
    });

  if (only.has("environment"))
    await attempt("environment", async () => {
      const figures = await measureEnvironment({ runDir, log });
      results.environment = figures;
      rows.push(...environmentRows(figures));
    });

  if (only.has("gateway"))
    await attempt("gateway", async () => {
      log("gateway: events and Codex turns, directly and through the model gateway…");
      const gateway = await measureGateway({ turns: quick ? 2 : 5, log });
      results.gateway = gateway;
      const { events, turns } = gateway;
      const perEvent = events.gateway.p50 - events.direct.p50;
      rows.push({
        figure: "7",
        measure: "model gateway: SSE event lag, through the gateway p50 / p99 (added p50)",
        value: `${ms(events.gateway.p50)} / ${ms(events.gateway.p99)} (+${ms(perEvent)})`,
        floor: `${ms(events.direct.p50)} / ${ms(events.direct.p99)} (direct)`,
        ratio: "",
        target: "< 5 ms added",
        ok: perEvent < 5,
      });
      const added = (turns.gateway - turns.direct) / turns.direct;
      rows.push({
        figure: "7",
        measure: "model gateway: Codex turn (3 model requests), through the gateway, median",
        value: ms(turns.gateway),
        floor: `${ms(turns.direct)} (direct)`,
        ratio: `${(added * 100).toFixed(1)}%`,
        target: "< 2% added",
        ok: added < 0.02,
      });
    });

  if (only.has("history"))
    await attempt("history", async () => {
      log("history: seeding or reusing 100,000 tasks / 2,000,000 events…");
      const history = await measureHistory({ runDir, loadSeconds: settings.loadSeconds, log });
      results.history = history;
      const add = (
        q: { name: string; p50: number; p99: number },
        floor: { p50: number; p99: number },
        suffix: string,
      ) =>
        rows.push({
          figure: "3",
          measure: `GET /api/tasks ${q.name}${suffix} p50 / p99`,
          value: `${ms(q.p50)} / ${ms(q.p99)}`,
          floor: `${ms(floor.p50)} / ${ms(floor.p99)}`,
          ratio: times(q.p99 / floor.p99),
          target: "p99 ≤ 3×",
          ok: q.p99 / floor.p99 <= 3,
        });
      for (const q of history.queries) add(q, history.health, ", saturated");
      for (const q of history.steadyQueries)
        add(q, history.steadyHealth, `, ${history.steadyRate} req/s`);
      for (const q of history.churnQueries)
        add(
          q,
          history.churnHealth,
          `, saturated, newest task changing every ${history.churnIntervalMs} ms`,
        );
      const { summary, healthDuringSummary: during, health } = history;
      rows.push({
        figure: "3",
        measure: "GET /api/health, saturated, while History summaries run p50 / p99",
        value: `${ms(during.p50)} / ${ms(during.p99)}`,
        floor: `${ms(health.p50)} / ${ms(health.p99)}`,
        ratio: times(during.p99 / health.p99),
        target: "p99 ≤ 3×",
        ok: during.p99 / health.p99 <= 3,
      });
      rows.push({
        figure: "3",
        measure: "… the summary itself: GET /api/tasks/stats, all tasks, one at a time p50 / p99",
        value: `${ms(summary.p50)} / ${ms(summary.p99)}`,
        floor: "",
        ratio: "",
        target: "",
        ok: null,
      });
    });

  const needsTasks =
    only.has("start") || only.has("fanout") || only.has("memory") || only.has("web");
  let env: BenchEnv | null = null;
  try {
    if (needsTasks) {
      log("tasks: generating or reusing the 20,000-file repository…");
      const remote = await cloneForRun(await ensureBigRepo(), path.join(runDir, "remote.git"));
      const web = only.has("web") ? await buildWeb(settings.reuseWebBuild, log) : null;
      const tickets = [
        ...Array.from({ length: settings.warmFixes + 1 }, (_, i) => `BENCH-${i + 1}`),
        ...Array.from({ length: MAX_CONCURRENT + 1 }, (_, i) => `${SLOW_TICKET_PREFIX}0${i}`),
      ];
      const taskEnv = await startBenchEnv({
        dataDir: path.join(runDir, "data"),
        remote,
        scripts: benchScripts({ steps: quick ? 15 : 30, delayMs: 150 }),
        tickets,
        maxConcurrent: MAX_CONCURRENT,
        webDir: web?.dir ?? null,
      });
      env = taskEnv;
      const idle = await taskEnv.memory();
      results.idleAtBoot = idle;

      if (only.has("start"))
        await attempt("start", async () => {
          log("figures 1–2: start latency and overhead per task…");
          const fixes = tickets.filter((t) => !t.startsWith(SLOW_TICKET_PREFIX));
          const s = await measureStartAndOverhead(taskEnv, fixes, {
            worktreeAddRuns: settings.worktreeAdds,
            bareRuns: settings.bareRuns,
            cacheDir: runDir,
          });
          results.start = s.start;
          results.overhead = s.overhead;
          rows.push(
            {
              figure: "1",
              measure: "start: POST → first agent event (warm worktree)",
              value: ms(s.start.warmMedianMs),
              floor: `${ms(s.start.freshWorktreeAddMs)} (fresh worktree add)`,
              ratio: times(s.start.ratioToWorktreeAdd),
              target: "< 1 s",
              ok: s.start.warmMedianMs < 1000,
            },
            {
              figure: "1",
              measure:
                "start, first click right after a start on an empty data directory (warm-up cloning)",
              value: ms(s.start.coldMs),
              floor: `${ms(s.start.freshWorktreeAddMs)} (fresh worktree add)`,
              ratio: times(s.start.coldMs / s.start.freshWorktreeAddMs),
              target: "",
              ok: null,
            },
            {
              figure: "2",
              measure: "overhead per task: task wall − agent turns",
              value: `${ms(s.overhead.patchboardMs)} (of ${ms(s.overhead.taskWallMs)})`,
              floor: `${ms(s.overhead.bareSdkWallMs)} (bare SDK, 2 turns)`,
              ratio: `${(s.overhead.ratio * 100).toFixed(1)}%`,
              target: "< 10% and < 1 s",
              ok: s.overhead.ratio < 0.1 && s.overhead.patchboardMs < 1000,
            },
            {
              figure: "2",
              measure: "overhead per task, agent turns ending at the CLI's exit (as `run()` does)",
              value: `${ms(s.overhead.patchboardSdkTurnsMs)} (of ${ms(s.overhead.taskWallMs)})`,
              floor: `${ms(s.overhead.bareSdkWallMs)} (bare SDK, 2 turns)`,
              ratio: `${(s.overhead.ratioSdkTurns * 100).toFixed(1)}%`,
              target: "< 10% and < 1 s",
              ok: s.overhead.ratioSdkTurns < 0.1 && s.overhead.patchboardSdkTurnsMs < 1000,
            },
            {
              figure: "2",
              measure: "CLI exit after turn.completed, per turn / task wall − bare SDK wall",
              value: `${ms(s.overhead.cliExitPerTurnMs)} / ${ms(s.overhead.taskMinusBareMs)}`,
              floor: "",
              ratio: "",
              target: "",
              ok: null,
            },
            {
              figure: "2",
              measure: "… of which: before first turn / between turns / after last turn",
              value: [
                s.overhead.phasesMs.beforeFirstTurn,
                s.overhead.phasesMs.betweenTurns,
                s.overhead.phasesMs.afterLastTurn,
              ]
                .map(ms)
                .join(" / "),
              floor: `agent turns in the task: ${ms(s.overhead.agentTurnsMs)}`,
              ratio: "",
              target: "",
              ok: null,
            },
          );
        });
      if (only.has("fanout") || only.has("memory")) {
        log("figures 4–5: live fan-out and memory…");
        const slow = tickets.filter((t) => t.startsWith(SLOW_TICKET_PREFIX));
        if (only.has("fanout"))
          await attempt("fanout", async () => {
            const f = await measureFanout(taskEnv, slow[0] ?? "", settings.sseClients);
            results.fanout = f;
            rows.push(
              {
                figure: "4",
                measure: `fan-out: ${f.clients} SSE clients, lag stored → received p50 / p99`,
                value: `${ms(f.lagP50Ms)} / ${ms(f.lagP99Ms)}`,
                floor: `${f.eventsPerClient} events each`,
                ratio: "",
                target: "",
                ok: null,
              },
              {
                figure: "4",
                measure: "server memory per SSE client (RSS / heap)",
                value: `${bytes(f.rssPerClient)} / ${bytes(f.heapPerClient)}`,
                floor: "",
                ratio: "",
                target: "",
                ok: null,
              },
            );
          });
        if (only.has("memory"))
          await attempt("memory", async () => {
            const m = await measureMemory(taskEnv, slow.slice(1), idle);
            results.memory = m;
            rows.push({
              figure: "5",
              measure: `server RSS idle → ${m.running} tasks running (+ Codex processes)`,
              value: `${bytes(m.idleRss)} → ${bytes(m.runningRss)}`,
              floor: `Codex: ${bytes(m.codexRss)} in ${m.codexProcesses} processes`,
              ratio: "",
              target: "",
              ok: null,
            });
          });
      }
      if (web !== null)
        await attempt("web", async () => {
          log("figure 6: web bundle and first render…");
          const w = await measureWeb(taskEnv, web, settings.renders);
          results.web = w;
          rows.push(
            {
              figure: "6",
              measure: "initial JS / CSS, gzipped",
              value: `${bytes(w.initialJsGzip)} / ${bytes(w.initialCssGzip)}`,
              floor: "",
              ratio: "",
              target: "",
              ok: null,
            },
            {
              figure: "6",
              measure: "tickets page: first paint / tickets rendered (headless Chromium)",
              value: `${ms(w.firstPaintMs)} / ${ms(w.ticketsRenderedMs)}`,
              floor: "",
              ratio: "",
              target: "",
              ok: null,
            },
          );
        });
    }
  } finally {
    await env?.close();
    // The run's worktrees are hundreds of megabytes; its server log is what is worth keeping.
    await rm(path.join(runDir, "data", "workspaces"), { recursive: true, force: true });
  }

  results.durationMs = Date.now() - started;
  results.table = rows;
  const file = await writeResults(stamp, results);
  process.stdout.write(`${markdownTable(rows)}\n`);
  process.stdout.write(
    `\n${quick ? "quick run; " : ""}load average ${JSON.stringify((results.machine as { loadAverage: number[] }).loadAverage)} at start; ${Math.round((Date.now() - started) / 1000)} s; results: ${path.relative(process.cwd(), file)}\n`,
  );
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
