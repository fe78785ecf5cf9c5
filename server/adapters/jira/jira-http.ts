import JiraApi from "jira-client";
import type { Logger } from "pino";
import { unavailableError } from "./jira-errors.js";
import { DEFAULT_RETRY, isRetryable, retryDelay, type RetryPolicy } from "./jira-retry.js";
import { JiraResponse, createJiraTransport } from "./jira-transport.js";

/** How to authenticate: email + API token (Cloud) or a personal access token (Data Center). */
export type JiraAuth =
  { kind: "basic"; email: string; apiToken: string } | { kind: "bearer"; pat: string };

/** Options of {@link JiraHttp}. */
export interface JiraHttpOptions {
  baseUrl: string;
  auth: JiraAuth;
  logger: Logger;
  retry?: RetryPolicy | undefined;
  /** Per-exchange timeout; default 30 s. */
  timeoutMs?: number | undefined;
  /** Waits between attempts; injectable so tests need not sleep. */
  sleep?: ((ms: number) => Promise<void>) | undefined;
  /** Source of jitter, in [0, 1). */
  random?: (() => number) | undefined;
}

/**
 * jira-client's request helpers. The type declarations mark them private, but they
 * are the documented way to reach endpoints the client has no method for (such as
 * `POST /rest/api/3/search/jql`), so they are typed here structurally.
 */
interface JiraRequestHelpers {
  makeUri(options: {
    pathname: string;
    query?: Record<string, string | number | boolean>;
    intermediatePath?: string;
  }): string;
  makeRequestHeader(uri: string, options?: Record<string, unknown>): Record<string, unknown>;
  doRequest(options: Record<string, unknown>): Promise<unknown>;
}

/** A raw request through the helpers. */
export interface JiraRawRequest {
  method: "GET" | "POST";
  /** REST API version: 3 is Cloud-only, 2 is on both Cloud and Data Center. */
  version: 2 | 3;
  /** Path after `/rest/api/<version>`, e.g. `/search/jql`. */
  pathname: string;
  query?: Record<string, string | number | boolean>;
  body?: unknown;
}

const sleepFor = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * The single place that talks HTTP to Jira: one jira-client instance with the
 * status-preserving transport, plus retries with backoff for transient failures.
 */
export class JiraHttp {
  /** The jira-client instance, for calls it has a method for. */
  readonly api: JiraApi;
  private readonly helpers: JiraRequestHelpers;
  private readonly logger: Logger;
  private readonly retry: RetryPolicy;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly random: () => number;

  constructor(options: JiraHttpOptions) {
    const url = new URL(options.baseUrl);
    this.api = new JiraApi({
      protocol: url.protocol.replace(/:$/, ""),
      host: url.hostname,
      port: url.port === "" ? undefined : url.port,
      base: url.pathname.replace(/\/+$/, ""),
      apiVersion: "2",
      strictSSL: true,
      request: createJiraTransport({ timeoutMs: options.timeoutMs ?? 30_000 }),
      ...(options.auth.kind === "bearer"
        ? { bearer: options.auth.pat }
        : { username: options.auth.email, password: options.auth.apiToken }),
    });
    this.helpers = this.api as unknown as JiraRequestHelpers;
    this.logger = options.logger;
    this.retry = options.retry ?? DEFAULT_RETRY;
    this.sleep = options.sleep ?? sleepFor;
    this.random = options.random ?? Math.random;
  }

  /** Sends a request to any REST endpoint through jira-client's helpers. */
  request(request: JiraRawRequest): Promise<unknown> {
    const uri = this.helpers.makeUri({
      pathname: request.pathname,
      ...(request.query ? { query: request.query } : {}),
      ...(request.version === 3 ? { intermediatePath: "/rest/api/3" } : {}),
    });
    const options: Record<string, unknown> = { method: request.method };
    if (request.body !== undefined) options.body = request.body;
    return this.helpers.doRequest(this.helpers.makeRequestHeader(uri, options));
  }

  /**
   * Runs `send` (one jira-client call) until it gets an answer that is not a
   * transient failure, waiting between attempts. Returns that answer, whatever its
   * status; throws `jira_unavailable` when every attempt failed transiently.
   */
  async call(
    operation: string,
    send: () => Promise<unknown>,
    { idempotent }: { idempotent: boolean },
  ): Promise<JiraResponse> {
    for (let attempt = 1; ; attempt++) {
      const result = await send();
      // The transport never rejects, so anything else is a programming error.
      if (!(result instanceof JiraResponse))
        throw new Error("jira-client returned an unexpected value");
      if (!isRetryable(result, idempotent)) return result;
      const log = { operation, status: result.status, networkError: result.networkError, attempt };
      if (attempt >= this.retry.attempts) {
        this.logger.warn(log, "jira request failed, giving up");
        throw unavailableError(operation, result, attempt);
      }
      const delayMs = retryDelay(this.retry, attempt, result.retryAfterMs, this.random);
      if (delayMs === null) {
        this.logger.warn(
          { ...log, retryAfterMs: result.retryAfterMs },
          "jira asked to wait too long, giving up",
        );
        throw unavailableError(operation, result, attempt);
      }
      this.logger.warn({ ...log, delayMs }, "jira request failed, retrying");
      await this.sleep(delayMs);
    }
  }
}
