import type { Logger } from "pino";
import type { Task } from "../../../shared/task.js";
import { AppError } from "../app-error.js";
import type { TaskEventHub } from "../ports/event-hub.js";
import type { TaskQueue } from "../ports/task-queue.js";
import type { TaskStore } from "../ports/task-store.js";
import type { TakenFrom } from "../leases/take-over-orphans.js";
import { WorkerLeases } from "../leases/worker-leases.js";
import type { WorkerIdentity } from "../leases/worker-identity.js";
import type { RunLease, RunTaskResult } from "./run-task.js";

/**
 * Runs one task to a final state, under `lease` when the worker has one; must not throw.
 * "deferred" means it is still queued for want of room under the limits that hold across
 * workers: the runner tries it again a little later.
 */
export type RunOne = (
  taskId: string,
  signal: AbortSignal,
  lease?: RunLease,
) => Promise<RunTaskResult | void>;

/** How long a task refused for room waits before its claim is tried again. */
export const DEFERRED_RETRY_MS = 1000;

/**
 * Decides what becomes of a task a previous process left `running`: put back in the
 * queue to resume on its thread, or ended. Called once per such task by {@link TaskRunner.start}.
 */
export type RecoverOne = (task: Task, from: TakenFrom) => Promise<void>;

/** Whoever waits for a job's run to end (the job queue's handler, {@link TaskRunner.runJob}). */
interface JobWaiter {
  resolve(): void;
  reject(error: unknown): void;
}

/**
 * The worker inside the server: runs at most `concurrency` tasks at once and the rest in
 * the order they were queued. On SQLite it is the queue: the database (`status = queued`)
 * holds what waits and this class schedules it, so nothing acknowledged is lost on a
 * restart. On PostgreSQL the job queue hands tasks out ({@link runJob}) and this class
 * runs them.
 */
export class TaskRunner implements TaskQueue {
  readonly #pending: string[] = [];
  readonly #running = new Map<string, AbortController>();
  /** Tasks queued again (a follow-up) while their previous run was still finishing. */
  readonly #rerunWhenDone = new Set<string>();
  readonly #idleWaiters: (() => void)[] = [];
  readonly #jobWaiters = new Map<string, JobWaiter[]>();
  #stopped = false;
  readonly #leases: WorkerLeases | null;
  /** Tasks refused for room, each waiting for its next try. */
  readonly #deferred = new Map<string, NodeJS.Timeout>();

  constructor(
    private readonly options: {
      store: TaskStore;
      run: RunOne;
      concurrency: number;
      logger: Logger;
      /** Without it, tasks left `running` end `failed` with `interrupted`. */
      recover?: RecoverOne;
      /**
       * With it, each run holds a lease on its task for this worker, and only tasks
       * whose lease expired (or this worker's own, from before a restart) are recovered,
       * at start-up and by a periodic sweep. Without it, every `running` row is
       * taken to be this process's own (one process, tests).
       */
      worker?: WorkerIdentity;
      /** Live events of every node: a held task's cancel is heard at once (see LeaseKeeper). */
      hub?: TaskEventHub;
      now?: () => Date;
      /**
       * Whether {@link start} schedules what the database holds `queued` (default true).
       * False where a job queue hands tasks out: they are sent as jobs instead.
       */
      scheduleQueued?: boolean;
      /** How long a deferred task waits before it is tried again (default DEFERRED_RETRY_MS). */
      deferredRetryMs?: number;
      /** How often the sweep and the lease check run (default: see WorkerLeases). */
      leaseTiming?: { sweepEveryMs?: number; checkEveryMs?: number };
    },
  ) {
    const { worker, store, logger } = options;
    this.#leases =
      worker === undefined
        ? null
        : new WorkerLeases({
            store,
            worker,
            logger,
            now: options.now ?? (() => new Date()),
            recover: (task, from) => this.#recover(task, from),
            enqueue: (taskId) => this.enqueue(taskId),
            ...(options.hub === undefined ? {} : { hub: options.hub }),
            ...options.leaseTiming,
          });
  }

  /**
   * Picks up what the database holds: tasks left `running` by a dead process are
   * recovered (re-queued to resume, or ended) — with a worker identity, only those whose
   * lease expired or that were its own — then queued tasks are scheduled in order.
   */
  async start(now: () => Date = this.options.now ?? (() => new Date())): Promise<void> {
    const { store } = this.options;
    if (this.#leases !== null) {
      await this.#leases.start();
    } else {
      for (const task of await store.listByStatus(["running"])) {
        if (this.#running.has(task.id)) continue;
        await this.#recover(task, "self", now);
      }
    }
    if (this.options.scheduleQueued === false) return;
    for (const task of await store.listByStatus(["queued"])) this.enqueue(task.id);
  }

  /** Recovers one task a dead run left `running`; failing that, ends it `interrupted`. */
  async #recover(task: Task, from: TakenFrom, now = this.options.now ?? (() => new Date())) {
    const { store, logger, recover } = this.options;
    if (recover !== undefined) {
      try {
        await recover(task, from);
        return;
      } catch (error) {
        // Recovery must not keep the server from starting; fall back to failing the task.
        logger.error({ err: error, taskId: task.id }, "task recovery failed");
      }
    }
    const error = new AppError(
      "interrupted",
      "The server stopped while this task was running; retry it to carry on",
    );
    await store.transition(task.id, ["running"], {
      status: "failed",
      error: { code: error.code, message: error.message },
      finishedAt: now().toISOString(),
    });
    logger.warn({ taskId: task.id }, "task interrupted by restart");
  }

