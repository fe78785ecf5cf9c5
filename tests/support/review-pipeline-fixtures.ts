import type { PullRequestReview, RiskLevel } from "../../shared/review.js";
import type { Script, ScriptContext } from "../../server/sandbox/scripted-model/index.js";

/** One pull request of the pipeline test: its branch, files, and what the model will say. */
export interface PipelinePr {
  branch: string;
  title: string;
  files: Record<string, string>;
  /** The risk the scripted reviewer answers; null: the model API fails for this one. */
  risk: RiskLevel | null;
}

/** Four pull requests on `acme/calc`, opened in this order (#1…#4). */
export const PIPELINE_PRS: PipelinePr[] = [
  {
    branch: "feature/calc-7-sum-overflow",
    title: "Handle overflow in sum()",
    files: { "src/sum.js": "export function sum(a, b) {\n  return eval(`${a}+${b}`);\n}\n" },
    risk: "high",
  },
  {
    branch: "add-logging",
    title: "CALC-8: log every call",
    files: { "src/log.js": "export const log = (m) => console.log(m);\n" },
    risk: "medium",
  },
  {
    branch: "refactor-everything",
    title: "Refactor the build",
    files: { "build.js": "// rewritten\n" },
    risk: null,
  },
  {
    branch: "docs-typo",
    title: "Fix a typo in the README",
    files: { "README.md": "# demo, fixed\n" },
    risk: "low",
  },
];

/** The pull request number a review prompt is about. */
function prNumber(ctx: ScriptContext): number {
  return Number(/Review pull request #(\d+)/.exec(ctx.firstUserMessage)?.[1] ?? 0);
}

/**
 * The scripted reviewer: looks at the change with a read-only command, then answers the
 * structured review for the pull request named in the prompt.
 */
export function reviewerScript(): Script {
  return {
    name: "pr-reviewer",
    match: /Review pull request #\d+/,
    turns: [
      {
        match: /Review pull request/,
        steps: [
          { kind: "shell", command: "git log --oneline -1", reasoning: "Looking at the head." },
          (ctx) => {
            const n = prNumber(ctx);
            const pr = PIPELINE_PRS[n - 1];
            const risk = pr?.risk ?? "low";
            const review: PullRequestReview = {
              pr_number: n,
              title: pr?.title ?? "",
              summary: `Reviewed #${n}: ${risk === "high" ? "evaluates input with eval" : "a small change"}. Saw the diff: ${ctx.firstUserMessage.includes("diff --git") ? "yes" : "no"}.`,
              risk_level: risk,
              security_concerns:
                risk === "high" ? ["eval() on caller input allows code injection"] : [],
              test_notes: risk === "low" ? null : "No test covers the change.",
            };
            return { kind: "json", value: review };
          },
        ],
      },
    ],
  };
}
