import { mkdir, rm } from "node:fs/promises";
import path from "node:path";
import { bareFixRun } from "../lib/bare-codex.js";
import type { BenchEnv } from "../lib/bench-env.js";
import { git } from "../lib/git.js";
import { median, round } from "../lib/stats.js";
import { eventsOf, firstAgentEvent, startFix, waitFinal, waitWarmPool } from "../lib/tasks.js";

/** Figures 1 (start latency) and 2 (overhead per task), from one series of fixes. */
export interface StartAndOverhead {
  start: {
    coldMs: number;
    warmMs: number[];
    warmMedianMs: number;
    freshWorktreeAddMs: number;
    ratioToWorktreeAdd: number;
    bareCodexFirstEventMs: number;
    /** Median per phase of the warm starts: queue (POST → running), running → first agent event. */
    breakdownMs: { queue: number; toFirstAgentEvent: number };
  };
  /**
   * Patchboard's part of a task: its wall time (POST → final status stored) minus the
   * agent's own turns (each from the stored `task.turn` to the turn's `turn.completed`),
   * against a bare SDK run of the same script in the same worktree.
   */
  overhead: {
    taskWallMs: number;
    agentTurnsMs: number;
    patchboardMs: number;
    bareSdkWallMs: number;
    ratio: number;
    /**
     * The CLI's exit after each `turn.completed` (it saves the thread first), measured in
     * the bare runs: part of the agent's turn in SDK terms (`run()` returns after it) but
     * after the last event a task stores, so {@link patchboardMs} counts it as Patchboard's.
     */
    cliExitPerTurnMs: number;
    /** {@link patchboardMs} with the agent's turns ending where `run()` ends: at the CLI's exit. */
    patchboardSdkTurnsMs: number;
    ratioSdkTurns: number;
    /** Task wall time minus the bare run's wall time, paired: all that a task adds. */
    taskMinusBareMs: number;
    /** Median per phase: POST → worktree ready and first turn sent; last turn → final status. */
    phasesMs: { beforeFirstTurn: number; betweenTurns: number; afterLastTurn: number };
  };
}

