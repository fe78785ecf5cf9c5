import { isRetryable, retryDelay } from "../../server/adapters/jira/jira-retry.js";
import { JiraResponse, parseRetryAfter } from "../../server/adapters/jira/jira-transport.js";

const policy = { attempts: 5, baseDelayMs: 100, maxDelayMs: 1_000 };
const response = (status: number, networkError: string | null = null): JiraResponse =>
  new JiraResponse(status, null, null, networkError);

describe("Jira retry policy", () => {
  it("backs off exponentially with equal jitter, capped", () => {
    expect([1, 2, 3, 4, 5].map((attempt) => retryDelay(policy, attempt, null, () => 0))).toEqual([
      50, 100, 200, 400, 500,
    ]);
    expect(retryDelay(policy, 1, null, () => 0.999)).toBe(100);
  });

  it("waits at least Retry-After, and refuses waits beyond the cap", () => {
    expect(retryDelay(policy, 1, 700, () => 0)).toBe(700);
    expect(retryDelay(policy, 1, 5_000, () => 0)).toBeNull();
  });

  it("parses Retry-After seconds and dates", () => {
    expect(parseRetryAfter("3")).toBe(3000);
    expect(parseRetryAfter(new Date(10_000).toUTCString(), 4_000)).toBe(6000);
    expect(parseRetryAfter("soon")).toBeNull();
    expect(parseRetryAfter(null)).toBeNull();
  });

  it("retries reads on any transient failure, writes only when Jira surely did not act", () => {
    for (const status of [429, 500, 502, 503, 504])
      expect(isRetryable(response(status), true)).toBe(true);
    expect(isRetryable(response(0, "ECONNRESET"), true)).toBe(true);
    expect(isRetryable(response(429), false)).toBe(true);
    expect(isRetryable(response(503), false)).toBe(true);
    expect(isRetryable(response(0, "ECONNREFUSED"), false)).toBe(true);
    expect(isRetryable(response(500), false)).toBe(false);
    expect(isRetryable(response(0, "ECONNRESET"), false)).toBe(false);
    for (const status of [200, 400, 401, 403, 404, 410])
      expect(isRetryable(response(status), true)).toBe(false);
  });
});
