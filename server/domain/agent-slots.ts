/** Who is asking for a slot: fix tasks are interactive, reviews are batch work. */
export type SlotPriority = "task" | "review";

interface Waiter {
  priority: SlotPriority;
  grant: () => void;
}

/**
 * The one limit on how many agent runs go at once in this process, shared by fix tasks
 * and nightly reviews (`MAX_CONCURRENT_TASKS`). A counting semaphore whose queue serves
 * tasks before reviews: someone waiting on a "Fix this bug" button should not queue
 * behind thirty pull requests of a nightly run, while reviews still use idle capacity.
 */
export class AgentSlots {
  #inUse = 0;
  readonly #waiters: Waiter[] = [];

  constructor(readonly capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1) {
      throw new Error(`AgentSlots capacity must be a positive integer (got ${capacity})`);
    }
  }

  /** Slots in use and requests waiting, for logs and tests. */
  get load(): { inUse: number; waiting: number } {
    return { inUse: this.#inUse, waiting: this.#waiters.length };
  }

  /**
   * Runs `work` once a slot is free and frees it afterwards. When `signal` aborts while
   * waiting, `work` runs at once without a slot: it sees the aborted signal and winds
   * down (a cancelled task must still reach a final state).
   */
  async run<T>(priority: SlotPriority, signal: AbortSignal, work: () => Promise<T>): Promise<T> {
    const acquired = await this.#acquire(priority, signal);
    try {
      return await work();
    } finally {
      if (acquired) this.#release();
    }
  }

  #acquire(priority: SlotPriority, signal: AbortSignal): Promise<boolean> {
    if (signal.aborted) return Promise.resolve(false);
    if (this.#inUse < this.capacity && this.#waiters.length === 0) {
      this.#inUse += 1;
      return Promise.resolve(true);
    }
    return new Promise<boolean>((resolve) => {
      const onAbort = () => {
        const index = this.#waiters.indexOf(waiter);
        if (index >= 0) this.#waiters.splice(index, 1);
        resolve(false);
      };
      const waiter: Waiter = {
        priority,
        grant: () => {
          signal.removeEventListener("abort", onAbort);
          resolve(true);
        },
      };
      // Tasks go ahead of every waiting review but stay in order among themselves.
      const firstReview = this.#waiters.findIndex((w) => w.priority === "review");
      if (priority === "task" && firstReview >= 0) this.#waiters.splice(firstReview, 0, waiter);
      else this.#waiters.push(waiter);
      signal.addEventListener("abort", onAbort, { once: true });
    });
  }

  #release(): void {
    const next = this.#waiters.shift();
    // The slot passes straight to the next waiter, so nobody can jump the queue in between.
    if (next) next.grant();
    else this.#inUse -= 1;
  }
}
