import type { Script } from "../../server/sandbox/scripted-model/index.js";
import { CALC_ANALYSIS } from "../../tests/support/codex-scripts.js";
import { calcFixScript } from "../../tests/support/reliability-scripts.js";
import { waitForFinal } from "../../tests/support/reliability-server.js";
import { startPgCluster } from "../lib/pg-cluster.js";
import { ms, type Row } from "../lib/report.js";
import { lagSummary, spawnSseClients } from "../lib/spawn-sse-clients.js";

/** The ticket whose analysis runs the many short commands. */
const CHATTY_TICKET = "CALC-1";

/** Figure 10: event lag from a worker to an SSE client on the API node. */
export interface LagFigure {
  steps: number;
  events: number;
  lagSamples: number;
  lagP50Ms: number;
  lagP99Ms: number;
  lagMaxMs: number;
}

/**
 * The analysis of {@link CHATTY_TICKET} runs `steps` short commands (each a stored and
 * streamed event or three: the reasoning, the command starting, its result) before the
 * usual answer; the fix is calc's usual one.
 */
function chattyScript(steps: number): Script {
  const calc = calcFixScript();
  return {
    name: "bench-chatty",
    match: new RegExp(`\\b${CHATTY_TICKET}\\b`),
    turns: [
      {
        match: /analy[sz]e only/i,
        steps: [
          ...Array.from({ length: steps }, (_, i) => ({
            kind: "shell" as const,
            command: `echo tick ${i}`,
            reasoning: `Checking step ${i}.`,
          })),
          { kind: "json", value: CALC_ANALYSIS },
        ],
      },
      ...calc.turns.slice(1),
    ],
  };
}

/**
 * Figure 10: one API node and one worker on PostgreSQL; a task on the worker emits many
 * events; one SSE client on the API node, in a process of its own (bench/lib/sse-clients.ts),
 * records each event's arrival. Lag is arrival − the event's stored time (`at`, stamped by
 * the worker as it writes the event; the same machine's clock).
 */
export async function measureLag(options: {
  steps: number;
  log: (m: string) => void;
}): Promise<LagFigure> {
  options.log(`lag: one worker, ${options.steps} commands streamed to the API node…`);
  const cluster = await startPgCluster({
    scripts: [chattyScript(options.steps)],
    tickets: 1,
    workers: 1,
    maxConcurrent: 1,
  });
  try {
    const created = await cluster.api.createFix(CHATTY_TICKET);
    if (created.status !== 202) throw new Error(`POST answered ${created.status}`);
    const clientsProcess = spawnSseClients(cluster.url, created.task.id, cluster.token, 1);
    try {
      const [task] = await waitForFinal(cluster.api, [created.task.id], "the task", 600_000);
      if (task?.status !== "completed") {
        throw new Error(`the task ended ${task?.status}: ${JSON.stringify(task?.error)}`);
      }
      const { lags, eventsPerClient } = await clientsProcess.done;
      return {
        steps: options.steps,
        events: eventsPerClient[0] ?? 0,
        ...lagSummary(lags),
      };
    } finally {
      clientsProcess.kill();
    }
  } finally {
    await cluster.close();
  }
}

/** Figure 10's row. */
export function lagRows(f: LagFigure): Row[] {
  return [
    {
      figure: "10",
      measure: `lag: worker → SSE client on the API node, ${f.lagSamples} events, p50 / p99 (max)`,
      value: `${ms(f.lagP50Ms)} / ${ms(f.lagP99Ms)} (${ms(f.lagMaxMs)})`,
      floor: "",
      ratio: "",
      target: "p99 < 250 ms",
      ok: f.lagP99Ms < 250,
    },
  ];
}
