import type { PullRequestReview } from "../../../shared/review.js";
import type { Script, ScriptContext } from "../scripted-model/index.js";
import { withPacing, type Pacing } from "./scenario-kit.js";

const REVIEW_PROMPT = /Review pull request #(\d+) of /;
/** The title, inside the prompt's fenced pull request text (see review-text.ts). */
const TITLE_LINE = /^Title: (.*)$/m;

/**
 * What the sandbox's scripted reviewer says about a pull request, from the diff in the
 * prompt alone: how much changed, whether tests changed with it, and a few patterns that
 * deserve a second look. A real model reads the code; this one is honest about being a
 * script, but its answer follows the change it was given.
 */
export function scriptedReview(ctx: ScriptContext): PullRequestReview {
  const prompt = ctx.firstUserMessage;
  const [, number = "0"] = REVIEW_PROMPT.exec(prompt) ?? [];
  const [, title = ""] = TITLE_LINE.exec(prompt) ?? [];
  const files = [...prompt.matchAll(/^diff --git a\/(\S+) b\//gm)].map((m) => m[1] ?? "");
  const added = (prompt.match(/^\+(?!\+\+)/gm) ?? []).length;
  const removed = (prompt.match(/^-(?!--)/gm) ?? []).length;
  const tests = files.filter((f) => /(^|\/)(test|tests|__tests__)\/|\.test\.[jt]s$/.test(f));
  const concerns = [
    ...(/^\+.*\beval\s*\(/m.test(prompt) ? ["Adds a call to eval()"] : []),
    ...(/^\+.*(password|secret|api[_-]?key)\s*[:=]/im.test(prompt)
      ? ["Adds what looks like a credential"]
      : []),
  ];
  const risk: PullRequestReview["risk_level"] =
    concerns.length > 0 ? "high" : tests.length === 0 || added + removed > 200 ? "medium" : "low";
  return {
    pr_number: Number(number),
    title,
    summary:
      `Scripted review: ${files.length} file(s) changed (+${added} −${removed})` +
      (files.length > 0 ? `: ${files.slice(0, 5).join(", ")}` : "") +
      ". The sandbox's model is a script; connect a real model for a real review.",
    risk_level: risk,
    security_concerns: concerns,
    test_notes:
      tests.length > 0
        ? `Tests changed with the code: ${tests.join(", ")}.`
        : "No test file changed with this pull request.",
  };
}

/** The sandbox's nightly reviewer: one read-only look at the head, then the structured review. */
export function reviewScript(pacing: Pacing): Script {
  return withPacing(
    {
      name: "sandbox-reviewer",
      match: /Review pull request #\d+/,
      turns: [
        {
          match: /Review pull request/,
          steps: [
            { kind: "shell", command: "git log --oneline -3", reasoning: "Looking at the head." },
            (ctx) => ({ kind: "json", value: scriptedReview(ctx) }),
          ],
        },
      ],
    },
    pacing,
  );
}
