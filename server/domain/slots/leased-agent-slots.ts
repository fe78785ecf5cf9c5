import type { Logger } from "pino";
import type { AgentSlots, SlotPriority } from "../ports/agent-slots.js";
import type { SlotGrantTerms, SlotLeaseStore } from "../ports/slot-leases.js";

/** Options of {@link LeasedAgentSlots}. */
export interface LeasedAgentSlotsOptions {
  store: SlotLeaseStore;
  /** The pool's key, the same in every process that shares the slots (see build-services). */
  pool: string;
  /** This process's name on its requests, for whoever reads the table. */
  holder: string;
  capacity: number;
  /** A request's lease: a dead process's slots come back this long after it stopped renewing. */
  leaseMs: number;
  /** How often a waiter looks whether another process freed a slot; 300 ms by default. */
  pollMs?: number;
  now?: () => number;
  logger: Pick<Logger, "warn">;
}

/** One of this process's requests. */
interface Request {
  id: number;
  /** 0 a task, 1 a review: the store's order is (rank, id), and so is ours. */
  rank: number;
  held: boolean;
  /** Its lease ended unrenewed while held (said once in the log). */
  lost?: boolean;
}

/**
 * {@link AgentSlots} over leases in a {@link SlotLeaseStore}, so that every process on
 * the pool (the server and `npm run review`) shares one capacity. A waiter wakes at once
 * when a slot is given back in this process, and looks every `pollMs` for one given back
 * elsewhere; its leases (waiting or held) are renewed every `leaseMs`/3 while it lives.
 */
export class LeasedAgentSlots implements AgentSlots {
  readonly #options: Required<Omit<LeasedAgentSlotsOptions, "now">> & { now: () => number };
  readonly #requests = new Set<Request>();
  /** Wakes this process's waiters: a slot was given back, or a waiter ahead gave up. */
  readonly #wakers = new Set<() => void>();
  /** Bumped on each wake, so a waiter busy asking when it came still sees it. */
  #wakes = 0;
  #renewTimer: NodeJS.Timeout | null = null;

  constructor(options: LeasedAgentSlotsOptions) {
    if (!Number.isInteger(options.capacity) || options.capacity < 1) {
      throw new Error(`AgentSlots capacity must be a positive integer (got ${options.capacity})`);
    }
    this.#options = { pollMs: 300, now: Date.now, ...options };
  }

  /** This process's slots in use and requests waiting, for logs and tests. */
  get load(): { inUse: number; waiting: number } {
    let inUse = 0;
    for (const request of this.#requests) if (request.held) inUse += 1;
    return { inUse, waiting: this.#requests.size - inUse };
  }

  async run<T>(priority: SlotPriority, signal: AbortSignal, work: () => Promise<T>): Promise<T> {
    const request = signal.aborted ? null : await this.#acquire(priority, signal);
    try {
      return await work();
    } finally {
      if (request !== null) await this.#drop(request);
    }
  }

  /** A held request, or null when `signal` aborted first (the wait was given up). */
  async #acquire(priority: SlotPriority, signal: AbortSignal): Promise<Request | null> {
    let filed = await this.#options.store.request(this.#options.holder, this.#terms(priority));
    const rank = priority === "task" ? 0 : 1;
    const request: Request = { id: filed.id, rank, held: filed.state === "held" };
    this.#track(request);
    while (!request.held) {
      if (signal.aborted) {
        await this.#drop(request);
        return null;
      }
      // Behind one of our own waiters it cannot be granted: only our first one asks the
      // database, so thirty waiting reviews cost one query per poll, not thirty.
      if (!this.#isLocalHead(request)) {
        await this.#nap(signal);
        continue;
      }
      const wakesBefore = this.#wakes;
      const state = await this.#options.store.tryGrant(request.id, this.#terms(priority));
      if (state === "held") {
        request.held = true;
        // The next of ours may go too, if a slot is left.
        this.#wake();
      } else if (state === "gone") {
        // Dropped as dead (this process stalled past its lease): back in the queue.
        filed = await this.#options.store.request(this.#options.holder, this.#terms(priority));
        request.id = filed.id;
        request.held = filed.state === "held";
      } else if (this.#wakes === wakesBefore) await this.#nap(signal);
    }
    return request;
  }

  /** Whether no other waiter of this process is ahead of `request` in the store's order. */
  #isLocalHead(request: Request): boolean {
    for (const other of this.#requests) {
      if (other === request || other.held) continue;
      if (other.rank < request.rank || (other.rank === request.rank && other.id < request.id)) {
        return false;
      }
    }
    return true;
  }

  #wake(): void {
    this.#wakes += 1;
    for (const wake of [...this.#wakers]) wake();
  }

  /** Resolves on a local wake, after `pollMs`, or on abort, whichever comes first. */
  #nap(signal: AbortSignal): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.#wakers.delete(done);
        signal.removeEventListener("abort", done);
        resolve();
      };
      const timer = setTimeout(done, this.#options.pollMs);
      this.#wakers.add(done);
      signal.addEventListener("abort", done, { once: true });
    });
  }

  #terms(priority: SlotPriority): SlotGrantTerms {
    const now = this.#options.now();
    return {
      pool: this.#options.pool,
      priority,
      capacity: this.#options.capacity,
      now: new Date(now).toISOString(),
      expiresAt: new Date(now + this.#options.leaseMs).toISOString(),
    };
  }

  #track(request: Request): void {
    this.#requests.add(request);
    if (this.#renewTimer !== null) return;
    this.#renewTimer = setInterval(() => void this.#renew(), this.#options.leaseMs / 3);
    // Renewing must not keep a process alive that has nothing else to do.
    this.#renewTimer.unref();
  }

  /** Gives the request back and wakes this process's waiters: one of them may go now. */
  async #drop(request: Request): Promise<void> {
    this.#requests.delete(request);
    if (this.#requests.size === 0 && this.#renewTimer !== null) {
      clearInterval(this.#renewTimer);
      this.#renewTimer = null;
    }
    try {
      await this.#options.store.remove(request.id);
    } catch (error) {
      // Not the work's failure: the row's lease ends without renewals and frees it then.
      this.#options.logger.warn(
        { err: error, pool: this.#options.pool, request: request.id },
        "agent slot not given back; it frees when its lease ends",
      );
    }
    this.#wake();
  }

  async #renew(): Promise<void> {
    const requests = [...this.#requests];
    if (requests.length === 0) return;
    const expiresAt = new Date(this.#options.now() + this.#options.leaseMs).toISOString();
    try {
      const kept = new Set(
        await this.#options.store.renew(
          requests.map((r) => r.id),
          expiresAt,
        ),
      );
      for (const request of requests) {
        // A waiter finds out itself (tryGrant says "gone"); a holder just runs on, over capacity.
        if (request.held && !request.lost && !kept.has(request.id) && this.#requests.has(request)) {
          request.lost = true;
          this.#options.logger.warn(
            { pool: this.#options.pool, request: request.id },
            "agent slot lease lost (renewed too late); the run goes on",
          );
        }
      }
    } catch (error) {
      this.#options.logger.warn(
        { err: error, pool: this.#options.pool },
        "agent slot renewal failed",
      );
    }
  }
}
