import type { Analysis } from "../../shared/analysis.js";
import type { Script } from "../../server/sandbox/scripted-model/index.js";
import { SUM_FIX_PATCH } from "./codex-fixtures.js";

/** Scripts for the Codex adapter's integration tests. */

/** The analysis the scripted model returns for CALC-7. */
export const CALC_ANALYSIS: Analysis = {
  fixable: true,
  rootCause: "sum() subtracts its arguments instead of adding them.",
  plan: ["Use + in src/sum.js", "Run the test suite"],
  files: ["src/sum.js"],
  confidence: "high",
  notFixableReason: null,
};

/** CALC-7: analyze (read the file, answer JSON), implement (plan, patch, test), then follow-ups. */
export const calcScript: Script = {
  name: "calc-sum-bug",
  match: /CALC-7/,
  turns: [
    {
      match: /analy[sz]e/i,
      steps: [
        { kind: "shell", command: "cat src/sum.js", reasoning: "Reading the sum implementation." },
        { kind: "json", value: CALC_ANALYSIS },
      ],
    },
    {
      match: /implement/i,
      steps: [
        {
          kind: "plan",
          explanation: "Fix the operator, then run the tests.",
          items: [
            { step: "Fix sum()", status: "in_progress" },
            { step: "Run the tests", status: "pending" },
          ],
        },
        { kind: "patch", patch: SUM_FIX_PATCH },
        { kind: "shell", command: "node --test" },
        (ctx) => {
          const tests = ctx.toolOutputs.at(-1);
          return {
            kind: "message",
            text:
              tests?.exitCode === 0
                ? "Fixed sum() to add; the tests pass."
                : `The tests still fail (exit code ${String(tests?.exitCode)}).`,
          };
        },
      ],
    },
    {
      match: /environment/i,
      steps: [
        { kind: "shell", command: "env" },
        { kind: "message", text: "Printed the environment." },
      ],
    },
    {
      match: /sleep/i,
      steps: [
        { kind: "shell", command: "sleep 27.25" },
        { kind: "message", text: "Woke up." },
      ],
    },
  ],
};
