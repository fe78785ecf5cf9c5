import type { Logger } from "pino";
import type { TaskEventHub } from "../ports/event-hub.js";
import type { TaskLeaseStore } from "../ports/task-leases.js";
import { RunSuperseded } from "../tasks/run-update.js";
import { leaseExpiry, type WorkerIdentity } from "./worker-identity.js";

/** How often a worker checks that it still holds its tasks (a cancel from another node). */
export const DEFAULT_LEASE_CHECK_MS = 1000;

/** What a {@link LeaseKeeper} works with. */
export interface LeaseKeeperOptions {
  store: TaskLeaseStore;
  worker: WorkerIdentity;
  logger: Logger;
  now: () => Date;
  /** How often it checks (default {@link DEFAULT_LEASE_CHECK_MS}). */
  checkEveryMs?: number;
  /**
   * The live events of every node: a held task's status event that is not `running`
   * (a cancel stored by an API node) makes it check at once instead of at the next tick.
   */
  hub?: TaskEventHub;
}

/**
 * Keeps a worker's leases while its runs work: every `checkEveryMs` one query tells which
 * of its tasks it still holds (every third of the lease that query also renews them),
 * and a run whose task was cancelled from another node, or taken over, is aborted with
 * {@link RunSuperseded} — so a cancel reaches the worker within about a second and a run
 * never goes on once its lease is lost. With the event hub, a cancel's stored status event
 * triggers that check at once; the periodic check stays, for an announcement that was lost.
 */
export class LeaseKeeper {
  readonly #held = new Map<string, AbortController>();
  /** Stops listening to a held task's events (resolves once listening started). */
  readonly #listening = new Map<string, Promise<() => void>>();
  #timer: NodeJS.Timeout | undefined;
  #lastRenewal = 0;
  #ticking: Promise<void> | null = null;

  constructor(private readonly options: LeaseKeeperOptions) {}

  /** Starts checking and renewing in the background. */
  start(): void {
    if (this.#timer !== undefined) return;
    const every = this.options.checkEveryMs ?? DEFAULT_LEASE_CHECK_MS;
    this.#timer = setInterval(() => void this.tick(), every);
    this.#timer.unref();
  }

  /** Tracks a run from its claim on; `controller` aborts it when the lease is lost. */
  hold(taskId: string, controller: AbortController): void {
    this.#held.set(taskId, controller);
    this.#listen(taskId);
  }

  /** Stops tracking a run that ended. */
  drop(taskId: string): void {
    this.#held.delete(taskId);
    this.#unlisten(taskId);
  }

  /** Checks at once when another node ends the task (its status event is stored first). */
  #listen(taskId: string): void {
    const { hub, logger } = this.options;
    if (hub === undefined || this.#listening.has(taskId)) return;
    const listening = hub.subscribe(taskId, (event) => {
      if (event.type !== "task.status") return;
      const status = (event.payload as { status?: unknown }).status;
      if (status !== "running" && this.#held.has(taskId)) void this.tick();
    });
    // A failed subscription leaves the periodic check, which is the guarantee.
    listening.catch((error: unknown) => {
      logger.warn({ err: error, taskId }, "listening for a held task's events failed");
    });
    this.#listening.set(taskId, listening);
  }

  #unlisten(taskId: string): void {
    const listening = this.#listening.get(taskId);
    if (listening === undefined) return;
    this.#listening.delete(taskId);
    listening.then(
      (stop) => stop(),
      () => undefined,
    );
  }

  /** The tasks held now. */
  get heldIds(): string[] {
    return [...this.#held.keys()];
  }

  /** One check (and renewal when due); overlapping calls share one query. */
  tick(): Promise<void> {
    this.#ticking ??= this.#check().finally(() => {
      this.#ticking = null;
    });
    return this.#ticking;
  }

  /** Stops the checks and gives the leases of `ids` up, so another worker takes them over at once. */
  async stop(ids: string[]): Promise<void> {
    clearInterval(this.#timer);
    this.#timer = undefined;
    for (const taskId of [...this.#listening.keys()]) this.#unlisten(taskId);
    await this.#ticking;
    if (ids.length === 0) return;
    const released = await this.options.store.releaseLeases(this.options.worker.id, ids);
    this.options.logger.info({ released }, "task leases handed over");
  }

  async #check(): Promise<void> {
    const { store, worker, logger, now } = this.options;
    const ids = this.heldIds;
    if (ids.length === 0) return;
    const at = now();
    const renew = at.getTime() - this.#lastRenewal >= worker.leaseMs / 3;
    let held: string[];
    try {
      held = renew
        ? await store.renewLeases(worker.id, ids, leaseExpiry(worker, at))
        : await store.heldLeases(worker.id, ids);
    } catch (error) {
      // A database hiccup: the lease still holds until it expires; try again next tick.
      logger.warn({ err: error }, "task lease check failed");
      return;
    }
    if (renew) this.#lastRenewal = at.getTime();
    const stillHeld = new Set(held);
    for (const id of ids) {
      const controller = this.#held.get(id);
      if (stillHeld.has(id) || controller === undefined) continue;
      logger.info(
        { taskId: id },
        "task no longer held here (cancelled or taken over); stopping its run",
      );
      this.drop(id);
      controller.abort(new RunSuperseded(id));
    }
  }
}
