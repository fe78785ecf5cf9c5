import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/** Options of {@link startFakeSlack}. */
export interface FakeSlackOptions {
  /** Defaults to 127.0.0.1: the fake is never meant to be reachable from elsewhere. */
  host?: string;
  /** Defaults to 0, a random free port. */
  port?: number;
}

/** A running fake Slack incoming webhook. */
export interface FakeSlack {
  /** The webhook URL to configure as SLACK_WEBHOOK_URL. */
  webhookUrl: string;
  /** Every accepted payload, oldest first. */
  readonly payloads: unknown[];
  /** Makes the next `count` posts fail with `status` (and Slack's error word as the body). */
  failNext(count: number, status: number, body?: string): void;
  close(): Promise<void>;
}

/** The path of the one webhook the fake serves; anything else is `404 no_service`, like Slack. */
const HOOK_PATH = "/services/TFAKE0000/BFAKE0000/fakeWebhookSecret0000";
const MAX_BLOCKS = 50;
const MAX_SECTION_TEXT = 3000;

/**
 * Starts a fake Slack incoming webhook on 127.0.0.1 that records what it is sent and
 * answers like Slack: `ok`, or a plain-text error word (`invalid_payload`,
 * `invalid_blocks`, `no_text`) for what Slack itself would reject.
 */
export async function startFakeSlack(options: FakeSlackOptions = {}): Promise<FakeSlack> {
  const payloads: unknown[] = [];
  const failures: { status: number; body: string }[] = [];

  function reply(res: ServerResponse, status: number, body: string): void {
    res.writeHead(status, { "Content-Type": "text/plain; charset=utf-8" });
    res.end(body);
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    if (req.method !== "POST" || new URL(req.url ?? "/", "http://x").pathname !== HOOK_PATH) {
      reply(res, 404, "no_service");
      return;
    }
    const failure = failures.shift();
    if (failure) {
      reply(res, failure.status, failure.body);
      return;
    }
    let body: unknown;
    try {
      body = JSON.parse(Buffer.concat(chunks).toString("utf8"));
    } catch {
      reply(res, 400, "invalid_payload");
      return;
    }
    const problem = validate(body);
    if (problem !== null) {
      reply(res, 400, problem);
      return;
    }
    payloads.push(body);
    reply(res, 200, "ok");
  }

  const server = createServer((req, res) => {
    handle(req, res).catch(() => reply(res, 500, "internal_error"));
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, options.host ?? "127.0.0.1", () => resolve());
  });
  const address = server.address() as AddressInfo;
  const host = address.family === "IPv6" ? `[${address.address}]` : address.address;
  return {
    webhookUrl: `http://${host}:${address.port}${HOOK_PATH}`,
    payloads,
    failNext(count, status, body = status >= 500 ? "internal_error" : "invalid_payload") {
      for (let i = 0; i < count; i++) failures.push({ status, body });
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}

/** What Slack would say about a payload, or null when it would accept it. */
function validate(body: unknown): string | null {
  if (typeof body !== "object" || body === null) return "invalid_payload";
  const { text, blocks } = body as { text?: unknown; blocks?: unknown };
  if (blocks === undefined) return typeof text === "string" && text !== "" ? null : "no_text";
  if (!Array.isArray(blocks) || blocks.length > MAX_BLOCKS) return "invalid_blocks";
  for (const block of blocks as { type?: unknown; text?: { text?: unknown } }[]) {
    if (typeof block.type !== "string") return "invalid_blocks";
    const blockText = block.text?.text;
    if (
      block.type === "section" &&
      (typeof blockText !== "string" || blockText.length > MAX_SECTION_TEXT)
    ) {
      return "invalid_blocks";
    }
  }
  return null;
}
