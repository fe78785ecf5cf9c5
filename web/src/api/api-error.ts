import type { ErrorCode } from "../../../shared/index.js";

/**
 * Codes the client adds to the server's: `network_error` when no answer arrived,
 * `http_error` when the answer was an error without the contract's error body.
 * (`contract_error` is already in the shared list.)
 */
export type ClientErrorCode = ErrorCode | "network_error" | "http_error";

/** A failed API call: what the server (or the client) said went wrong. */
export class ApiError extends Error {
  override readonly name = "ApiError";
  /** Stable code to switch on. */
  readonly code: ClientErrorCode;
  /** HTTP status, or 0 when there was no answer. */
  readonly status: number;
  /** Extra information (field issues, schema issues…), shown folded. */
  readonly details: unknown;

  constructor(code: ClientErrorCode, message: string, status: number, details?: unknown) {
    super(message);
    this.code = code;
    this.status = status;
    this.details = details;
  }
}

/** Whether an error is an API error with the given HTTP status. */
export function isApiStatus(error: unknown, status: number): error is ApiError {
  return error instanceof ApiError && error.status === status;
}
