import type { TestVerdict } from "../../../shared/test-verdict.js";

/** How many test names a pull request body or a Jira comment lists per kind. */
const MAX_LISTED = 15;
/** How much of the run's output the pull request body quotes. */
const TAIL_LINES = 30;

/** How the verdict is quoted: in the body a pull request opens with, or in a later comment. */
export interface VerdictTextOptions {
  /**
   * Whether to say that a failing verdict makes the pull request a draft: true in the body
   * it opens with; false in a follow-up's comment, where a person may have marked it ready.
   */
  draftNote?: boolean;
}

/**
 * The server's test verdict in a few lines for a pull request body or comment (markdown):
 * what ran, how it ended against the base, and which tests the change broke, fixed, or
 * found already failing. `null` means the server has no verdict (no run happened).
 */
export function verdictMarkdown(
  verdict: TestVerdict | null,
  options: VerdictTextOptions = {},
): string[] {
  const draftNote = options.draftNote ?? true;
  if (verdict === null || verdict.result === "not_run") {
    return [
      `No tests were run: no test command is configured for this repository${draftNote ? ", so this pull request is a draft" : ""}.`,
    ];
  }
  const lines = [
    `The server ran \`${verdict.command ?? ""}\` itself (isolated, network off): ${headline(verdict, draftNote)}`,
  ];
  lines.push(...listed("New failures (passed on the base branch)", verdict.newFailures, "- "));
  lines.push(...listed("Fixed (failed on the base branch)", verdict.fixed, "- "));
  lines.push(
    ...listed(
      "Already failing on the base branch (not caused by this change)",
      verdict.stillFailing,
      "- ",
    ),
  );
  const tail = verdict.outputTail.trimEnd().split("\n").slice(-TAIL_LINES).join("\n");
  if (!verdict.ready && tail !== "") {
    lines.push(
      "",
      "<details><summary>Last lines of the output</summary>",
      "",
      "```",
      tail.replace(/```/g, "`\u200b``"),
      "```",
      "</details>",
    );
  }
  return lines;
}

/** The verdict in plain text for the Jira comment. */
export function verdictPlainText(verdict: TestVerdict | null): string {
  if (verdict === null || verdict.result === "not_run") {
    return "No tests were run (no test command is configured); an engineer should check the change.";
  }
  return [
    `Tests run by Patchboard's server: ${headline(verdict, true)}`,
    ...listed("New failures", verdict.newFailures, "- "),
    ...listed("Already failing before this change", verdict.stillFailing, "- "),
  ].join("\n");
}

function headline(verdict: TestVerdict, draftNote: boolean): string {
  const draft = draftNote ? "; this pull request is a draft" : "";
  const seconds = `${(verdict.durationMs / 1000).toFixed(1)} s`;
  const counts =
    verdict.total !== null && verdict.passed !== null
      ? `, ${verdict.passed} of ${verdict.total} passed`
      : "";
  switch (verdict.result) {
    case "passed":
      return `**passed** (${seconds}${counts}).`;
    case "no_new_failures":
      return `**no new failures** (${seconds}${counts}): every failing test already failed on the base branch.`;
    case "error":
      return `**did not finish** (${seconds}, timed out or killed)${draft}.`;
    default:
      return `**failed** (exit code ${verdict.exitCode ?? "none"}, ${seconds}${counts})${draft}.`;
  }
}

function listed(title: string, names: readonly string[], bullet: string): string[] {
  if (names.length === 0) return [];
  const shown = names.slice(0, MAX_LISTED).map((name) => `${bullet}${name}`);
  if (names.length > MAX_LISTED) shown.push(`${bullet}… and ${names.length - MAX_LISTED} more`);
  return ["", `${title}:`, ...shown];
}
