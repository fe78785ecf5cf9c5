import type { PullRequest, Task } from "../../../shared/task.js";
import type { RepoConfig } from "../repo-config.js";
import type { TestVerdict } from "../../../shared/test-verdict.js";
import type { RunRequest } from "./run-context.js";
import { verdictMarkdown, verdictPlainText } from "./verdict-text.js";

/** The pull request's title: the ticket key first, so GitHub and Jira link them. */
export function pullRequestTitle(task: Task): string {
  if (task.kind === "fix" && task.ticketSnapshot !== null) {
    return `${task.ticketSnapshot.key}: ${task.ticketSnapshot.summary}`.slice(0, 240);
  }
  const first = (task.prompt ?? "Codex change").split("\n")[0]?.trim() ?? "Codex change";
  return `Codex: ${first}`.slice(0, 240);
}

/**
 * The pull request's body: the ticket link, the analysis, what changed, and how the tests
 * went. Ticket text is not repeated here: it is untrusted and already on the ticket.
 */
export function pullRequestBody(input: {
  task: Task;
  repo: RepoConfig;
  summary: string;
  /** The server's own test verdict; null when it ran none. */
  verdict: TestVerdict | null;
}): string {
  const { task, summary } = input;
  const lines: string[] = [];
  if (task.ticketSnapshot !== null) {
    lines.push(`Fixes [${task.ticketSnapshot.key}](${task.ticketSnapshot.url}).`, "");
  }
  if (task.analysis !== null) {
    lines.push(
      "## Analysis",
      "",
      `**Root cause:** ${task.analysis.rootCause}`,
      "",
      "**Plan:**",
      ...task.analysis.plan.map((step, i) => `${i + 1}. ${step}`),
      "",
      `**Confidence:** ${task.analysis.confidence}`,
      "",
    );
  }
  // The agent's summary is its own account (tests included); the verdict below is the server's.
  lines.push("## Change (as the agent describes it)", "", summary.trim() || "(no summary)", "");
  lines.push("## Tests", "", ...verdictMarkdown(input.verdict));
  lines.push("", "---", `Opened by Patchboard for ${task.createdBy} (task \`${task.id}\`).`);
  return lines.join("\n");
}

/** The Jira comment that links the pull request, with the server's test verdict. */
export function jiraPrComment(task: Task, pr: PullRequest, verdict: TestVerdict | null): string {
  return [
    `Patchboard opened a pull request${pr.draft ? " (draft)" : ""} for this bug: ${pr.url}`,
    task.analysis ? `Root cause: ${task.analysis.rootCause}` : "",
    verdictPlainText(verdict),
  ]
    .filter(Boolean)
    .join("\n\n");
}

/** The Jira comment for a bug the agent found not fixable in code. */
export function jiraNotFixableComment(task: Task): string {
  const analysis = task.analysis;
  return [
    "Patchboard analyzed this bug and found it cannot be fixed by a code change in the repository.",
    analysis?.notFixableReason ? `Why: ${analysis.notFixableReason}` : "",
    analysis ? `Root cause: ${analysis.rootCause}` : "",
    analysis && analysis.plan.length > 0
      ? `Suggested next steps:\n${analysis.plan.map((s) => `- ${s}`).join("\n")}`
      : "",
  ]
    .filter(Boolean)
    .join("\n\n");
}

/** Starts every pull request comment Patchboard writes; comments with it never start a round. */
export const PATCHBOARD_COMMENT_MARKER = "<!-- patchboard -->";

/**
 * The pull request comment after a follow-up (a person's, a review's or a CI round's):
 * what was pushed, the agent's account, and the server's own test verdict on the result,
 * as the body the pull request opened with has it.
 */
export function followUpPrComment(input: {
  request: RunRequest;
  summary: string;
  sha: string | null;
  /** The server's verdict on this turn's change; null when it has none. */
  verdict: TestVerdict | null;
}): string {
  // The marker lets the webhook tell Patchboard's own comments from people's.
  const lines = [PATCHBOARD_COMMENT_MARKER];
  const source = input.request.source;
  if (input.request.action === "follow_up" && (source === "ci" || source === "review")) {
    // GitHub already shows what was asked; quoting it could repeat a mention.
    lines.push(
      source === "ci"
        ? "Follow-up on the failed checks:"
        : `Follow-up on the review by ${input.request.by}:`,
      "",
    );
  } else if (input.request.action === "follow_up" && input.request.message) {
    lines.push(
      `Follow-up from ${input.request.by}:`,
      "",
      `> ${input.request.message.replace(/\n/g, "\n> ")}`,
      "",
    );
  }
  lines.push(
    input.sha ? `Pushed ${input.sha.slice(0, 12)}:` : "No new changes in this turn.",
    "",
    input.summary.trim() || "(no summary)",
    "",
    "### Tests",
    "",
    ...verdictMarkdown(input.verdict, { draftNote: false }),
  );
  return lines.join("\n");
}
