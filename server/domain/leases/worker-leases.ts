import type { RunLease } from "../tasks/run-task.js";
import { LeaseKeeper, type LeaseKeeperOptions } from "./lease-keeper.js";
import { takeOverOrphans, type RecoverTakenOver } from "./take-over-orphans.js";
import type { WorkerIdentity } from "./worker-identity.js";

/**
 * Everything about leases a worker does, whatever schedules its runs (the in-process
 * TaskRunner on SQLite, pg-boss on PostgreSQL): a lease for each run it claims, kept by
 * a {@link LeaseKeeper}; a sweep at start-up and every `sweepEveryMs` that takes over
 * what dead workers left and hands it to `enqueue` once recovered; and on stop, its
 * leases handed over.
 */
export class WorkerLeases {
  readonly #keeper: LeaseKeeper;
  readonly #running = new Set<string>();
  #sweepTimer: NodeJS.Timeout | undefined;
  #sweeping: Promise<void> | null = null;
  #stopped = false;

  constructor(
    private readonly options: LeaseKeeperOptions & {
      recover: RecoverTakenOver;
      /** Schedules a task that recovery queued again. */
      enqueue: (taskId: string) => void;
      /** Default: a third of the lease. */
      sweepEveryMs?: number;
    },
  ) {
    this.#keeper = new LeaseKeeper(options);
  }

  /** This worker's identity. */
  get worker(): WorkerIdentity {
    return this.options.worker;
  }

  /** Takes over what is orphaned now, then keeps leases and sweeps in the background. */
  async start(): Promise<void> {
    await this.sweep();
    this.#keeper.start();
    const every = this.options.sweepEveryMs ?? Math.max(1000, this.options.worker.leaseMs / 3);
    this.#sweepTimer = setInterval(() => void this.sweep(), every);
    this.#sweepTimer.unref();
  }

  /** One sweep for orphaned tasks; overlapping calls share it. */
  sweep(): Promise<void> {
    this.#sweeping ??= this.#sweepOnce().finally(() => {
      this.#sweeping = null;
    });
    return this.#sweeping;
  }

  /** The lease of one run: from its claim on it is kept, and lost means aborted. */
  lease(taskId: string, controller: AbortController): RunLease {
    this.#running.add(taskId);
    return {
      worker: this.options.worker,
      claimed: () => this.#keeper.hold(taskId, controller),
      released: () => this.#keeper.drop(taskId),
    };
  }

  /** The run ended (or never claimed): its lease is no longer kept. */
  ended(taskId: string): void {
    this.#running.delete(taskId);
    this.#keeper.drop(taskId);
  }

  /**
   * Stops sweeping and renewing, then hands over the leases of `runs` (the runs a
   * shutdown stopped, which leave their tasks `running`): another worker, or the next
   * start, takes them over at once. Call after those runs have ended.
   */
  async stop(runs: string[]): Promise<void> {
    this.#stopped = true;
    clearInterval(this.#sweepTimer);
    await this.#sweeping;
    await this.#keeper.stop(runs);
  }

  async #sweepOnce(): Promise<void> {
    if (this.#stopped) return;
    const { logger } = this.options;
    try {
      const taken = await takeOverOrphans({ ...this.options, runningHere: this.#running });
      for (const id of taken) this.options.enqueue(id);
    } catch (error) {
      logger.error({ err: error }, "sweep for orphaned tasks failed");
    }
  }
}
