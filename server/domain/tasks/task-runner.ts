import type { Logger } from "pino";
import type { Task } from "../../../shared/task.js";
import { AppError } from "../app-error.js";
import type { TaskQueue } from "../ports/task-queue.js";
import type { TaskStore } from "../ports/task-store.js";

/** Runs one task to a final state; must not throw. */
export type RunOne = (taskId: string, signal: AbortSignal) => Promise<void>;

/**
 * Decides what becomes of a task a previous process left `running`: put back in the
 * queue to resume on its thread, or ended. Called once per such task by {@link TaskRunner.start}.
 */
export type RecoverOne = (task: Task) => Promise<void>;

/**
 * The worker inside the server: runs at most `concurrency` tasks at once and the rest in
 * the order they were queued. The queue itself is the database (`status = queued`); this
 * class only schedules what is there, so nothing acknowledged is lost on a restart.
 */
export class TaskRunner implements TaskQueue {
  readonly #pending: string[] = [];
  readonly #running = new Map<string, AbortController>();
  /** Tasks queued again (a follow-up) while their previous run was still finishing. */
  readonly #again = new Set<string>();
  readonly #idleWaiters: (() => void)[] = [];
  #stopped = false;

  constructor(
    private readonly options: {
      store: TaskStore;
      run: RunOne;
      concurrency: number;
      logger: Logger;
      /** Without it, tasks left `running` end `failed` with `interrupted`. */
      recover?: RecoverOne;
    },
  ) {}

  /**
   * Picks up what the database holds: tasks left `running` by a previous process are
   * recovered (re-queued to resume, or ended), then queued tasks are scheduled in order.
   */
  async start(now: () => Date = () => new Date()): Promise<void> {
    const { store, logger, recover } = this.options;
    for (const task of await store.listByStatus(["running"])) {
      if (this.#running.has(task.id)) continue;
      if (recover !== undefined) {
        try {
          await recover(task);
          continue;
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
    for (const task of await store.listByStatus(["queued"])) this.enqueue(task.id);
  }

  enqueue(taskId: string): void {
    if (this.#stopped) return;
    if (this.#running.has(taskId)) {
      this.#again.add(taskId);
      return;
    }
    if (!this.#pending.includes(taskId)) this.#pending.push(taskId);
    this.#pump();
  }

  abort(taskId: string, reason: Error): "pending" | "running" | false {
    const index = this.#pending.indexOf(taskId);
    if (index >= 0) {
      this.#pending.splice(index, 1);
      return "pending";
    }
    const controller = this.#running.get(taskId);
    if (controller === undefined) return false;
    this.#again.delete(taskId);
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
  async stop(
    reason: Error = new AppError("interrupted", "The server is shutting down"),
  ): Promise<void> {
    this.#stopped = true;
    this.#pending.length = 0;
    for (const controller of this.#running.values()) controller.abort(reason);
    await this.idle();
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
    try {
      await this.options.run(taskId, controller.signal);
    } catch (error) {
      this.options.logger.error({ err: error, taskId }, "task runner crashed");
    } finally {
      this.#running.delete(taskId);
      if (this.#again.delete(taskId)) this.enqueue(taskId);
      this.#pump();
    }
  }
}