/** Runs fixes of `tickets` one after the other on the big repository. */
export async function measureStartAndOverhead(
  env: BenchEnv,
  tickets: string[],
  options: { worktreeAddRuns: number; bareRuns: number; cacheDir: string },
): Promise<StartAndOverhead> {
  const workspaces = path.join(env.config.dataDir, "workspaces");
  const mirror = path.join(workspaces, "mirrors", "acme__big.git");
  const poolFull = () => waitWarmPool(env, 120_000);

  // The first fix clones the mirror and meets an empty pool: the cold start.
  const [coldTicket, ...warmTickets] = tickets;
  if (coldTicket === undefined || warmTickets.length === 0)
    throw new Error("need two tickets or more");
  const cold = await runFix(env, coldTicket);
  await poolFull();

  // The floor, on the same mirror, measured now: a fresh checkout of the base.
  const adds: number[] = [];
  for (let i = 0; i < options.worktreeAddRuns; i++) {
    const dir = path.join(options.cacheDir, `fresh-worktree-${i}`);
    await rm(dir, { recursive: true, force: true });
    const started = performance.now();
    await git(["worktree", "add", "--quiet", "--detach", dir, "refs/remotes/origin/main"], mirror);
    adds.push(performance.now() - started);
    await git(["worktree", "remove", "--force", dir], mirror);
  }

  const warm: Awaited<ReturnType<typeof runFix>>[] = [];
  for (const ticket of warmTickets) {
    warm.push(await runFix(env, ticket));
    await poolFull(); // steady state: the refill of the previous claim has finished
  }

  // The bare floor, in the worktree of a finished task put back at its base.
  const bare: Awaited<ReturnType<typeof bareFixRun>>[] = [];
  const codexHome = path.join(options.cacheDir, "bare-codex-home");
  await mkdir(codexHome, { recursive: true });
  for (const run of warm.slice(0, options.bareRuns)) {
    const dir = path.join(workspaces, "worktrees", run.id);
    await git(["checkout", "--quiet", "--force", "--detach", run.baseSha], dir);
    await git(["clean", "-ffdxq"], dir);
    bare.push(
      await bareFixRun({
        modelUrl: env.model.url,
        codexHome,
        workingDirectory: dir,
        ticketKey: run.ticket,
      }),
    );
  }

  const addMs = median(adds);
  const warmStarts = warm.map((r) => r.startMs);
  const taskWall = median(warm.map((r) => r.wallMs));
  const agentTurns = median(warm.map((r) => r.agentTurnsMs));
  const patchboard = median(warm.map((r) => r.wallMs - r.agentTurnsMs));
  const bareWall = median(bare.map((b) => b.wallMs));
  const cliExit = median(bare.flatMap((b) => b.exitAfterCompletedMs));
  const turnsPerTask = median(warm.map((r) => r.turns));
  const patchboardSdkTurns = patchboard - turnsPerTask * cliExit;
  return {
    start: {
      coldMs: round(cold.startMs),
      warmMs: warmStarts.map((v) => round(v)),
      warmMedianMs: round(median(warmStarts)),
      freshWorktreeAddMs: round(addMs),
      ratioToWorktreeAdd: round(median(warmStarts) / addMs, 3),
      bareCodexFirstEventMs: round(median(bare.map((b) => b.firstEventMs))),
      breakdownMs: {
        queue: round(median(warm.map((r) => r.queueMs))),
        toFirstAgentEvent: round(median(warm.map((r) => r.startMs - r.queueMs))),
      },
    },
    overhead: {
      taskWallMs: round(taskWall),
      agentTurnsMs: round(agentTurns),
      patchboardMs: round(patchboard),
      bareSdkWallMs: round(bareWall),
      ratio: round(patchboard / bareWall, 3),
      cliExitPerTurnMs: round(cliExit),
      patchboardSdkTurnsMs: round(patchboardSdkTurns),
      ratioSdkTurns: round(patchboardSdkTurns / bareWall, 3),
      taskMinusBareMs: round(taskWall - bareWall),
      phasesMs: {
        beforeFirstTurn: round(median(warm.map((r) => r.phases.beforeFirstTurn))),
        betweenTurns: round(median(warm.map((r) => r.phases.betweenTurns))),
        afterLastTurn: round(median(warm.map((r) => r.phases.afterLastTurn))),
      },
    },
  };
}

/** One fix: its start latency (POST → first stored agent event) and wall time. */
async function runFix(env: BenchEnv, ticket: string) {
  const { task, postedAt } = await startFix(env, ticket);
  const first = await firstAgentEvent(env, task.id);
  const done = await waitFinal(env, task.id);
  if (done.outcome !== "pr_opened") throw new Error(`task ${task.id} ended ${done.outcome}`);
  const events = await eventsOf(env, task.id);
  const running = events.find((e) => e.type === "task.status" && e.payload.status === "running");
  const baseSha = (
    await git(
      ["rev-parse", "refs/remotes/origin/main"],
      path.join(env.config.dataDir, "workspaces", "mirrors", "acme__big.git"),
    )
  ).trim();
  // The agent's turns: from each stored `task.turn` (sent to the agent) to its `turn.completed`.
  const sent = events.filter((e) => e.type === "task.turn").map((e) => Date.parse(e.at));
  const completed = events
    .filter((e) => e.type === "agent" && e.payload.type === "turn.completed")
    .map((e) => Date.parse(e.at));
  const turns = sent.map((at, i) => (completed[i] ?? at) - at);
  const end = Date.parse(done.finishedAt ?? "");
  return {
    id: task.id,
    ticket,
    agentTurnsMs: turns.reduce((a, b) => a + b, 0),
    turns: turns.length,
    phases: {
      beforeFirstTurn: (sent[0] ?? postedAt) - postedAt,
      betweenTurns: sent.slice(1).reduce((sum, at, i) => sum + at - (completed[i] ?? at), 0),
      afterLastTurn: end - (completed.at(-1) ?? end),
    },
    baseSha,
    startMs: Date.parse(first.at) - postedAt,
    queueMs: running ? Date.parse(running.at) - postedAt : Number.NaN,
    wallMs: end - postedAt,
  };
}
