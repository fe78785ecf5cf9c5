import { randomUUID } from "node:crypto";
import http from "node:http";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { gunzipSync } from "node:zlib";
import type { Logger } from "pino";
import { planResponse } from "./engine.js";
import { FaultQueue, httpErrorResponse } from "./faults.js";
import { buildScriptContext } from "./request-context.js";
import { writeCompleted, writeCreated, writeFailed, writeItem } from "./sse.js";
import type { Fault, FaultSpec, RecordedRequest, Script, ScriptContext } from "./types.js";

/** Options of {@link startScriptedModel}. */
export interface ScriptedModelOptions {
  scripts: readonly Script[];
  /** Defaults to 127.0.0.1: the fake model must never be reachable from outside. */
  host?: string;
  /** Defaults to 0 (a free port). */
  port?: number;
  logger?: Logger;
}

/** A running scripted model. */
export interface ScriptedModel {
  /** The `base_url` to give Codex (ends in `/v1`; Codex POSTs `{url}/responses`). */
  url: string;
  /** Every request received, oldest first (live array). */
  requests: RecordedRequest[];
  /** Replaces the faults to inject into the next requests (empty list clears them). */
  setFaults(faults: readonly Fault[]): void;
  /** Stops the server, cutting open streams. */
  close(): Promise<void>;
}

const MAX_BODY_BYTES = 32 * 1024 * 1024;

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        reject(new Error("request body too large"));
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on("end", () => resolve(Buffer.concat(chunks)));
    req.on("error", reject);
  });
}

function headerRecord(req: IncomingMessage): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (value === undefined) continue;
    headers[name] = name === "authorization" ? "[redacted]" : String(value);
  }
  return headers;
}

function bearerToken(req: IncomingMessage): string | null {
  const match = /^Bearer\s+(.+)$/i.exec(req.headers.authorization ?? "");
  return match?.[1] ?? null;
}

function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  res.writeHead(status, { "content-type": "application/json", ...headers });
  res.end(JSON.stringify(body));
}

/**
 * Starts the scripted model: a local HTTP server speaking enough of the OpenAI Responses
 * API (SSE) to drive the real Codex binary, which then really runs the scripted commands
 * and applies the scripted patches in its working directory.
 */
export async function startScriptedModel(options: ScriptedModelOptions): Promise<ScriptedModel> {
  const { scripts, logger } = options;
  const requests: RecordedRequest[] = [];
  const faults = new FaultQueue();
  const timers = new Set<NodeJS.Timeout>();

  // Resolves after `ms`, or early when the client went away; tells which happened.
  const wait = (ms: number, res: ServerResponse): Promise<boolean> =>
    new Promise((resolve) => {
      if (res.destroyed) return resolve(false);
      const onClose = (): void => {
        clearTimeout(timer);
        timers.delete(timer);
        resolve(false);
      };
      const timer = setTimeout(() => {
        timers.delete(timer);
        res.off("close", onClose);
        resolve(!res.destroyed);
      }, ms);
      timers.add(timer);
      res.once("close", onClose);
    });

  async function answer(
    ctx: ScriptContext,
    bytes: number,
    fault: FaultSpec | null,
    res: ServerResponse,
    record: RecordedRequest,
  ): Promise<void> {
    if (fault?.kind === "http_error") {
      const { headers, body } = httpErrorResponse(fault);
      sendJson(res, fault.status, body, headers);
      return;
    }
    const plan = planResponse(scripts, ctx, bytes);
    record.script = plan.script;
    record.turnIndex = plan.turnIndex;
    record.stepIndex = plan.stepIndex;
    const responseId = `resp_${randomUUID().replaceAll("-", "")}`;
    writeCreated(res, responseId, ctx.model);
    if (fault?.kind === "drop") {
      // Give the bytes a moment to leave, then cut the connection without a clean end.
      await wait(20, res);
      res.socket?.destroy();
      return;
    }
    if (fault?.kind === "response_failed") {
      writeFailed(
        res,
        responseId,
        fault.code ?? "server_error",
        fault.message ?? "Scripted model failure.",
      );
      res.end();
      return;
    }
    if (fault?.kind === "stall" && !(await wait(fault.stallMs, res))) return;
    if (plan.delayMs > 0 && !(await wait(plan.delayMs, res))) return;
    plan.items.forEach((item, index) => writeItem(res, index, item));
    writeCompleted(res, responseId, plan.usage);
    res.end();
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = new URL(req.url ?? "/", "http://localhost").pathname;
    let raw = await readBody(req);
    if (req.headers["content-encoding"] === "gzip") raw = gunzipSync(raw);
    let body: unknown;
    try {
      body = raw.length > 0 ? JSON.parse(raw.toString("utf8")) : null;
    } catch {
      body = null;
    }
    const isResponses = req.method === "POST" && path.endsWith("/responses");
    const ctx = isResponses ? buildScriptContext(body) : null;
    const fault = ctx === null ? null : faults.take(ctx);
    const record: RecordedRequest = {
      at: new Date().toISOString(),
      method: req.method ?? "",
      path,
      headers: headerRecord(req),
      bearerToken: bearerToken(req),
      body,
      context: ctx,
      script: null,
      turnIndex: null,
      stepIndex: null,
      fault: fault?.kind ?? null,
    };
    requests.push(record);
    if (ctx === null) {
      sendJson(res, 404, {
        error: {
          message: `Scripted model: no route ${req.method} ${path}`,
          type: "not_found",
          code: null,
        },
      });
      return;
    }
    await answer(ctx, raw.length, fault, res, record);
    logger?.debug(
      {
        path,
        script: record.script,
        turnIndex: record.turnIndex,
        stepIndex: record.stepIndex,
        fault: record.fault,
      },
      "scripted model answered",
    );
  }

  const server = http.createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      logger?.warn({ err: error }, "scripted model request failed");
      if (!res.headersSent)
        sendJson(res, 500, {
          error: { message: "Scripted model internal error.", type: "server_error", code: null },
        });
      else res.destroy();
    });
  });

  const host = options.host ?? "127.0.0.1";
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const url = `http://${host}:${port}/v1`;
  logger?.info({ url, scripts: scripts.map((script) => script.name) }, "scripted model listening");

  return {
    url,
    requests,
    setFaults: (list) => faults.set(list),
    close: () =>
      new Promise<void>((resolve, reject) => {
        for (const timer of timers) clearTimeout(timer);
        timers.clear();
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}
