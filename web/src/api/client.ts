import { z } from "zod";
import { CSRF_HEADER, ErrorBodySchema } from "../../../shared/index.js";
import { ApiError } from "./api-error.js";

interface RequestOptions {
  method?: "GET" | "POST";
  /** Sent as JSON. Every POST gets a JSON body (an empty object when none is given). */
  body?: unknown;
  signal?: AbortSignal | undefined;
  accept?: string;
}

async function send(path: string, options: RequestOptions): Promise<Response> {
  const method = options.method ?? "GET";
  const headers: Record<string, string> = { Accept: options.accept ?? "application/json" };
  const init: RequestInit = { method, headers, credentials: "same-origin" };
  if (options.signal) init.signal = options.signal;
  if (method === "POST") {
    headers["Content-Type"] = "application/json";
    // The server refuses cookie-authenticated changes without it (CSRF defence).
    headers[CSRF_HEADER] = "1";
    init.body = JSON.stringify(options.body ?? {});
  }
  let response: Response;
  try {
    response = await fetch(path, init);
  } catch (error) {
    if (error instanceof DOMException && error.name === "AbortError") throw error;
    throw new ApiError(
      "network_error",
      "The server could not be reached. Check your connection and try again.",
      0,
      error instanceof Error ? error.message : undefined,
    );
  }
  if (!response.ok) throw await toApiError(response);
  return response;
}

async function toApiError(response: Response): Promise<ApiError> {
  const text = await response.text().catch(() => "");
  let body: unknown = undefined;
  try {
    body = JSON.parse(text);
  } catch {
    // not JSON: handled below
  }
  const parsed = ErrorBodySchema.safeParse(body);
  if (parsed.success) {
    const { code, message, details } = parsed.data.error;
    return new ApiError(code, message, response.status, details);
  }
  const status = `${response.status}${response.statusText ? ` ${response.statusText}` : ""}`;
  return new ApiError(
    "http_error",
    `The server answered ${status}.`,
    response.status,
    text.slice(0, 2000) || undefined,
  );
}

function contractError(path: string, details: unknown): ApiError {
  return new ApiError(
    "contract_error",
    `The answer to ${path} does not match what this page expects.`,
    200,
    details,
  );
}

/** Calls the API and parses the JSON answer with `schema`; a mismatch throws a `contract_error`. */
export async function apiJson<S extends z.ZodType>(
  schema: S,
  path: string,
  options: RequestOptions = {},
): Promise<z.infer<S>> {
  const response = await send(path, options);
  let body: unknown;
  try {
    body = await response.json();
  } catch (error) {
    throw contractError(path, error instanceof Error ? error.message : "The body is not JSON.");
  }
  const parsed = schema.safeParse(body);
  if (!parsed.success) throw contractError(path, z.prettifyError(parsed.error));
  return parsed.data;
}

/** Calls the API and returns its plain-text answer. */
export async function apiText(path: string, options: RequestOptions = {}): Promise<string> {
  const response = await send(path, { ...options, accept: "text/plain" });
  return response.text();
}

/** Calls the API for its effect only (204 or 202 without a body of interest). */
export async function apiVoid(path: string, options: RequestOptions = {}): Promise<void> {
  await send(path, options);
}

/**
 * Asks the server why a request is refused, for callers that cannot read a status
 * themselves (EventSource only says "failed"): the error the same request gets now, or
 * null when it now succeeds. A successful answer's body is dropped unread, so a stream it
 * opened closes at once.
 */
export async function apiRefusal(
  path: string,
  options: RequestOptions = {},
): Promise<ApiError | null> {
  try {
    const response = await send(path, options);
    await response.body?.cancel();
    return null;
  } catch (error) {
    if (error instanceof ApiError) return error;
    throw error;
  }
}
