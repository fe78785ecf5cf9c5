import type { Logger } from "pino";
import type { AppConfig } from "../config/app-config.js";
import type { AgentSlots } from "../domain/ports/agent-slots.js";
import type { WorkerIdentity } from "../domain/leases/worker-identity.js";
import type { TaskQueue } from "../domain/ports/task-queue.js";
import type { TaskDeps } from "../domain/task-deps.js";
import { recoverInterruptedTask } from "../domain/tasks/recover-task.js";
import { runTask } from "../domain/tasks/run-task.js";
import { TaskRunner, type RunOne } from "../domain/tasks/task-runner.js";
import { failDeadTaskRun } from "../domain/tasks/fail-dead-task-run.js";
import { sendQueuedTaskRuns } from "../domain/tasks/send-queued-task-runs.js";
import type { JobQueue } from "../domain/ports/job-queue.js";
import {
  startPgBossJobQueue,
  type PgBossJobQueueOptions,
} from "../adapters/queue/pg-boss/index.js";
import { loadWorkerId } from "./worker-id.js";
import { runsWorker } from "./role-checks.js";

/** The default of `TASK_LEASE_MS`. */
export const DEFAULT_TASK_LEASE_MS = 30_000;

/** What the server starts and stops of the worker side, whichever queue runs it. */
export interface TaskWorkerControl {
  /** Takes over orphaned tasks, then runs what is queued; a no-op where no worker runs. */
  start(): Promise<void>;
  /** Stops taking work, stops running turns and hands their tasks over. */
  stop(): Promise<void>;
  /** Resolves when nothing runs or waits here (tests, graceful shutdown). */
  idle(): Promise<void>;
  /** How many tasks run now and wait here. */
  readonly load: { running: number; pending: number };
}

/** This process's worker identity, from its DATA_DIR and `TASK_LEASE_MS`. */
export function workerIdentity(config: AppConfig): WorkerIdentity {
  return {
    id: loadWorkerId(config.dataDir),
    leaseMs: config.tasks.leaseMs ?? DEFAULT_TASK_LEASE_MS,
  };
}

/** pg-boss's tuning, for tests that need retries within seconds rather than minutes. */
export type JobQueueTuning = Omit<PgBossJobQueueOptions, "url" | "logger">;

/**
 * The task queue the use cases enqueue into, and the worker that runs it: the in-process
 * TaskRunner, with leases so that only dead workers' tasks are taken over. On SQLite the
 * runner is the queue. On PostgreSQL every role sends a pg-boss job per run, and the
 * processes that run agents take jobs only for their free slots (see {@link pgBossWorker}).
 */
export async function buildTaskQueue(input: {
  config: AppConfig;
  deps: TaskDeps;
  slots: AgentSlots;
  logger: Logger;
  /** Work after a run that was not stopped (answering checks that completed meanwhile). */
  afterRun?: (taskId: string) => Promise<void>;
  jobQueue?: JobQueueTuning;
}): Promise<{ queue: TaskQueue; runner: TaskWorkerControl; jobs: JobQueue | null }> {
  const { config, deps, slots, logger, afterRun } = input;
  const run: RunOne = async (taskId, signal, lease) => {
    await slots.run("task", signal, () => runTask(deps, taskId, signal, lease));
    if (afterRun !== undefined && !signal.aborted) await afterRun(taskId);
  };
  const url = config.database?.url ?? null;
  const runner = new TaskRunner({
    store: deps.store,
    run,
    concurrency: config.tasks.maxConcurrent,
    logger,
    recover: async (task, from) => {
      await recoverInterruptedTask(deps, task, from);
    },
    worker: workerIdentity(config),
    hub: deps.hub,
    now: deps.now,
    // On PostgreSQL queued tasks are handed out as jobs, not scheduled from the table.
    scheduleQueued: url === null,
  });
  if (url === null) return { queue: runner, runner, jobs: null };
  const jobs = await startPgBossJobQueue({
    ...input.jobQueue,
    url,
    logger: logger.child({ component: "job-queue" }),
  });
  const worker = runsWorker(config);
  const queue: TaskQueue = {
    enqueue: (taskId) => jobs.sendTaskRun(taskId),
    // Only a worker runs anything to abort; elsewhere a cancel ends the row, and the worker
    // holding it stops within a second (its lease check).
    abort: (taskId, reason) => (worker ? runner.abort(taskId, reason) : false),
  };
  return { queue, runner: pgBossWorker(runner, jobs, deps), jobs };
}

/**
 * The worker side on PostgreSQL: takes over what dead workers left (leases, as on SQLite),
 * sends a job for each task queued without one, then works the task-run jobs with the
 * runner's free slots; a dead-lettered run ends its still-queued task `failed`.
 */
export function pgBossWorker(
  runner: TaskRunner,
  jobs: JobQueue,
  deps: Pick<TaskDeps, "store" | "hub" | "now" | "logger">,
): TaskWorkerControl {
  return {
    start: async () => {
      await runner.start();
      await sendQueuedTaskRuns({ store: deps.store, jobs });
      await jobs.workTaskRuns({
        freeSlots: () => runner.freeSlots,
        handle: (taskId) => runner.runJob(taskId),
        handleDead: async (taskId, attempts) => {
          await failDeadTaskRun(deps, taskId, attempts);
        },
      });
    },
    stop: async () => {
      // Fetching stops at once; the jobs handed out here settle as the runner stops their runs.
      const [, dropped] = await Promise.all([jobs.stopWork(), runner.halt()]);
      // Queued here by a takeover without a job of their own: sent, so another worker runs them.
      for (const taskId of dropped) await jobs.sendTaskRun(taskId);
    },
    idle: () => runner.idle(),
    get load() {
      return runner.load;
    },
  };
}
