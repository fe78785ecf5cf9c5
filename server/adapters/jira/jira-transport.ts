/**
 * The HTTP transport handed to jira-client as its `request` option.
 *
 * Why not jira-client's own transport: it rejects with the response body only, and
 * `doRequest` then rethrows `new Error(JSON.stringify(body))`, so the status code
 * and the Retry-After header are gone by the time a caller sees the error. This
 * transport never rejects; it resolves with a {@link JiraResponse} that `doRequest`
 * passes through untouched (it only inspects a top-level `errorMessages`), and the
 * adapter decides what each status means.
 */

/** The outcome of one HTTP exchange with Jira (or of failing to have one). */
export class JiraResponse {
  constructor(
    /** HTTP status; 0 when no response arrived (network error, timeout). */
    readonly status: number,
    /** Parsed JSON, or the raw text when the body was not JSON. */
    readonly body: unknown,
    /** The Retry-After header in milliseconds, when present and valid. */
    readonly retryAfterMs: number | null,
    /** Why no response arrived (an error code such as ECONNREFUSED), else null. */
    readonly networkError: string | null,
  ) {}

  /** Whether the status is 2xx. */
  get ok(): boolean {
    return this.status >= 200 && this.status < 300;
  }

  /**
   * Jira's error messages from the body (`errorMessages` and `errors`). Deliberately
   * not named `errorMessages`: jira-client's doRequest throws (losing the status)
   * when the value it receives has a non-empty property of that name.
   */
  jiraMessages(): string[] {
    const body = this.body;
    if (typeof body !== "object" || body === null) return [];
    const messages: string[] = [];
    const { errorMessages, errors } = body as { errorMessages?: unknown; errors?: unknown };
    if (Array.isArray(errorMessages)) {
      messages.push(...errorMessages.filter((m): m is string => typeof m === "string"));
    }
    if (typeof errors === "object" && errors !== null) {
      for (const [field, message] of Object.entries(errors)) {
        if (typeof message === "string") messages.push(`${field}: ${message}`);
      }
    }
    return messages;
  }
}

/** The subset of request options jira-client builds (request/postman-request style). */
interface JiraClientRequestOptions {
  uri?: unknown;
  method?: unknown;
  body?: unknown;
  auth?: { user?: unknown; pass?: unknown; bearer?: unknown };
}

/** Parses Retry-After: delta-seconds or an HTTP date. */
export function parseRetryAfter(value: string | null, now = Date.now()): number | null {
  if (value === null || value.trim() === "") return null;
  if (/^\d+$/.test(value.trim())) return Number(value.trim()) * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? null : Math.max(0, date - now);
}

function authorization(auth: JiraClientRequestOptions["auth"]): string | undefined {
  if (!auth) return undefined;
  if (typeof auth.bearer === "string" && auth.bearer !== "") return `Bearer ${auth.bearer}`;
  if (typeof auth.user === "string" && typeof auth.pass === "string") {
    return `Basic ${Buffer.from(`${auth.user}:${auth.pass}`).toString("base64")}`;
  }
  return undefined;
}

function networkErrorCode(error: unknown): string {
  if (error instanceof Error) {
    if (error.name === "TimeoutError" || error.name === "AbortError") return "ETIMEDOUT";
    const cause = error.cause as { code?: unknown } | undefined;
    if (typeof cause?.code === "string") return cause.code;
    return error.name;
  }
  return "UNKNOWN";
}

/** A jira-client `request` function. */
export type JiraClientRequest = (options: JiraClientRequestOptions) => Promise<JiraResponse>;

/**
 * Creates the transport, using Node's fetch. Each exchange is bounded by
 * `timeoutMs` so a hung Jira cannot hold a request forever.
 */
export function createJiraTransport(options: { timeoutMs: number }): JiraClientRequest {
  return async (request) => {
    const headers: Record<string, string> = { Accept: "application/json" };
    const auth = authorization(request.auth);
    if (auth !== undefined) headers.Authorization = auth;
    let body: string | undefined;
    if (request.body !== undefined) {
      headers["Content-Type"] = "application/json";
      body = JSON.stringify(request.body);
    }
    try {
      const response = await fetch(String(request.uri), {
        method: typeof request.method === "string" ? request.method : "GET",
        headers,
        body,
        redirect: "follow",
        signal: AbortSignal.timeout(options.timeoutMs),
      });
      const text = await response.text();
      let parsed: unknown = text;
      if (text !== "") {
        try {
          parsed = JSON.parse(text);
        } catch {
          // Not JSON (an HTML error page from a proxy, say): keep the text.
        }
      }
      const retryAfter = parseRetryAfter(response.headers.get("retry-after"));
      return new JiraResponse(response.status, parsed, retryAfter, null);
    } catch (error) {
      return new JiraResponse(0, null, null, networkErrorCode(error));
    }
  };
}
