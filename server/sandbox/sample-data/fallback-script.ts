import type { Script } from "../scripted-model/index.js";
import {
  failingFiles,
  genericFollowUp,
  testCounts,
  TURN_PATTERNS,
  withPacing,
  type Pacing,
} from "./scenario-kit.js";

/** The first line of the person's request inside a free-form prompt (see `freeFormPrompt`). */
function requestExcerpt(prompt: string): string {
  const request = prompt.split("\n\n").slice(1).join("\n\n").trim();
  const first = request.split("\n")[0]?.trim() ?? "";
  return first.length > 120 ? `${first.slice(0, 117)}...` : first;
}

/**
 * Anything no ticket scenario matches: free-form "New task" prompts, or a ticket the
 * sandbox has no scenario for. The scripted model cannot follow an arbitrary request, so
 * it looks at the repository, runs the tests and says honestly what it found, without
 * changing any file.
 */
export function fallbackScript(pacing: Pacing): Script {
  return withPacing(
    {
      name: "sandbox-fallback",
      match: () => true,
      turns: [
        genericFollowUp(null),
        {
          match: TURN_PATTERNS.analyze,
          steps: [
            {
              kind: "json",
              reasoning: "There is no scripted scenario for this ticket.",
              value: {
                fixable: false,
                rootCause:
                  "The sandbox's scripted model only knows the sample tickets, so it cannot analyze this one.",
                plan: ["Connect a real Codex model (see the README) to work on this ticket"],
                files: [],
                confidence: "low",
                notFixableReason:
                  "The sandbox's scripted model has no scenario for this ticket; a real Codex model is needed.",
              },
            },
          ],
        },
        {
          match: () => true,
          steps: [
            {
              kind: "shell",
              command: "ls src test",
              reasoning: "Getting a feel for the repository.",
            },
            { kind: "shell", command: "cat package.json" },
            { kind: "shell", command: "git log --oneline -6" },
            { kind: "shell", command: "npm test", reasoning: "Running the whole test suite." },
            (ctx) => {
              const output = ctx.toolOutputs.at(-1)?.output ?? "";
              const counts = testCounts(output);
              const files = failingFiles(output);
              const excerpt = requestExcerpt(ctx.latestUserMessage);
              const suite =
                ctx.toolOutputs.at(-1)?.exitCode === 0
                  ? "`npm test` passes."
                  : `\`npm test\` fails: ${counts.fail ?? "some"} of ${counts.tests ?? "the"} tests, in ${files.map((f) => `\`${f}\``).join(", ") || "several files"}.`;
              return {
                kind: "message",
                text: [
                  "This sandbox runs a scripted model, which cannot carry out free-form requests, so I changed nothing and looked at the repository instead.",
                  "",
                  `- acme/storefront is a small ESM library (cart, coupons, tax, shipping, delivery estimates, slugs, payment methods) tested with \`node:test\`.`,
                  `- ${suite}`,
                  "- Those failures are the open SHOP bugs on the Tickets page: open one and click **Fix this bug** to watch the agent fix it.",
                  ...(excerpt
                    ? ["", `Your request was: "${excerpt}". A real Codex model would work on it.`]
                    : []),
                ].join("\n"),
              };
            },
          ],
        },
      ],
    },
    pacing,
  );
}
