import http from "node:http";
import { once } from "node:events";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { pino } from "pino";
import { createCodexAgent } from "../../server/adapters/codex/index.js";
import { startModelGateway } from "../../server/adapters/model-gateway/index.js";
import type { UsageMeter } from "../../server/domain/ports/usage-meter.js";
import {
  SCRIPTED_MODEL_NAME,
  startScriptedModel,
  type Script,
} from "../../server/sandbox/scripted-model/index.js";
import { CACHE_DIR } from "../lib/paths.js";
import { median, percentile } from "../lib/stats.js";

/**
 * Figure 7: what the model gateway adds. Per event: a stream of SSE events, each stamped
 * when written, read directly from the upstream and through the gateway (same process,
 * same clock). Per turn: real Codex turns against the scripted model, directly and
 * through the gateway, alternated in the same run.
 */

const EVENTS = 300;
const EVENT_GAP_MS = 2;

/** A meter that admits everything: the figure is the proxy's cost, not the ledger's. */
const openMeter: UsageMeter = {
  admit: () => Promise.resolve({ requestId: "bench" }),
  finish: () => Promise.resolve(),
};

async function startStampingUpstream(): Promise<{ url: string; close(): void }> {
  const server = http.createServer((req, res) => {
    req.resume();
    res.writeHead(200, { "content-type": "text/event-stream" });
    let sent = 0;
    const timer = setInterval(() => {
      const event = {
        type: "response.output_text.delta",
        delta: "x".repeat(80),
        t: performance.now(),
      };
      res.write(`event: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`);
      sent += 1;
      if (sent === EVENTS) {
        clearInterval(timer);
        const done = { type: "response.completed", response: { usage: { input_tokens: 1 } } };
        res.end(`event: response.completed\ndata: ${JSON.stringify(done)}\n\n`);
      }
    }, EVENT_GAP_MS);
    res.on("close", () => clearInterval(timer));
  });
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/v1`, close: () => server.close() };
}

/** Lag (ms) from each event's write upstream to its arrival at the client. */
async function eventLags(url: string, token: string): Promise<number[]> {
  const response = await fetch(`${url}/responses`, {
    method: "POST",
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
    body: "{}",
  });
  const reader = response.body!.getReader();
  const decoder = new TextDecoder();
  const lags: number[] = [];
  let pending = "";
  for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) {
    const now = performance.now();
    pending += decoder.decode(chunk.value, { stream: true });
    let end = pending.indexOf("\n\n");
    while (end >= 0) {
      const stamp = /"t":([\d.]+)/.exec(pending.slice(0, end))?.[1];
      if (stamp !== undefined) lags.push(now - Number(stamp));
      pending = pending.slice(end + 2);
      end = pending.indexOf("\n\n");
    }
  }
  return lags;
}

const turnScript: Script = {
  name: "bench-gateway-turn",
  match: /gateway bench/,
  turns: [
    {
      match: /gateway bench/,
      steps: [
        { kind: "shell", command: "ls" },
        { kind: "shell", command: "cat README.md" },
        { kind: "message", text: "Done." },
      ],
    },
  ],
};

/** The gateway's figures: per-event lag and per-turn time, direct and through the gateway. */
export async function measureGateway(options: { turns: number; log: (m: string) => void }) {
  const logger = pino({ level: "silent" });
  const upstream = await startStampingUpstream();
  const streamGateway = await startModelGateway({
    upstreamUrl: upstream.url,
    apiKey: "sk-bench",
    meter: openMeter,
    logger,
  });
  const direct: number[] = [];
  const proxied: number[] = [];
  try {
    for (let round = 0; round < 5; round += 1) {
      direct.push(...(await eventLags(upstream.url, "sk-bench")));
      proxied.push(...(await eventLags(streamGateway.url, streamGateway.grant("bench").token)));
    }
  } finally {
    await streamGateway.close();
    upstream.close();
  }
  options.log(`gateway: ${direct.length} events each way`);

  const model = await startScriptedModel({ scripts: [turnScript] });
  const turnGateway = await startModelGateway({
    upstreamUrl: model.url,
    apiKey: "sk-bench",
    meter: openMeter,
    logger,
  });
  await mkdir(CACHE_DIR, { recursive: true });
  const root = await mkdtemp(path.join(CACHE_DIR, "gateway-"));
  const repo = path.join(root, "repo");
  await mkdir(repo);
  await writeFile(path.join(repo, "README.md"), "bench\n");
  const agentOptions = {
    apiKey: "sk-bench",
    baseUrl: model.url,
    model: SCRIPTED_MODEL_NAME,
    codexHome: path.join(root, "codex-home"),
    logger,
  };
  const agents = {
    direct: createCodexAgent(agentOptions),
    gateway: createCodexAgent({ ...agentOptions, gateway: turnGateway }),
  };
  const turns = { direct: [] as number[], gateway: [] as number[] };
  try {
    // One warm-up each, then alternate so load drifts hit both alike.
    for (let i = -1; i < options.turns; i += 1) {
      for (const way of ["direct", "gateway"] as const) {
        const started = performance.now();
        await agents[way].runTurn({
          taskId: "bench",
          threadId: null,
          workingDirectory: repo,
          prompt: "gateway bench: list and read.",
          sandbox: "read-only",
          signal: AbortSignal.timeout(120_000),
          onEvent: () => Promise.resolve(),
        });
        if (i >= 0) turns[way].push(performance.now() - started);
      }
    }
  } finally {
    await turnGateway.close();
    await model.close();
    await rm(root, { recursive: true, force: true });
  }
  const summary = (samples: number[]) => ({
    p50: median(samples),
    p99: percentile(samples, 99),
  });
  return {
    events: { direct: summary(direct), gateway: summary(proxied), count: direct.length },
    turns: { direct: median(turns.direct), gateway: median(turns.gateway), samples: turns },
  };
}
