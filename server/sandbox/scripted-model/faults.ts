import type { Fault, FaultSpec, ScriptContext } from "./types.js";

/**
 * The faults waiting to be injected. Each request takes the first fault that still has
 * requests left and whose `when` holds; faults are consumed in order.
 */
export class FaultQueue {
  private entries: { fault: Fault; remaining: number }[] = [];

  /** Replaces the pending faults (an empty list clears them). */
  set(faults: readonly Fault[]): void {
    this.entries = faults.map((fault) => ({ fault, remaining: fault.count ?? 1 }));
  }

  /** The fault for this request, if any, counting it as used. */
  take(ctx: ScriptContext): FaultSpec | null {
    const entry = this.entries.find(
      (candidate) => candidate.remaining > 0 && (candidate.fault.when?.(ctx) ?? true),
    );
    if (entry === undefined) return null;
    entry.remaining -= 1;
    return entry.fault;
  }

  /** How many injections are left in total (Infinity when a fault is unbounded). */
  pending(): number {
    return this.entries.reduce((sum, entry) => sum + entry.remaining, 0);
  }
}

/** The JSON error body and headers an HTTP error fault answers with, shaped like OpenAI's. */
export function httpErrorResponse(fault: Extract<FaultSpec, { kind: "http_error" }>): {
  headers: Record<string, string>;
  body: { error: { message: string; type: string; code: string | null } };
} {
  const headers: Record<string, string> = { "content-type": "application/json" };
  if (fault.retryAfterSeconds !== undefined)
    headers["retry-after"] = String(fault.retryAfterSeconds);
  const defaults = defaultError(fault.status, fault.retryAfterSeconds);
  return {
    headers,
    body: {
      error: {
        message: fault.message ?? defaults.message,
        type: defaults.type,
        code: fault.code ?? defaults.code,
      },
    },
  };
}

function defaultError(
  status: number,
  retryAfterSeconds: number | undefined,
): { message: string; type: string; code: string | null } {
  if (status === 401) {
    return {
      message: "Incorrect API key provided (scripted model).",
      type: "invalid_request_error",
      code: "invalid_api_key",
    };
  }
  if (status === 429) {
    return {
      message: `Rate limit reached (scripted model). Please try again in ${retryAfterSeconds ?? 1}s.`,
      type: "requests",
      code: "rate_limit_exceeded",
    };
  }
  if (status >= 500) {
    return {
      message: "The server had an error (scripted model).",
      type: "server_error",
      code: null,
    };
  }
  return { message: `Scripted model error ${status}.`, type: "invalid_request_error", code: null };
}
