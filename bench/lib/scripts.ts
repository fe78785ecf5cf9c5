import type { Script } from "../../server/sandbox/scripted-model/index.js";
import { pipelineScript, SUM_ANALYSIS } from "../../tests/support/pipeline-fixtures.js";
import { SUM_FIX_PATCH } from "../../tests/support/codex-fixtures.js";

/** Tickets of the slow script: a long-running task for the fan-out and memory figures. */
export const SLOW_TICKET_PREFIX = "BENCH-9";

/**
 * A fix that keeps the agent busy for a while: `steps` short commands, `delayMs` apart,
 * each one stored and streamed as events, before the usual analysis and fix.
 */
function slowScript(steps: number, delayMs: number): Script {
  return {
    name: "bench-slow",
    match: (ctx) => ctx.userMessages.some((m) => m.includes(SLOW_TICKET_PREFIX)),
    turns: [
      {
        match: /Step 1 of 2/,
        steps: [
          ...Array.from({ length: steps }, (_, i) => ({
            kind: "shell" as const,
            command: `echo tick ${i}`,
            delayMs,
          })),
          { kind: "json", value: SUM_ANALYSIS },
        ],
      },
      {
        match: /Step 2 of 2/,
        steps: [
          { kind: "patch", patch: SUM_FIX_PATCH },
          { kind: "shell", command: "npm test" },
          { kind: "message", text: "sum() now adds; npm test passes." },
        ],
      },
    ],
  };
}

/** The scripts of a bench run: the slow fix first (its tickets are specific), then the normal one. */
export function benchScripts(slow: { steps: number; delayMs: number }): Script[] {
  return [slowScript(slow.steps, slow.delayMs), pipelineScript("BENCH-")];
}
