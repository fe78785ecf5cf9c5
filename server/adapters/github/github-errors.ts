import { AppError } from "../../domain/app-error.js";

/**
 * The shape of octokit's `RequestError`. It is matched structurally because
 * `@octokit/request-error` is only a transitive dependency of `@octokit/rest`.
 */
export interface HttpError extends Error {
  status: number;
  response?: { status: number; headers: Record<string, unknown>; data: unknown };
}

/** Whether an error came from octokit's request layer. */
export function isHttpError(error: unknown): error is HttpError {
  return (
    error instanceof Error &&
    error.name === "HttpError" &&
    typeof (error as HttpError).status === "number"
  );
}

/** What to do about a failed GitHub request. */
export type Failure =
  /** Worth another try, after at least `waitMs` when GitHub said how long (Retry-After, rate-limit reset). */
  | { kind: "transient"; status: number; waitMs: number | null }
  /** The token is missing, wrong, expired or lacks a permission. */
  | { kind: "auth"; status: number }
  /** A definite answer (404, 422…) that retrying will not change. */
  | { kind: "rejected"; status: number; message: string };

/** Classifies an error thrown by octokit (or by fetch underneath it). */
export function classify(error: unknown, now = Date.now()): Failure {
  if (!isHttpError(error)) return { kind: "transient", status: 0, waitMs: null };
  const status = error.status;
  const headers = error.response?.headers ?? {};
  const retryAfter = header(headers, "retry-after");
  const remaining = header(headers, "x-ratelimit-remaining");
  const reset = header(headers, "x-ratelimit-reset");
  const rateLimited =
    status === 429 ||
    (status === 403 &&
      (remaining === "0" || retryAfter !== null || /rate limit/i.test(error.message)));
  // octokit reports a network failure or timeout as status 500 with no response.
  if (rateLimited || status >= 500 || status === 0 || !error.response) {
    return {
      kind: "transient",
      status,
      waitMs: waitFromHeaders(retryAfter, remaining, reset, now),
    };
  }
  if (status === 401 || status === 403) return { kind: "auth", status };
  return { kind: "rejected", status, message: githubMessage(error) };
}

/** The wait GitHub asked for, in milliseconds, or null when it did not say. */
function waitFromHeaders(
  retryAfter: string | null,
  remaining: string | null,
  reset: string | null,
  now: number,
): number | null {
  if (retryAfter !== null) {
    const seconds = Number(retryAfter);
    if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
    const date = Date.parse(retryAfter);
    if (!Number.isNaN(date)) return Math.max(0, date - now);
  }
  if (remaining === "0" && reset !== null) {
    const resetAt = Number(reset) * 1000;
    if (Number.isFinite(resetAt)) return Math.max(0, resetAt - now);
  }
  return null;
}

function header(headers: Record<string, unknown>, name: string): string | null {
  const value = headers[name];
  return typeof value === "string" || typeof value === "number" ? String(value) : null;
}

/**
 * GitHub's own message with its validation details ("Validation Failed: A pull request
 * already exists for acme:codex/x."), without octokit's documentation link.
 */
export function githubMessage(error: HttpError): string {
  const data = error.response?.data as { message?: unknown; errors?: unknown } | undefined;
  if (!data || typeof data.message !== "string") return error.message;
  const details = Array.isArray(data.errors)
    ? data.errors
        .map((e: unknown) =>
          typeof e === "string"
            ? e
            : e && typeof e === "object" && "message" in e && typeof e.message === "string"
              ? e.message
              : e && typeof e === "object" && "field" in e && "code" in e
                ? `${String(e.field)} ${String(e.code)}`
                : null,
        )
        .filter((m): m is string => m !== null)
    : [];
  return details.length > 0 ? `${data.message}: ${details.join("; ")}` : data.message;
}

/** Whether an error is GitHub's answer with this status. */
export function hasStatus(error: unknown, status: number): error is HttpError {
  return isHttpError(error) && error.status === status && error.response !== undefined;
}

/** The AppError for a failure that will not be retried (any more). */
export function toGitHubError(failure: Failure, what: string, cause: unknown): AppError {
  switch (failure.kind) {
    case "auth":
      return new AppError(
        "github_auth",
        `GitHub rejected the token (HTTP ${failure.status}) while trying to ${what}: check GITHUB_TOKEN — it must be valid and have access to the repository (contents and pull requests: write).`,
        { cause },
      );
    case "transient":
      return new AppError(
        "github_unavailable",
        `GitHub is unavailable or rate-limiting us (${failure.status === 0 || !hasResponse(cause) ? "network error" : `HTTP ${failure.status}`}) while trying to ${what}; try again later.`,
        { cause },
      );
    case "rejected":
      return new AppError(
        failure.status === 404 ? "github_auth" : "github_unavailable",
        failure.status === 404
          ? `GitHub could not find what we asked for while trying to ${what}: check the repository name and that GITHUB_TOKEN can access it.`
          : `GitHub refused to ${what} (HTTP ${failure.status}): ${failure.message}`,
        { cause },
      );
  }
}

function hasResponse(error: unknown): boolean {
  return isHttpError(error) && error.response !== undefined;
}
