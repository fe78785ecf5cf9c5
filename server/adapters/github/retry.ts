import type { Logger } from "pino";
import { classify, toGitHubError } from "./github-errors.js";

/** How transient GitHub failures (429, rate-limit 403, 5xx, network) are retried. */
export interface RetryOptions {
  /** Tries in total, the first included. */
  attempts: number;
  /** The first backoff; each later one doubles, with jitter. */
  baseDelayMs: number;
  /**
   * The longest single wait. When GitHub asks for more (a rate-limit reset far away),
   * the call fails at once with `github_unavailable` instead of holding a task hostage.
   */
  maxDelayMs: number;
  /** Waits; injectable so tests need not sleep. */
  sleep?: (ms: number) => Promise<void>;
  /** A number in [0, 1) for jitter; injectable for deterministic tests. */
  random?: () => number;
}

/** Defaults: 4 tries over roughly 0.5 + 1 + 2 seconds, never a single wait over 30 s. */
export const DEFAULT_RETRY: RetryOptions = { attempts: 4, baseDelayMs: 500, maxDelayMs: 30_000 };

const realSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Runs one GitHub call with retries. `what` completes "while trying to …" in error
 * messages and names the call in logs. Errors that retrying cannot fix are thrown
 * at once as AppErrors; `passThrough` lets the caller handle some itself (422s).
 */
export async function withRetry<T>(
  what: string,
  call: () => Promise<T>,
  options: RetryOptions,
  logger: Logger,
  passThrough: (error: unknown) => boolean = () => false,
): Promise<T> {
  const sleep = options.sleep ?? realSleep;
  const random = options.random ?? Math.random;
  const attempts = Math.max(1, options.attempts);
  for (let attempt = 1; ; attempt++) {
    try {
      return await call();
    } catch (error) {
      if (passThrough(error)) throw error;
      const failure = classify(error);
      if (failure.kind !== "transient" || attempt >= attempts) {
        logger.warn(
          { what, status: failure.status, kind: failure.kind, attempt },
          "github request failed",
        );
        throw toGitHubError(failure, what, error);
      }
      // Full backoff doubled per attempt, with the upper half jittered so many tasks
      // hitting one outage do not retry in lockstep; GitHub's own wait wins when longer.
      const backoff = options.baseDelayMs * 2 ** (attempt - 1);
      const jittered = backoff / 2 + (random() * backoff) / 2;
      const delayMs = Math.round(Math.max(jittered, failure.waitMs ?? 0));
      if (
        delayMs > options.maxDelayMs &&
        failure.waitMs !== null &&
        failure.waitMs > options.maxDelayMs
      ) {
        logger.warn(
          { what, status: failure.status, waitMs: failure.waitMs },
          "github rate limit wait too long",
        );
        throw toGitHubError(failure, what, error);
      }
      const waitMs = Math.min(delayMs, options.maxDelayMs);
      logger.warn(
        { what, status: failure.status, attempt, waitMs },
        "github request failed, retrying",
      );
      await sleep(waitMs);
    }
  }
}
