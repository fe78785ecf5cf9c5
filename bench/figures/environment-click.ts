/**
 * Figure 8's first row (issue #12): click → first agent event on a warm, prepared
 * repository whose setup is a real `npm ci` of a few hundred packages, against a click on
 * the same repository with nothing prepared (no warm worktree: checkout, `npm ci`, then
 * the agent), both through the real server with the agent isolated.
 */
import { readFile } from "node:fs/promises";
import path from "node:path";
import type { TaskEvent } from "../../shared/task-event.js";
import { pipelineScript } from "../../tests/support/pipeline-fixtures.js";
import { startBenchEnv, type BenchEnv } from "../lib/bench-env.js";
import { ensureNpmLockfile, makeNpmRemote } from "../lib/npm-repo.js";
import { median, round, waitFor } from "../lib/stats.js";
import { eventsOf, firstAgentEvent, getTask, startFix, waitWarmPool } from "../lib/tasks.js";

/** The setup the figure measures, as a repository's entry says it. */
export const NPM_SETUP = "npm ci";
const WARM_CLICKS = 3;
const SETUP_DEADLINE_MS = 600_000;

/** One click: its start latency and what the server did to the environment. */
export interface Click {
  /** POST → first stored agent event. */
  startMs: number;
  /** What preparing said ("Running setup: npm ci", "Environment already prepared…"). */
  environment: string;
  /** The in-task setup's own duration, when it ran. */
  setupMs: number | null;
  /**
   * From the click to each stored step: the task running, its environment ready
   * (checked or set up), the first turn sent to the agent; the rest to
   * {@link startMs} is the Codex CLI's start in its namespace.
   */
  phasesMs: { running: number; environmentReady: number; turnSent: number };
}

/** What {@link measureClick} found. */
export interface ClickFigures {
  packages: number;
  /** The first click on a fresh server: the repository's npm cache is empty (downloads). */
  scratchColdCache: Click;
  /** The second click on that server: same, with the repository's npm cache filled. */
  scratchWarmCache: Click;
  /** Clicks on a server whose warm worktrees were prepared in the background. */
  warm: Click[];
  warmMedianMs: number;
  /** Medians of the warm clicks' {@link Click.phasesMs}. */
  warmPhasesMs: Click["phasesMs"];
  /** The background preparations of the warm pool (`npm ci` in a warm worktree), from the log. */
  warmPrepareMs: number[];
}

/** Runs the clicks in `runDir`: a server without warm worktrees, then one with them. */
export async function measureClick(options: {
  runDir: string;
  log: (message: string) => void;
}): Promise<ClickFigures> {
  const lock = await ensureNpmLockfile(options.log);
  const remote = path.join(options.runDir, "npm-remote.git");
  await makeNpmRemote(lock.dir, path.join(options.runDir, "npm-source"), remote);
  const tickets = Array.from({ length: 2 + WARM_CLICKS }, (_, i) => `BENCH-${i + 1}`);
  const start = (name: string, warmWorktrees?: number) =>
    startBenchEnv({
      dataDir: path.join(options.runDir, name),
      remote,
      scripts: [pipelineScript("BENCH-")],
      tickets,
      maxConcurrent: 1,
      repo: { setupCommand: NPM_SETUP, testCommand: null },
      isolation: "bubblewrap",
      ...(warmWorktrees === undefined ? {} : { warmWorktrees }),
    });

  options.log(`environment: click with nothing prepared (${lock.packages} packages, npm ci)…`);
  const scratchEnv = await start("click-scratch", 0);
  let scratchColdCache: Click;
  let scratchWarmCache: Click;
  try {
    scratchColdCache = await click(scratchEnv, tickets[0] ?? "");
    scratchWarmCache = await click(scratchEnv, tickets[1] ?? "");
  } finally {
    await scratchEnv.close();
  }

  options.log("environment: clicks on a warm, prepared repository…");
  const warmEnv = await start("click-warm");
  const warm: Click[] = [];
  try {
    for (const ticket of tickets.slice(2)) {
      await waitWarmPool(warmEnv, SETUP_DEADLINE_MS); // steady state: the refill of the previous claim has been prepared
      warm.push(await click(warmEnv, ticket));
    }
  } finally {
    await warmEnv.close();
  }
  const notPrepared = warm.filter((c) => !c.environment.includes("already prepared"));
  if (notPrepared.length > 0) {
    throw new Error(`a warm click ran setup: ${JSON.stringify(notPrepared)}`);
  }
  return {
    packages: lock.packages,
    scratchColdCache,
    scratchWarmCache,
    warm,
    warmMedianMs: round(median(warm.map((c) => c.startMs))),
    warmPhasesMs: {
      running: round(median(warm.map((c) => c.phasesMs.running))),
      environmentReady: round(median(warm.map((c) => c.phasesMs.environmentReady))),
      turnSent: round(median(warm.map((c) => c.phasesMs.turnSent))),
    },
    warmPrepareMs: await preparedInLog(path.join(warmEnv.config.dataDir, "server.log")),
  };
}

/** Starts a fix, waits for its first agent event, then cancels it (the rest is not measured). */
async function click(env: BenchEnv, ticket: string): Promise<Click> {
  const { task, postedAt } = await startFix(env, ticket);
  const first = await firstAgentEvent(env, task.id, SETUP_DEADLINE_MS);
  const startMs = Date.parse(first.at) - postedAt;
  await env.api(`/api/tasks/${task.id}/cancel`, { method: "POST", body: "{}" });
  await waitFor(
    `task ${task.id} to stop`,
    async () => ((await getTask(env, task.id)).finishedAt ? true : null),
    60_000,
    100,
  );
  const events = await eventsOf(env, task.id);
  const logs = events.flatMap((e: TaskEvent) => (e.type === "task.log" ? [e.payload.message] : []));
  const environment =
    logs.find((m) => m.startsWith("Running setup") || m.includes("already prepared")) ?? "none";
  const done = logs.map((m) => /^Setup done in ([\d.]+) s/.exec(m)).find((m) => m !== null);
  const at = (found: TaskEvent | undefined) =>
    found === undefined ? Number.NaN : Date.parse(found.at) - postedAt;
  const phasesMs = {
    running: at(events.find((e) => e.type === "task.status" && e.payload.status === "running")),
    environmentReady: at(
      events.find(
        (e) =>
          e.type === "task.log" &&
          (e.payload.message.startsWith("Setup done") ||
            e.payload.message.includes("already prepared")),
      ),
    ),
    turnSent: at(events.find((e) => e.type === "task.turn")),
  };
  return { startMs, environment, setupMs: done ? Number(done[1]) * 1000 : null, phasesMs };
}

/** The durations of the warm pool's background preparations, from the server's log. */
async function preparedInLog(logFile: string): Promise<number[]> {
  const lines = (await readFile(logFile, "utf8")).split("\n");
  return lines.flatMap((line) => {
    if (!line.includes("warm worktree environment prepared")) return [];
    const ms = (JSON.parse(line) as { ms?: number }).ms;
    return typeof ms === "number" ? [ms] : [];
  });
}
