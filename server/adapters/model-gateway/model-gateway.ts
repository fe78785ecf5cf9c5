import http from "node:http";
import type {
  IncomingHttpHeaders,
  IncomingMessage,
  OutgoingHttpHeaders,
  ServerResponse,
} from "node:http";
import https from "node:https";
import { once } from "node:events";
import type { AddressInfo } from "node:net";
import type { Logger } from "pino";
import type { ModelUsage, UsageMeter } from "../../domain/ports/usage-meter.js";
import { SseUsageTap } from "./sse-usage-tap.js";
import { TokenRegistry, type GatewayGrant } from "./token-registry.js";

/** OpenAI's Responses API root, used when no CODEX_BASE_URL is set. */
export const OPENAI_API_URL = "https://api.openai.com/v1";

/** Options of {@link startModelGateway}. */
export interface ModelGatewayOptions {
  /** The real Responses API root (CODEX_BASE_URL or OpenAI's). */
  upstreamUrl: string;
  /** The real key: sent upstream, never handed to anyone. */
  apiKey: string;
  meter: UsageMeter;
  logger: Logger;
  /** Defaults to 127.0.0.1: the gateway must never be reachable from outside. */
  host?: string;
  /** Defaults to 0 (a free port). */
  port?: number;
}

/** A running gateway. */
export interface ModelGateway {
  /** The `base_url` Codex gets (ends in `/v1`). */
  url: string;
  /** A new token for a task (or review run); revoke it when the turn or task ends. */
  grant(ownerId: string): GatewayGrant;
  /** Revokes every token of a task. */
  revokeOwner(ownerId: string): void;
  /** Stops listening and cuts open streams. */
  close(): Promise<void>;
}

const PREFIX = "/v1";

// Connection-level headers are the gateway's own business on each side; the client's
// credentials are replaced; compression is refused so the usage can be read as it passes.
const DROPPED_REQUEST_HEADERS = new Set([
  "host",
  "authorization",
  "connection",
  "keep-alive",
  "proxy-authorization",
  "proxy-connection",
  "te",
  "trailer",
  "upgrade",
  "accept-encoding",
]);
const DROPPED_RESPONSE_HEADERS = new Set([
  "connection",
  "keep-alive",
  "transfer-encoding",
  "trailer",
  "upgrade",
]);

function filterHeaders(headers: IncomingHttpHeaders, dropped: Set<string>): OutgoingHttpHeaders {
  const out: OutgoingHttpHeaders = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined && !dropped.has(name)) out[name] = value;
  }
  return out;
}

/** An error body shaped like OpenAI's, so Codex reports its message. */
function sendError(res: ServerResponse, status: number, code: string, message: string): void {
  res.writeHead(status, { "content-type": "application/json" });
  res.end(JSON.stringify({ error: { message, type: "invalid_request_error", code } }));
}

function bearer(req: IncomingMessage): string | null {
  return /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? "")?.[1] ?? null;
}

/**
 * The model gateway: a Responses API proxy on 127.0.0.1 that holds the real API key.
 * Codex processes get a token of their own task instead; the gateway checks it, asks the
 * meter whether the request may start (budgets), forwards it upstream with the real key,
 * and streams the answer back unchanged as it arrives, reading each response's usage on
 * the way. A client that goes away aborts the upstream request.
 */
