import { startScriptedModel } from "../../server/sandbox/scripted-model/index.js";
import type { Script, ScriptedModel } from "../../server/sandbox/scripted-model/index.js";
import {
  environmentContext,
  parseSse,
  responsesBody,
  userMessage,
} from "../support/codex-requests.js";

const script: Script = {
  name: "hello",
  match: /HELLO-1/,
  turns: [
    {
      match: /.*/,
      steps: [
        {
          kind: "message",
          text: "Hello!",
          delayMs: 150,
          usage: { inputTokens: 11, cachedInputTokens: 2, outputTokens: 3 },
        },
      ],
    },
  ],
};

const body = responsesBody([environmentContext("/repo"), userMessage("HELLO-1 please")]);

describe("scripted model server", () => {
  let model: ScriptedModel;

  beforeEach(async () => {
    model = await startScriptedModel({ scripts: [script] });
  });

  afterEach(async () => {
    await model.close();
  });

  function post(payload: unknown = body): Promise<Response> {
    return fetch(`${model.url}/responses`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: "Bearer sk-unit" },
      body: JSON.stringify(payload),
    });
  }

  it("listens on loopback and streams a Responses API answer", async () => {
    expect(model.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/v1$/);
    const started = Date.now();
    const res = await post();
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("text/event-stream");
    const events = parseSse(await res.text());
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
    expect(events.map((e) => e.event)).toEqual([
      "response.created",
      "response.output_item.added",
      "response.output_item.done",
      "response.completed",
    ]);
    expect(events.every((e) => e.data.type === e.event)).toBe(true);
    expect(events[2]?.data.item).toMatchObject({
      type: "message",
      content: [{ type: "output_text", text: "Hello!" }],
    });
    expect(events[3]?.data.response).toMatchObject({
      usage: {
        input_tokens: 11,
        input_tokens_details: { cached_tokens: 2 },
        output_tokens: 3,
        total_tokens: 14,
      },
    });
  });

  it("records each request with its context, redacting the authorization header", async () => {
    await (await post()).text();
    const [record] = model.requests;
    expect(record).toMatchObject({
      method: "POST",
      path: "/v1/responses",
      bearerToken: "sk-unit",
      script: "hello",
      turnIndex: 0,
      stepIndex: 0,
      fault: null,
    });
    expect(record?.headers.authorization).toBe("[redacted]");
    expect(record?.context?.latestUserMessage).toBe("HELLO-1 please");
  });

  it("answers unknown routes with 404 and unmatched prompts with a message", async () => {
    const missing = await fetch(`${model.url}/models`);
    expect(missing.status).toBe(404);
    const res = await post(responsesBody([userMessage("something else")]));
    expect(await res.text()).toContain("No script matches this request");
  });

  it("injects HTTP errors with Retry-After, then recovers", async () => {
    model.setFaults([{ kind: "http_error", status: 429, retryAfterSeconds: 2, count: 2 }]);
    for (let i = 0; i < 2; i += 1) {
      const res = await post();
      expect(res.status).toBe(429);
      expect(res.headers.get("retry-after")).toBe("2");
      expect(await res.json()).toMatchObject({ error: { code: "rate_limit_exceeded" } });
    }
    expect((await post()).status).toBe(200);
    expect(model.requests.map((r) => r.fault)).toEqual(["http_error", "http_error", null]);
  });

  it("injects response.failed, a dropped connection and a stall", async () => {
    model.setFaults([
      { kind: "response_failed", code: "server_error", message: "nope" },
      { kind: "drop" },
      { kind: "stall", stallMs: 300 },
    ]);
    const failed = parseSse(await (await post()).text());
    expect(failed.map((e) => e.event)).toEqual(["response.created", "response.failed"]);
    expect(failed[1]?.data.response).toMatchObject({
      error: { code: "server_error", message: "nope" },
    });

    const dropped = await post();
    await expect(dropped.text()).rejects.toThrow();

    const started = Date.now();
    const stalled = parseSse(await (await post()).text());
    expect(Date.now() - started).toBeGreaterThanOrEqual(440);
    expect(stalled.at(-1)?.event).toBe("response.completed");
  });

  it("closes promptly even while a stream is stalled", async () => {
    model.setFaults([{ kind: "stall", stallMs: 60_000 }]);
    const pending = post()
      .then((res) => res.text())
      .catch(() => "cut");
    await new Promise((resolve) => setTimeout(resolve, 100));
    const started = Date.now();
    await model.close();
    expect(Date.now() - started).toBeLessThan(1_000);
    await pending;
    // Closing twice (afterEach) must not throw.
    model = await startScriptedModel({ scripts: [] });
  });
});
