import type PgBoss from "pg-boss";
import type { Logger } from "pino";
import type { TaskRunWorker } from "../../../domain/ports/job-queue.js";

/** The most jobs one fetch takes, however many slots are free. */
const MAX_BATCH = 10;

/**
 * Takes task-run jobs from pg-boss only while the worker has free slots, and completes or
 * fails each one when its own run ends. pg-boss's `work()` is not used here: it waits for a
 * whole batch to finish before fetching again, so one long run would keep the other slots
 * idle. Fetching, completing, failing, retries and dead letters remain pg-boss's.
 */
export class TaskRunFetcher {
  readonly #inFlight = new Set<Promise<void>>();
  #stopping = false;
  #loop: Promise<void> | null = null;
  #wakeUp: (() => void) | null = null;
  #woken = false;

  constructor(
    private readonly options: {
      boss: PgBoss;
      queue: string;
      worker: TaskRunWorker;
      logger: Logger;
      pollMs: number;
    },
  ) {}

  /** Starts fetching in the background. */
  start(): void {
    this.#loop ??= this.#run();
  }

  /** Fetches now rather than at the next poll. */
  wake(): void {
    this.#woken = true;
    this.#wakeUp?.();
  }

  /** Stops fetching; resolves when every job handed out here is completed or failed. */
  async stop(): Promise<void> {
    this.#stopping = true;
    this.#wakeUp?.();
    await this.#loop;
    await Promise.allSettled([...this.#inFlight]);
  }

  async #run(): Promise<void> {
    while (!this.#stopping) {
      this.#woken = false;
      let full = false;
      try {
        full = await this.#fetchOnce();
      } catch (error) {
        this.options.logger.warn({ err: error }, "fetching task runs failed");
      }
      // A full batch may mean more are waiting: fetch again at once while slots are free.
      if (!full && !this.#woken && !this.#stopping) await this.#sleep();
    }
  }

  /** One fetch for the free slots; true when it got as many jobs as it asked for. */
  async #fetchOnce(): Promise<boolean> {
    const { boss, queue, worker } = this.options;
    const free = Math.min(worker.freeSlots(), MAX_BATCH);
    if (free <= 0) return false;
    const jobs = await boss.fetch<{ taskId?: unknown }>(queue, { batchSize: free });
    for (const job of jobs) this.#hand(job);
    return jobs.length === free && worker.freeSlots() > 0;
  }

  #hand(job: PgBoss.Job<{ taskId?: unknown }>): void {
    const { boss, queue, worker, logger } = this.options;
    const taskId = job.data.taskId;
    const settled = (async () => {
      try {
        if (typeof taskId !== "string") throw new Error("a task-run job without a task id");
        await worker.handle(taskId);
        await boss.complete(queue, job.id);
      } catch (error) {
        logger.warn(
          { err: error, taskId, jobId: job.id },
          "task run job failed; pg-boss retries it",
        );
        const message = error instanceof Error ? error.message : String(error);
        await boss.fail(queue, job.id, { message });
      }
    })()
      .catch((error: unknown) => {
        logger.error({ err: error, taskId, jobId: job.id }, "task run job not settled");
      })
      .finally(() => {
        this.#inFlight.delete(settled);
        // A slot is free again.
        this.wake();
      });
    this.#inFlight.add(settled);
  }

  #sleep(): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, this.options.pollMs);
      timer.unref();
      function done(): void {
        clearTimeout(timer);
        resolve();
      }
      this.#wakeUp = () => {
        this.#wakeUp = null;
        done();
      };
    });
  }
}
