import os from "node:os";
import type { Task } from "../../shared/task.js";
import { calcFixScript } from "../../tests/support/reliability-scripts.js";
import { waitForFinal } from "../../tests/support/reliability-server.js";
import { startPgCluster } from "../lib/pg-cluster.js";
import { times, type Row } from "../lib/report.js";
import { round } from "../lib/stats.js";

/** Worker counts measured, in order. */
const WORKER_COUNTS = [1, 2, 3] as const;

/** One worker count's throughput. */
export interface ScaleRun {
  workers: number;
  tasks: number;
  /** From the first POST to the last task's stored `finishedAt`. */
  wallMs: number;
  tasksPerMinute: number;
  /** How many of the batch each worker ran (from its "task started" log lines). */
  perWorker: number[];
}

/** Figure 9: tasks per minute with 1, 2 and 3 workers. */
export interface ScaleFigure {
  cores: number;
  batch: number;
  maxConcurrentPerWorker: number;
  runs: ScaleRun[];
  /** tasks/min with 3 workers ÷ with 1. */
  ratio3to1: number;
}

/**
 * Figure 9: one API node and N workers (N = 1, 2, 3) on a fresh PostgreSQL database each
 * time; a batch of scripted-model fixes (two short Codex turns, the tests, a pull request)
 * submitted through the API node at once; tasks per minute from the first submit to the
 * last task's end. Every worker may run the whole batch at once, so the machine is the
 * limit, not MAX_CONCURRENT_TASKS.
 */
export async function measureScale(options: {
  batch: number;
  log: (m: string) => void;
}): Promise<ScaleFigure> {
  const runs: ScaleRun[] = [];
  for (const workers of WORKER_COUNTS) {
    options.log(`scale: ${workers} worker(s), ${options.batch} tasks…`);
    const cluster = await startPgCluster({
      scripts: [calcFixScript()],
      tickets: options.batch,
      workers,
      maxConcurrent: options.batch,
    });
    try {
      const keys = Array.from({ length: options.batch }, (_, i) => `CALC-${i + 1}`);
      const firstSubmit = Date.now();
      const ids: string[] = [];
      for (const key of keys) {
        const created = await cluster.api.createFix(key);
        if (created.status !== 202) throw new Error(`POST ${key} answered ${created.status}`);
        ids.push(created.task.id);
      }
      const finals = await waitForFinal(cluster.api, ids, "the batch to finish", 600_000);
      const failed = finals.filter((t) => t.status !== "completed");
      if (failed.length > 0) {
        throw new Error(`tasks did not complete: ${failed.map(describe).join("; ")}`);
      }
      const lastEnd = Math.max(...finals.map((t) => Date.parse(t.finishedAt ?? "")));
      const wallMs = lastEnd - firstSubmit;
      runs.push({
        workers,
        tasks: finals.length,
        wallMs,
        tasksPerMinute: round((finals.length * 60_000) / wallMs, 2),
        perWorker: cluster.workers.map(
          (w) => ids.filter((id) => w.logs.some((l) => startedHere(l, id))).length,
        ),
      });
    } finally {
      await cluster.close();
    }
  }
  const perMinute = (n: number) => runs.find((r) => r.workers === n)?.tasksPerMinute ?? NaN;
  return {
    cores: os.cpus().length,
    batch: options.batch,
    maxConcurrentPerWorker: options.batch,
    runs,
    ratio3to1: round(perMinute(3) / perMinute(1), 2),
  };
}

/** Whether a worker's pino line says it started this task. */
function startedHere(line: string, taskId: string): boolean {
  if (!line.includes(taskId) || !line.includes('"task started"')) return false;
  const parsed = JSON.parse(line) as { msg?: string; taskId?: string };
  return parsed.msg === "task started" && parsed.taskId === taskId;
}

function describe(task: Task): string {
  return `${task.ticketKey ?? task.id} ${task.status} ${JSON.stringify(task.error)}`;
}

/** Figure 9's rows: one per worker count, then the ratio against the 2.5× target. */
export function scaleRows(f: ScaleFigure): Row[] {
  const one = f.runs.find((r) => r.workers === 1);
  const rows: Row[] = f.runs.map((r) => ({
    figure: "9",
    measure: `scale: ${r.tasks} scripted fixes, ${r.workers} worker(s), tasks/min (tasks per worker)`,
    value: `${r.tasksPerMinute.toFixed(2)} (${r.perWorker.join(" / ")})`,
    floor: one === undefined ? "" : `${one.tasksPerMinute.toFixed(2)} (1 worker)`,
    ratio: one === undefined ? "" : times(r.tasksPerMinute / one.tasksPerMinute),
    target: "",
    ok: null,
  }));
  rows.push({
    figure: "9",
    measure: `scale: 3 workers ÷ 1 worker, tasks/min (${f.cores} cores: every worker shares them)`,
    value: times(f.ratio3to1),
    floor: "",
    ratio: "",
    target: "≥ 2.5×",
    ok: f.ratio3to1 >= 2.5,
  });
  return rows;
}
