/**
 * Per-person limits on what costs the server: git work behind a diff, open event streams.
 * They are in-process (each server process counts its own requests and streams), which is
 * what they protect: the process's CPU, memory and sockets.
 */

/** A budget of requests per person over a sliding window. */
export interface RateLimiter {
  /**
   * Takes one request from `person`'s budget. Returns null when it is admitted, or the
   * seconds until the budget has room again when it is not (nothing is taken then).
   */
  take(person: string): number | null;
}

/** Slots held while something is open (an event stream), at most so many per person. */
export interface ConcurrencyLimiter {
  /** One of `person`'s slots and its release (idempotent), or null when all are held. */
  acquire(person: string): (() => void) | null;
}
