import type { JiraResponse } from "./jira-transport.js";

/** How failed calls are retried. */
export interface RetryPolicy {
  /** Total attempts, including the first. */
  attempts: number;
  /** The first backoff; doubled on each further attempt. */
  baseDelayMs: number;
  /** No single wait is longer than this, Retry-After included. */
  maxDelayMs: number;
}

/** Defaults: four attempts over roughly 0.5 + 1 + 2 seconds. */
export const DEFAULT_RETRY: RetryPolicy = { attempts: 4, baseDelayMs: 500, maxDelayMs: 10_000 };

/**
 * Whether a failed exchange may be tried again. Reads are always safe to repeat.
 * Writes (comment, transition) are only repeated when Jira certainly did not act:
 * 429 and 503 are refusals, and a refused connection never reached it. A 500 or a
 * reset connection after a write may have been applied, and a second comment on
 * the ticket is worse than a reported failure.
 */
export function isRetryable(response: JiraResponse, idempotent: boolean): boolean {
  if (response.status === 0) {
    return idempotent || response.networkError === "ECONNREFUSED";
  }
  if (response.status === 429 || response.status === 503) return true;
  return idempotent && response.status >= 500;
}

/**
 * The wait before the next attempt, or null when the server asks for longer than
 * the policy allows (waiting less would only earn another refusal). Exponential
 * backoff with "equal jitter" (half fixed, half random) so clients that failed
 * together do not retry together, and never sooner than Retry-After.
 */
export function retryDelay(
  policy: RetryPolicy,
  attempt: number,
  retryAfterMs: number | null,
  random: () => number,
): number | null {
  const exponential = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
  const jittered = exponential / 2 + (random() * exponential) / 2;
  if (retryAfterMs === null) return Math.round(jittered);
  if (retryAfterMs > policy.maxDelayMs) return null;
  return Math.round(Math.max(retryAfterMs, jittered));
}
