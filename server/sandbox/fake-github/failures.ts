/** A failure queued with `failNext`, answered instead of the next API request. */
export interface PendingFailure {
  status: number;
  retryAfterSeconds: number | undefined;
  rateLimited: boolean;
}

/** The message GitHub sends with such a status. */
export function failureMessage({ status, rateLimited }: PendingFailure): string {
  if (status === 403) {
    return rateLimited
      ? "API rate limit exceeded for installation."
      : "Resource not accessible by integration";
  }
  if (status === 429) return "You have exceeded a secondary rate limit.";
  if (status === 401) return "Bad credentials";
  return status >= 500 ? "Server Error" : "Injected failure";
}

/** The headers GitHub sends with such a failure: Retry-After, and rate-limit headers on a 403. */
export function failureHeaders(failure: PendingFailure): Record<string, string> {
  const headers: Record<string, string> = {};
  if (failure.retryAfterSeconds !== undefined)
    headers["retry-after"] = String(failure.retryAfterSeconds);
  if (failure.status === 403 && failure.rateLimited) {
    headers["x-ratelimit-remaining"] = "0";
    headers["x-ratelimit-reset"] = String(
      Math.ceil(Date.now() / 1000) + (failure.retryAfterSeconds ?? 60),
    );
  }
  return headers;
}
