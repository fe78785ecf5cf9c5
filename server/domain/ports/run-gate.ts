/** One run taken from a person's budget; `release` gives it back when no run started after all. */
export interface RunPermit {
  release(): void;
}

/**
 * Where agent runs are admitted. Every use case that starts a run (a new fix, a free-form
 * task, a retry, a follow-up) takes a permit here, whatever URL reached it, so the
 * per-person budget counts runs rather than requests. A click that is answered with an
 * already active task takes none.
 */
export interface RunGate {
  /**
   * Runs `work` once every earlier decision on `key` (a ticket or a task) has settled,
   * so concurrent clicks see each other's task instead of all spending budget.
   */
  serialize<T>(key: string, work: () => Promise<T>): Promise<T>;
  /** Takes one run from `person`'s budget, or rejects with AppError `rate_limited`. */
  take(person: string): Promise<RunPermit>;
}
