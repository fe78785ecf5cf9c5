import type { CheckReport, FailedCheck } from "../ports/code-host.js";

/** The most of one field (a summary, a log) the agent is shown. */
const MAX_FIELD = 4_000;
/** The most of the whole report. */
const MAX_REPORT = 18_000;

function clip(text: string, max = MAX_FIELD): string {
  return text.length > max
    ? `${text.slice(0, max)}\n[… ${text.length - max} more characters]`
    : text;
}

function checkText(check: FailedCheck): string {
  const lines = [`Check "${check.name}" — ${check.conclusion}`];
  if (check.url) lines.push(`Details: ${check.url}`);
  if (check.title) lines.push(`Title: ${check.title}`);
  if (check.summary) lines.push("Summary:", clip(check.summary));
  if (check.text) lines.push("Text:", clip(check.text));
  if (check.annotations.length > 0) {
    lines.push("Annotations:");
    for (const note of check.annotations) {
      lines.push(`- ${note.path}:${note.line} [${note.level}] ${note.message}`);
    }
  }
  if (check.logTail) lines.push("End of the job's log:", clip(check.logTail));
  return lines.join("\n");
}

/** What failed on a commit, as the agent reads it: each check with its output and log. */
export function failureReport(report: CheckReport): string {
  const text = [
    `Checks on ${report.sha.slice(0, 12)}: ${report.failed.length} failed, ${report.passed.length} passed.`,
    ...report.failed.map(checkText),
  ].join("\n\n");
  return clip(text, MAX_REPORT);
}
