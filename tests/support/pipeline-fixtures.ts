import type { TaskEvent } from "../../shared/task-event.js";
import type { Analysis } from "../../shared/analysis.js";
import type { Script } from "../../server/sandbox/scripted-model/index.js";
import { BUGGY_SUM, SUM_FIX_PATCH, SUM_TEST } from "./codex-fixtures.js";

/** A tiny project whose `npm test` fails until sum() adds. */
export const SUM_PROJECT: Record<string, string> = {
  "package.json": JSON.stringify(
    { name: "calc", private: true, type: "module", scripts: { test: "node --test" } },
    null,
    2,
  ),
  "src/sum.js": BUGGY_SUM,
  "test/sum.test.js": SUM_TEST,
};

/** The analysis the scripted model gives for the sum bug. */
export const SUM_ANALYSIS: Analysis = {
  fixable: true,
  rootCause: "sum() subtracts its arguments.",
  plan: ["Use + in src/sum.js", "Run npm test"],
  files: ["src/sum.js"],
  confidence: "high",
  notFixableReason: null,
};

/**
 * The scripted agent for a ticket of {@link SUM_PROJECT}: reads and analyzes (turn 1),
 * prints its environment, patches, runs `npm test` and summarises (turn 2), and adds a
 * regression test on a follow-up.
 */
export function pipelineScript(ticketKey: string): Script {
  return {
    name: `pipeline-${ticketKey}`,
    match: (ctx) => ctx.userMessages.some((m) => m.includes(ticketKey)),
    turns: [
      {
        match: /Step 1 of 2/,
        steps: [
          { kind: "shell", command: "cat src/sum.js", reasoning: "Reading sum()." },
          { kind: "json", value: SUM_ANALYSIS },
        ],
      },
      {
        match: /Step 2 of 2/,
        steps: [
          { kind: "shell", command: "env" },
          { kind: "patch", patch: SUM_FIX_PATCH },
          { kind: "shell", command: "npm test" },
          (ctx) => ({
            kind: "message",
            text:
              ctx.toolOutputs.at(-1)?.exitCode === 0
                ? "sum() now adds; npm test passes."
                : "npm test still fails.",
          }),
        ],
      },
      {
        match: /Follow-up from/,
        steps: [
          {
            kind: "patch",
            patch: [
              "*** Begin Patch",
              "*** Add File: test/sum-regression.test.js",
              '+import { test } from "node:test";',
              '+import assert from "node:assert/strict";',
              '+import { sum } from "../src/sum.js";',
              '+test("sum of negatives", () => assert.equal(sum(-2, -3), -5));',
              "*** End Patch",
            ].join("\n"),
          },
          { kind: "shell", command: "npm test" },
          { kind: "message", text: "Added a regression test; npm test passes." },
        ],
      },
    ],
  };
}

/** The completed commands of a task's stored events. */
export function completedCommandsOf(
  events: readonly TaskEvent[],
): { command: string; output: string; exitCode: number | undefined }[] {
  return events.flatMap((event) =>
    event.type === "agent" &&
    event.payload.type === "item.completed" &&
    event.payload.item.type === "command_execution"
      ? [
          {
            command: event.payload.item.command,
            output: event.payload.item.aggregated_output,
            exitCode: event.payload.item.exit_code,
          },
        ]
      : [],
  );
}
