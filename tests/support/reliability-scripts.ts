import type { Script, ScriptContext, StepSpec } from "../../server/sandbox/scripted-model/index.js";
import { SUM_FIX_PATCH } from "./codex-fixtures.js";
import { CALC_ANALYSIS } from "./codex-scripts.js";

/** The ticket key a thread is about (from its first prompt). */
export function ticketOf(ctx: ScriptContext): string | null {
  return /\bCALC-\d+\b/.exec(ctx.firstUserMessage)?.[0] ?? null;
}

/** Tickets whose turns the model holds (answers after `HOLD_MS`) while they are listed. */
export interface Holds {
  analyze: Set<string>;
  fix: Set<string>;
}

/** `sum` after merging a base that made it coerce its arguments with the task's fix. */
export const RESOLVED_SUM = "export function sum(a, b) {\n  return Number(a) + Number(b);\n}\n";

/** Long enough for a test to kill the server while the model holds a turn. */
export const HOLD_MS = 120_000;

function held(set: Set<string>, ctx: ScriptContext): number {
  const key = ticketOf(ctx);
  return key !== null && set.has(key) ? HOLD_MS : 0;
}

/**
 * The calc bug on every CALC ticket: analyze (read, answer the JSON), fix (patch, then
 * run the tests), resume after an interruption (idempotent edit, tests), follow-up.
 * `holds` stalls the analysis (before its first step) or the fix (after the patch).
 */
export function calcFixScript(holds: Holds = { analyze: new Set(), fix: new Set() }): Script {
  return {
    name: "reliability-calc",
    match: /CALC-\d+/,
    turns: [
      {
        match: /analy[sz]e only/i,
        steps: [
          (ctx) => ({
            kind: "shell",
            command: "cat src/sum.js",
            delayMs: held(holds.analyze, ctx),
          }),
          { kind: "json", value: CALC_ANALYSIS },
        ],
      },
      {
        match: /implement the fix/i,
        steps: [
          { kind: "patch", patch: SUM_FIX_PATCH },
          (ctx) => ({ kind: "shell", command: "node --test", delayMs: held(holds.fix, ctx) }),
          testVerdict,
        ],
      },
      {
        match: /previous attempt/i,
        steps: [
          // Idempotent: the fix may or may not have been applied before the interruption.
          { kind: "shell", command: "sed -i 's/a - b/a + b/' src/sum.js" },
          { kind: "shell", command: "node --test" },
          testVerdict,
        ],
      },
      {
        match: /Follow-up from/i,
        steps: [
          // Told of a conflict, the agent resolves it keeping both sides' intent.
          (ctx) =>
            /conflicts in: src\/sum\.js/.test(ctx.latestUserMessage)
              ? { kind: "shell", command: `printf '%s' '${RESOLVED_SUM}' > src/sum.js` }
              : { kind: "shell", command: "git log --oneline -5" },
          { kind: "shell", command: "node --test" },
          testVerdict,
        ],
      },
    ],
  };
}

function testVerdict(ctx: ScriptContext): StepSpec {
  const tests = ctx.toolOutputs.at(-1);
  return {
    kind: "message",
    text: tests?.exitCode === 0 ? "Fixed sum() to add; the tests pass." : "The tests still fail.",
  };
}

/** A one-turn scenario: the analysis says "not fixable" (fast: no fix turn, no pull request). */
export const notFixableScript: Script = {
  name: "reliability-not-fixable",
  match: /CALC-\d+/,
  turns: [
    {
      match: /analy[sz]e only/i,
      steps: [
        (ctx) => ({
          kind: "json",
          value: {
            ...CALC_ANALYSIS,
            fixable: false,
            notFixableReason: "Configuration, not code.",
          },
          // The duplicate-click ticket stays active while all its clicks arrive: a click
          // after the task ended rightly starts a new one.
          delayMs: ticketOf(ctx) === DUPLICATE_CLICK_TICKET ? 5_000 : 0,
        }),
      ],
    },
  ],
};

/** The ticket the duplicate-click test clicks 100 times at once. */
export const DUPLICATE_CLICK_TICKET = "CALC-51";
