import type { ErrorCode } from "../../shared/errors.js";

/** The HTTP status each error code is rendered with when it reaches a response. */
const STATUS_BY_CODE: Partial<Record<ErrorCode, number>> = {
  validation_error: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  jira_not_found: 404,
  conflict: 409,
  task_not_retryable: 409,
  task_not_running: 409,
  task_has_no_thread: 409,
  payload_too_large: 413,
  repo_not_configured: 422,
  rate_limited: 429,
  codex_rate_limited: 503,
  jira_auth: 502,
  jira_unavailable: 502,
  github_auth: 502,
  github_unavailable: 502,
  codex_auth: 502,
  codex_unavailable: 502,
  budget_exceeded: 402,
};

/** Options for an {@link AppError}. */
export interface AppErrorOptions {
  /** Overrides the status derived from the code. */
  status?: number;
  /** Safe, structured details for the client (e.g. field issues). */
  details?: unknown;
  /** The upstream error this one wraps; logged, never sent to a client. */
  cause?: unknown;
}

/**
 * The one error type of the server: a stable code, a message a person can act on,
 * and the HTTP status it renders with. Upstream failures are wrapped with their cause.
 */
export class AppError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly details: unknown;

  constructor(code: ErrorCode, message: string, options: AppErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = "AppError";
    this.code = code;
    this.status = options.status ?? STATUS_BY_CODE[code] ?? 500;
    this.details = options.details;
  }
}

/** Whether a value is an {@link AppError}. */
export function isAppError(value: unknown): value is AppError {
  return value instanceof AppError;
}

/** Wraps anything thrown into an AppError with the given code, keeping AppErrors as they are. */
export function toAppError(error: unknown, code: ErrorCode, message: string): AppError {
  if (isAppError(error)) return error;
  return new AppError(code, message, { cause: error });
}
