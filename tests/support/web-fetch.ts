/**
 * A fake `fetch` for web component tests: routes method + path to a response. Responses
 * built with `json()` are checked against the shared contract first, so a test can only
 * serve what a correct server could; `malformed()` is the one deliberate exception.
 */
import { vi } from "vitest";
import type { z } from "zod";
import { ErrorBodySchema } from "../../shared/index.js";
import type { ErrorCode } from "../../shared/index.js";

/** What a route handler sees. */
export interface FakeRequest {
  method: string;
  url: URL;
  body: unknown;
  headers: Record<string, string>;
  credentials: RequestCredentials | undefined;
}

/** Answers one request. */
export type FakeHandler = (request: FakeRequest) => Response | Promise<Response>;

interface Route {
  method: string;
  path: string | RegExp;
  handler: FakeHandler;
}

/** A JSON response whose body is first parsed with `schema` (throws when it is not honest). */
export function json<S extends z.ZodType>(schema: S, body: z.input<S>, status = 200): Response {
  schema.parse(body);
  return new Response(JSON.stringify(body), {
    status,
    headers: { "Content-Type": "application/json" },
  });
}

/** An error response in the contract's `{error:{code,message}}` shape. */
export function apiError(status: number, code: ErrorCode, message: string, details?: unknown) {
  const body = { error: { code, message, ...(details === undefined ? {} : { details }) } };
  ErrorBodySchema.parse(body);
  return new Response(JSON.stringify(body), {
    status,
    headers: { "Content-Type": "application/json" },
  });
}

/** A body that deliberately breaks the contract (to test the contract-error display). */
export function malformed(body: unknown, status = 200): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { "Content-Type": "application/json" },
  });
}

/** A plain-text response (the diff). */
export function text(body: string, status = 200): Response {
  return new Response(body, { status, headers: { "Content-Type": "text/plain" } });
}

/** An empty response (204 or 202). */
export function empty(status = 204): Response {
  return new Response(null, { status });
}

/** A response that never arrives (to see loading states). */
export function never(): Promise<Response> {
  return new Promise<Response>(() => {});
}

/** A response that arrives when `release()` is called. */
export function deferred(): { promise: Promise<Response>; release: (response: Response) => void } {
  let release: (response: Response) => void = () => {};
  const promise = new Promise<Response>((resolve) => {
    release = resolve;
  });
  return { promise, release };
}

/** The fake server: register routes, install as global `fetch`, inspect calls. */
export class FakeServer {
  private routes: Route[] = [];
  /** Every request, in order. */
  readonly calls: FakeRequest[] = [];
  /** Requests no route answered (they get a 404). */
  readonly unmatched: string[] = [];

  /** Adds a route; a later route for the same path wins. */
  on(method: string, path: string | RegExp, handler: FakeHandler): this {
    this.routes.unshift({ method, path, handler });
    return this;
  }

  get(path: string | RegExp, handler: FakeHandler): this {
    return this.on("GET", path, handler);
  }

  post(path: string | RegExp, handler: FakeHandler): this {
    return this.on("POST", path, handler);
  }

  /** The calls to a method and path (pathname only, query ignored). */
  callsTo(method: string, path: string | RegExp): FakeRequest[] {
    return this.calls.filter((call) => call.method === method && matches(path, call.url.pathname));
  }

  readonly fetch = async (input: RequestInfo | URL, init: RequestInit = {}): Promise<Response> => {
    const raw = typeof input === "string" ? input : input instanceof URL ? input.href : input.url;
    const url = new URL(raw, "http://localhost");
    const method = (init.method ?? "GET").toUpperCase();
    const headers = Object.fromEntries(new Headers(init.headers).entries());
    let body: unknown = undefined;
    if (typeof init.body === "string") {
      try {
        body = JSON.parse(init.body);
      } catch {
        body = init.body;
      }
    }
    const request: FakeRequest = { method, url, body, headers, credentials: init.credentials };
    this.calls.push(request);
    const route = this.routes.find((r) => r.method === method && matches(r.path, url.pathname));
    if (!route) {
      this.unmatched.push(`${method} ${url.pathname}${url.search}`);
      return apiError(404, "not_found", `No fake route for ${method} ${url.pathname}`);
    }
    if (init.signal?.aborted) throw new DOMException("Aborted", "AbortError");
    return route.handler(request);
  };

  /** Replaces the global `fetch` with this server (undone by `vi.unstubAllGlobals`). */
  install(): this {
    vi.stubGlobal("fetch", this.fetch);
    return this;
  }
}

function matches(path: string | RegExp, pathname: string): boolean {
  return typeof path === "string" ? path === pathname : path.test(pathname);
}