export async function startModelGateway(options: ModelGatewayOptions): Promise<ModelGateway> {
  const { meter, logger } = options;
  const upstream = new URL(options.upstreamUrl.replace(/\/+$/, ""));
  const client = upstream.protocol === "https:" ? https : http;
  const agent = new client.Agent({ keepAlive: true });
  const tokens = new TokenRegistry();
  // The last metering write of each owner: its next request is admitted after it, so a
  // budget check never reads the spend from before the previous response.
  const lastFinish = new Map<string, Promise<void>>();

  async function admit(ownerId: string): Promise<string | { refused: string }> {
    await lastFinish.get(ownerId);
    const admission = await meter.admit(ownerId);
    return "refused" in admission ? { refused: admission.refused.message } : admission.requestId;
  }

  function forward(
    req: IncomingMessage,
    res: ServerResponse,
    path: string,
    metered: { ownerId: string; requestId: string } | null,
  ): void {
    let finished = false;
    const finish = (usage: ModelUsage | null): void => {
      if (finished || metered === null) return;
      finished = true;
      const done = meter.finish(metered.requestId, usage).catch((error: unknown) => {
        logger.error({ err: error, ownerId: metered.ownerId }, "model usage not recorded");
      });
      lastFinish.set(metered.ownerId, done);
      void done.then(() => {
        if (lastFinish.get(metered.ownerId) === done) lastFinish.delete(metered.ownerId);
      });
    };
    const target = new URL(`${upstream.pathname}${path}`, upstream);
    const outgoing = client.request(target, {
      method: req.method,
      agent,
      headers: {
        ...filterHeaders(req.headers, DROPPED_REQUEST_HEADERS),
        authorization: `Bearer ${options.apiKey}`,
      },
    });
    outgoing.on("response", (answer) => {
      res.writeHead(
        answer.statusCode ?? 502,
        filterHeaders(answer.headers, DROPPED_RESPONSE_HEADERS),
      );
      res.flushHeaders();
      const tap =
        metered !== null && /event-stream/i.test(String(answer.headers["content-type"]))
          ? new SseUsageTap(finish)
          : null;
      answer.on("data", (chunk: Buffer) => {
        if (!res.write(chunk)) {
          answer.pause();
          res.once("drain", () => answer.resume());
        }
        tap?.push(chunk);
      });
      answer.on("end", () => {
        res.end();
        finish(null);
      });
      answer.on("error", () => {
        res.destroy();
        finish(null);
      });
    });
    outgoing.on("error", (error) => {
      finish(null);
      if (res.headersSent) {
        res.destroy();
        return;
      }
      logger.warn({ err: error, path }, "model API unreachable");
      sendError(
        res,
        502,
        "gateway_upstream",
        "Patchboard gateway: the model API could not be reached",
      );
    });
    // The client went away before the answer was complete: stop paying for it.
    res.on("close", () => {
      if (!res.writableFinished) outgoing.destroy();
      finish(null);
    });
    req.pipe(outgoing);
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const token = bearer(req);
    const ownerId = token === null ? null : tokens.ownerOf(token);
    if (ownerId === null) {
      req.resume();
      sendError(res, 401, "invalid_api_key", "Patchboard gateway: unknown or revoked token");
      return;
    }
    const url = req.url ?? "/";
    if (url !== PREFIX && !url.startsWith(`${PREFIX}/`)) {
      req.resume();
      sendError(res, 404, "not_found", `Patchboard gateway: no route ${url}`);
      return;
    }
    const path = url.slice(PREFIX.length);
    const isModelRequest = req.method === "POST" && /^\/responses(?:\?|$)/.test(path);
    if (!isModelRequest) {
      forward(req, res, path, null);
      return;
    }
    const admitted = await admit(ownerId);
    if (typeof admitted !== "string") {
      req.resume();
      // A 400 ends Codex's turn at once: it retries neither it nor the stream.
      sendError(res, 400, "budget_exceeded", `Patchboard: ${admitted.refused}`);
      return;
    }
    forward(req, res, path, { ownerId, requestId: admitted });
  }

  const server = http.createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      logger.error({ err: error }, "model gateway request failed");
      if (!res.headersSent) {
        sendError(res, 500, "gateway_error", "Patchboard gateway: internal error");
      } else res.destroy();
    });
  });
  const host = options.host ?? "127.0.0.1";
  server.listen(options.port ?? 0, host);
  await once(server, "listening");
  const { port } = server.address() as AddressInfo;
  const url = `http://${host}:${port}${PREFIX}`;
  logger.info({ url, upstream: upstream.origin }, "model gateway listening");
  return {
    url,
    grant: (ownerId) => tokens.grant(ownerId),
    revokeOwner: (ownerId) => tokens.revokeOwner(ownerId),
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
        agent.destroy();
      }),
  };
}
