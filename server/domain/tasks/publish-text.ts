import type { PullRequest, Task } from "../../../shared/task.js";
import type { RepoConfig } from "../repo-config.js";
import type { RunRequest } from "./run-context.js";

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
export function pullRequestBody(input: { task: Task; repo: RepoConfig; summary: string }): string {
  const { task, repo, summary } = input;
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
  lines.push("## Change", "", summary.trim() || "(no summary)", "", "## Tests", "");
  if (repo.testCommand === null) {
    lines.push("No test command is configured for this repository.");
  } else {
    const verdict =
      task.testsPassed === true
        ? "passed"
        : task.testsPassed === false
          ? "**failed** — this pull request is a draft until they pass"
          : "were not run by the agent — this pull request is a draft";
    lines.push(`\`${repo.testCommand}\` ${verdict}.`);
  }
  lines.push("", "---", `Opened by Patchboard for ${task.createdBy} (task \`${task.id}\`).`);
  return lines.join("\n");
}

/** The Jira comment that links the pull request. */
export function jiraPrComment(task: Task, pr: PullRequest): string {
  return [
    `Patchboard opened a pull request${pr.draft ? " (draft)" : ""} for this bug: ${pr.url}`,
    task.analysis ? `Root cause: ${task.analysis.rootCause}` : "",
    task.testsPassed === true
      ? "The tests pass on the branch."
      : "The tests do not pass yet; an engineer should look.",
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

/** The pull request comment after a follow-up pushed new commits. */
export function followUpPrComment(input: {
  request: RunRequest;
  summary: string;
  sha: string | null;
}): string {
  const lines = [];
  if (input.request.action === "follow_up" && input.request.message) {
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
  );
  return lines.join("\n");
}
