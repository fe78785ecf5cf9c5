import http from "node:http";
import type { AddressInfo } from "node:net";
import { once } from "node:events";
import { pino } from "pino";
import { startModelGateway, type ModelGateway } from "../../server/adapters/model-gateway/index.js";
import type { ModelUsage, UsageMeter } from "../../server/domain/ports/usage-meter.js";

const KEY = "sk-real-key-for-the-proxy-test";
const COMPLETED = {
  type: "response.completed",
  response: {
    usage: {
      input_tokens: 1200,
      input_tokens_details: { cached_tokens: 200 },
      output_tokens: 30,
      output_tokens_details: { reasoning_tokens: 12 },
    },
  },
};

/** An upstream whose answers the test writes by hand, one piece at a time. */
async function startUpstream() {
  const seen: { auth: string | undefined; path: string | undefined; body: string }[] = [];
  const open: http.ServerResponse[] = [];
  const closed: string[] = [];
  const server = http.createServer((req, res) => {
    let body = "";
    req.on("data", (chunk: Buffer) => (body += chunk.toString()));
    req.on("end", () => {
      seen.push({ auth: req.headers.authorization, path: req.url, body });
      res.writeHead(200, { "content-type": "text/event-stream" });
      res.flushHeaders();
      open.push(res);
    });
    res.on("close", () => closed.push(req.url ?? ""));
  });
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/v1`;
  return {
    url,
    seen,
    open,
    closed,
    close: () => {
      server.closeAllConnections();
      server.close();
    },
  };
}

describe("model gateway proxy", () => {
  let upstream: Awaited<ReturnType<typeof startUpstream>>;
  let gateway: ModelGateway;
  const finished: { requestId: string; usage: ModelUsage | null }[] = [];
  let refuse = false;
  const meter: UsageMeter = {
    admit: (ownerId) =>
      Promise.resolve(
        refuse
          ? { refused: { message: `The task's budget (TASK_BUDGET) is spent (${ownerId})` } }
          : { requestId: `req-${finished.length}` },
      ),
    finish: (requestId, usage) => {
      finished.push({ requestId, usage });
      return Promise.resolve();
    },
  };

  beforeAll(async () => {
    upstream = await startUpstream();
    gateway = await startModelGateway({
      upstreamUrl: upstream.url,
      apiKey: KEY,
      meter,
      logger: pino({ level: "silent" }),
    });
  });
  afterAll(async () => {
    await gateway.close();
    upstream.close();
  });
  beforeEach(() => {
    finished.length = 0;
    refuse = false;
  });

  const post = (token: string, signal?: AbortSignal) =>
    fetch(`${gateway.url}/responses?x=1`, {
      method: "POST",
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
      body: JSON.stringify({ model: "m", stream: true }),
      ...(signal === undefined ? {} : { signal }),
    });

  it("forwards with the real key and streams each event as it arrives, unchanged", async () => {
    const grant = gateway.grant("task-1");
    const { token } = grant;
    const response = await post(token);
    expect(response.status).toBe(200);
    expect(upstream.seen.at(-1)).toEqual({
      auth: `Bearer ${KEY}`,
      path: "/api/v1/responses?x=1",
      body: JSON.stringify({ model: "m", stream: true }),
    });
    const reader = response.body!.getReader();
    const res = upstream.open.at(-1)!;
    const first = 'event: response.created\ndata: {"type":"response.created"}\n\n';
    res.write(first);
    // The first event reaches the client while the upstream response is still open.
    expect(new TextDecoder().decode((await reader.read()).value)).toBe(first);
    // The final event split mid-JSON across writes: passed on as is, read on the side.
    const last = `event: response.completed\r\ndata: ${JSON.stringify(COMPLETED)}\r\n\r\n`;
    res.write(last.slice(0, 40));
    res.end(last.slice(40));
    let rest = "";
    for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) {
      rest += new TextDecoder().decode(chunk.value);
    }
    expect(rest).toBe(last);
    expect(finished).toEqual([
      {
        requestId: "req-0",
        usage: { inputTokens: 1200, cachedInputTokens: 200, outputTokens: 30, reasoningTokens: 12 },
      },
    ]);
    grant.revoke();
    expect((await post(token)).status).toBe(401);
  });

  it("aborts the upstream request when the client goes away", async () => {
    const { token } = gateway.grant("task-2");
    const abort = new AbortController();
    const response = await post(token, abort.signal);
    const reader = response.body!.getReader();
    upstream.open.at(-1)!.write('data: {"type":"response.created"}\n\n');
    await reader.read();
    const closedBefore = upstream.closed.length;
    abort.abort();
    await expect.poll(() => upstream.closed.length).toBe(closedBefore + 1);
    expect(finished).toEqual([{ requestId: "req-0", usage: null }]);
  });

  it("refuses unknown tokens and requests past a budget, without calling upstream", async () => {
    const before = upstream.seen.length;
    const unknown = await post("pbgw_not-a-token");
    expect(unknown.status).toBe(401);
    refuse = true;
    const { token } = gateway.grant("task-3");
    const refused = await post(token);
    expect(refused.status).toBe(400);
    expect(await refused.json()).toEqual({
      error: {
        message: "Patchboard: The task's budget (TASK_BUDGET) is spent (task-3)",
        type: "invalid_request_error",
        code: "budget_exceeded",
      },
    });
    expect(upstream.seen.length).toBe(before);
  });
});
