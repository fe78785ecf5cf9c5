import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { ROUTES, notFound } from "./fake-jira-api.js";
import { jiraError, type ApiContext, type ApiResponse } from "./fake-jira-api-common.js";
import { richTextAsPlain } from "./fake-rich-text.js";
import { FakeJiraState } from "./fake-jira-state.js";
import type {
  FakeIssue,
  FakeIssueSeed,
  FakeJiraCredentials,
  FakeJiraFlavor,
  FakeJiraRequest,
} from "./fake-jira-types.js";

/** Options of {@link startFakeJira}. */
export interface FakeJiraOptions {
  issues: FakeIssueSeed[];
  /** Default "cloud". */
  flavor?: FakeJiraFlavor;
  /** Accepted credentials; when absent any (or no) credentials are accepted. */
  credentials?: FakeJiraCredentials;
  /** Default 127.0.0.1. */
  host?: string;
  /** Default 0 (a random free port). */
  port?: number;
  /** Display name of the API user, the author of comments added through the API. */
  userName?: string;
}

/** A comment as a test or the demo reads it back: the body as plain text. */
export interface FakeCommentView {
  id: string;
  author: string;
  body: string;
  created: string;
}

/** A running fake Jira. */
export interface FakeJira {
  /** Base URL, e.g. `http://127.0.0.1:41234`; the adapter's `baseUrl`. */
  url: string;
  flavor: FakeJiraFlavor;
  /** Stops the server and drops open connections. */
  close(): Promise<void>;
  /** A copy of the issue's current state, or undefined. */
  issue(key: string): FakeIssue | undefined;
  /** The issue's comments, oldest first (empty for an unknown issue). */
  comments(key: string): FakeCommentView[];
  /** Adds an issue to the project state. */
  addIssue(seed: FakeIssueSeed): void;
  /** Makes the next `count` REST requests fail with `status` (e.g. 503 or 429). */
  failNext(count: number, status: number, options?: { retryAfterSeconds?: number }): void;
  /** Every REST request received, in order (no headers, so no credentials). */
  readonly requests: FakeJiraRequest[];
}

const MAX_BODY_BYTES = 1024 * 1024;

function expectedAuthorization(credentials: FakeJiraCredentials): string {
  return "pat" in credentials
    ? `Bearer ${credentials.pat}`
    : `Basic ${Buffer.from(`${credentials.email}:${credentials.apiToken}`).toString("base64")}`;
}

async function readBody(request: IncomingMessage): Promise<{ body: unknown } | ApiResponse> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) return jiraError(413, "Request body too large.");
    chunks.push(chunk);
  }
  const text = Buffer.concat(chunks).toString("utf8");
  if (text === "") return { body: undefined };
  try {
    return { body: JSON.parse(text) as unknown };
  } catch {
    return jiraError(400, "Unexpected character in the JSON request body.");
  }
}

function send(response: ServerResponse, result: ApiResponse, retryAfterSeconds?: number): void {
  if (retryAfterSeconds !== undefined) response.setHeader("Retry-After", String(retryAfterSeconds));
  if (result.status === 401) response.setHeader("WWW-Authenticate", 'Basic realm="fake-jira"');
  if (result.html !== undefined) {
    response.writeHead(result.status, {
      "Content-Type": "text/html; charset=utf-8",
      "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'",
    });
    response.end(result.html);
  } else if (result.json !== undefined) {
    response.writeHead(result.status, { "Content-Type": "application/json;charset=UTF-8" });
    response.end(JSON.stringify(result.json));
  } else {
    response.writeHead(result.status);
    response.end();
  }
}

/**
 * Starts a fake Jira (Cloud or Data Center flavour) as a real HTTP server on
 * loopback, serving the REST endpoints Patchboard uses from an in-memory project
 * seeded by the caller. Used by the adapter's integration tests and as the
 * sandbox demo's Jira.
 */
export async function startFakeJira(options: FakeJiraOptions): Promise<FakeJira> {
  const flavor = options.flavor ?? "cloud";
  const state = new FakeJiraState(options.issues);
  const requests: FakeJiraRequest[] = [];
  const authorization = options.credentials ? expectedAuthorization(options.credentials) : null;
  let failure: {
    remaining: number;
    status: number;
    retryAfterSeconds?: number | undefined;
  } | null = null;
  const context: ApiContext = {
    state,
    flavor,
    baseUrl: "",
    userName: options.userName ?? "Patchboard Bot",
    userEmail:
      options.credentials && "email" in options.credentials
        ? options.credentials.email
        : "patchboard@example.com",
  };

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? "/", context.baseUrl);
    const method = request.method ?? "GET";
    const route = ROUTES.find((r) => r.method === method && r.pattern.test(url.pathname));
    const isApi = route?.api ?? url.pathname.startsWith("/rest/");
    const read = await readBody(request);
    const body = "body" in read ? read.body : undefined;
    let result: ApiResponse;
    let retryAfter: number | undefined;
    if (isApi && failure !== null && failure.remaining > 0) {
      // Injected outages come first, as an overloaded Jira fails before checking anything.
      failure.remaining--;
      retryAfter = failure.retryAfterSeconds;
      result = jiraError(
        failure.status,
        `Injected failure (HTTP ${failure.status}) from the fake Jira.`,
      );
    } else if (isApi && authorization !== null && request.headers.authorization !== authorization) {
      result = jiraError(
        401,
        "You are not authenticated. Authentication required to perform this operation.",
      );
    } else if (!("body" in read)) {
      result = read;
    } else if (route) {
      const params = (route.pattern.exec(url.pathname) ?? []).slice(1);
      result = route.handler({ method, params, query: url.searchParams, body }, context);
    } else {
      result = notFound({ method, params: [], query: url.searchParams, body }, context);
    }
    if (isApi)
      requests.push({ method, path: url.pathname, query: url.search, body, status: result.status });
    send(response, result, retryAfter);
  }

  const server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      console.error("fake jira: handler failed", error);
      if (!response.headersSent) send(response, jiraError(500, "Internal error in the fake Jira."));
      else response.end();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, options.host ?? "127.0.0.1", () => resolve());
  });
  const address = server.address() as AddressInfo;
  const host = address.family === "IPv6" ? `[${address.address}]` : address.address;
  context.baseUrl = `http://${host}:${address.port}`;

  return {
    url: context.baseUrl,
    flavor,
    requests,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
    issue: (key) => {
      const issue = state.get(key);
      return issue ? structuredClone(issue) : undefined;
    },
    comments: (key) =>
      (state.get(key)?.comments ?? []).map((comment) => ({
        id: comment.id,
        author: comment.author,
        body: richTextAsPlain(comment.body),
        created: comment.created,
      })),
    addIssue: (seed) => {
      state.add(seed);
    },
    failNext: (count, status, failOptions = {}) => {
      failure = { remaining: count, status, retryAfterSeconds: failOptions.retryAfterSeconds };
    },
  };
}