  enqueue(taskId: string): void {
    if (this.#stopped) return;
    if (this.#running.has(taskId)) {
      this.#rerunWhenDone.add(taskId);
      return;
    }
    if (!this.#pending.includes(taskId)) this.#pending.push(taskId);
    this.#pump();
  }

  /**
   * Runs a task a job queue handed out, as {@link enqueue} does, and resolves when its run
   * here has ended (a run that claims nothing, because another worker has the task or it
   * was cancelled, ends at once). Rejects when the run crashed or this worker stopped
   * before running it, so the job is retried elsewhere.
   */
  runJob(taskId: string): Promise<void> {
    if (this.#stopped) return Promise.reject(stoppedBeforeRun());
    return new Promise((resolve, reject) => {
      const waiters = this.#jobWaiters.get(taskId) ?? [];
      waiters.push({ resolve, reject });
      this.#jobWaiters.set(taskId, waiters);
      this.enqueue(taskId);
    });
  }

  /** How many more tasks this worker can start now without one waiting. */
  get freeSlots(): number {
    if (this.#stopped) return 0;
    return Math.max(0, this.options.concurrency - this.#running.size - this.#pending.length);
  }

  abort(taskId: string, reason: Error): "pending" | "running" | false {
    const deferred = this.#deferred.get(taskId);
    if (deferred !== undefined) {
      clearTimeout(deferred);
      this.#deferred.delete(taskId);
      return "pending";
    }
    const index = this.#pending.indexOf(taskId);
    if (index >= 0) {
      this.#pending.splice(index, 1);
      this.#settleJobs(taskId, null);
      return "pending";
    }
    const controller = this.#running.get(taskId);
    if (controller === undefined) return false;
    this.#rerunWhenDone.delete(taskId);
    controller.abort(reason);
    return "running";
  }

  /** How many tasks run now and wait here. */
  get load(): { running: number; pending: number } {
    return { running: this.#running.size, pending: this.#pending.length };
  }

  /** Resolves when nothing runs or waits (tests, graceful shutdown). */
  idle(): Promise<void> {
    if (this.#running.size === 0 && this.#pending.length === 0) return Promise.resolve();
    return new Promise((resolve) => this.#idleWaiters.push(resolve));
  }

  /** Stops taking work and aborts running turns; their tasks end as the pipeline decides. */
  async stop(reason?: Error): Promise<void> {
    await this.halt(reason);
  }

  /**
   * {@link stop}, returning the tasks that were waiting here without a job (queued by a
   * takeover), which a job queue must hand to another worker.
   */
  async halt(
    reason: Error = new AppError("interrupted", "The server is shutting down"),
  ): Promise<string[]> {
    this.#stopped = true;
    const dropped: string[] = [];
    for (const taskId of this.#pending.splice(0)) {
      // A job waiting for it is failed, so the queue retries it elsewhere; others are returned.
      if (this.#jobWaiters.has(taskId)) this.#settleJobs(taskId, stoppedBeforeRun());
      else dropped.push(taskId);
    }
    // Tasks waiting here for room have no job any more (theirs completed when the claim
    // was refused): they are handed back too.
    for (const [taskId, timer] of this.#deferred) {
      clearTimeout(timer);
      dropped.push(taskId);
    }
    this.#deferred.clear();
    const stopped = [...this.#running.keys()];
    for (const controller of this.#running.values()) controller.abort(reason);
    await this.idle();
    await this.#leases?.stop(stopped);
    return dropped;
  }

  /**
   * Tries a task refused for room again later. Its slot here is free meanwhile, so this
   * worker runs other repositories' tasks; the room it waits for frees up on any worker.
   */
  #deferRetry(taskId: string): void {
    if (this.#stopped || this.#deferred.has(taskId)) return;
    const timer = setTimeout(() => {
      this.#deferred.delete(taskId);
      this.enqueue(taskId);
    }, this.options.deferredRetryMs ?? DEFERRED_RETRY_MS);
    timer.unref();
    this.#deferred.set(taskId, timer);
  }

  #pump(): void {
    while (this.#running.size < this.options.concurrency && this.#pending.length > 0) {
      const taskId = this.#pending.shift();
      if (taskId === undefined) break;
      const controller = new AbortController();
      this.#running.set(taskId, controller);
      void this.#runOne(taskId, controller);
    }
    if (this.#running.size === 0 && this.#pending.length === 0) {
      for (const resolve of this.#idleWaiters.splice(0)) resolve();
    }
  }

  async #runOne(taskId: string, controller: AbortController): Promise<void> {
    let crash: unknown = null;
    try {
      const lease = this.#leases?.lease(taskId, controller);
      const result = await this.options.run(taskId, controller.signal, lease);
      if (result === "deferred") this.#deferRetry(taskId);
    } catch (error) {
      crash = error;
      this.options.logger.error({ err: error, taskId }, "task runner crashed");
    } finally {
      this.#leases?.ended(taskId);
      this.#running.delete(taskId);
      if (!this.#rerunWhenDone.delete(taskId)) this.#settleJobs(taskId, crash);
      else if (this.#stopped) this.#settleJobs(taskId, stoppedBeforeRun());
      // The rerun's end settles the jobs waiting for this task.
      else this.enqueue(taskId);
      this.#pump();
    }
  }

  /** Ends the wait of every job for this task: completed, or failed with `error`. */
  #settleJobs(taskId: string, error: unknown): void {
    const waiters = this.#jobWaiters.get(taskId);
    if (waiters === undefined) return;
    this.#jobWaiters.delete(taskId);
    for (const waiter of waiters) {
      if (error === null) waiter.resolve();
      else waiter.reject(error);
    }
  }
}

/** Why a job handed to a stopping worker is failed: so the queue retries it on another. */
function stoppedBeforeRun(): AppError {
  return new AppError("interrupted", "The worker stopped before running this task");
}
