import type { ReviewResult, RiskLevel } from "../../../shared/review.js";
import type { ReviewDigest } from "../../domain/ports/review-ports.js";

/** A Block Kit block, as far as this module builds them. */
export type SlackBlock =
  | { type: "header"; text: { type: "plain_text"; text: string } }
  | { type: "section"; text: { type: "mrkdwn"; text: string } }
  | { type: "context"; elements: { type: "mrkdwn"; text: string }[] }
  | { type: "divider" };

/** The body of an incoming-webhook post. */
export interface SlackMessage {
  /** The notification text, and what clients without Block Kit show. */
  text: string;
  blocks: SlackBlock[];
}

/** Slack rejects a message with more than 50 blocks; keep room for the header and footer. */
const MAX_PR_BLOCKS = 40;
/** Slack's limit for a section's text is 3000 characters. */
const MAX_SECTION_CHARS = 2900;
const MAX_SUMMARY_CHARS = 280;

const RISK_BADGE: Record<RiskLevel, string> = {
  high: ":red_circle: *HIGH*",
  medium: ":large_orange_circle: *MEDIUM*",
  low: ":large_green_circle: *LOW*",
};

/** Escapes text for mrkdwn: Slack reads `&`, `<` and `>` as markup. */
export function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

/** A mrkdwn link; the label cannot hold `|` or `>`, which would end it early. */
function link(url: string, label: string): string {
  const safeLabel = escapeMrkdwn(label).replace(/\|/g, "¦");
  return `<${url.replace(/[<>|\s]/g, encodeURIComponent)}|${safeLabel}>`;
}

function cut(text: string, max: number): string {
  const flat = text.replace(/\s+/g, " ").trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

/** One pull request's line: risk first, then the link, title, ticket and summary. */
export function resultLine(result: ReviewResult): string {
  const badge = result.review ? RISK_BADGE[result.review.risk_level] : ":warning: *NOT REVIEWED*";
  const ticket = result.ticket
    ? ` · ${link(result.ticket.url, result.ticket.key)}${result.ticket.status ? ` (${escapeMrkdwn(result.ticket.status)})` : ""}`
    : "";
  const head = `${badge}  ${link(result.url, `${result.repo}#${result.prNumber}`)} ${escapeMrkdwn(cut(result.title, 150))}${ticket}`;
  if (result.review === null) {
    return `${head}\n_${escapeMrkdwn(cut(result.error?.message ?? "The review failed.", MAX_SUMMARY_CHARS))}_`;
  }
  const lines = [head, escapeMrkdwn(cut(result.review.summary, MAX_SUMMARY_CHARS))];
  if (result.review.security_concerns.length > 0) {
    const concerns = result.review.security_concerns
      .slice(0, 5)
      .map((c) => escapeMrkdwn(cut(c, 200)));
    lines.push(`:lock: ${concerns.join(" · ")}`);
  }
  const text = lines.join("\n");
  return text.length > MAX_SECTION_CHARS ? `${text.slice(0, MAX_SECTION_CHARS - 1)}…` : text;
}

/**
 * The run's digest as a Block Kit message: a header, one section per pull request
 * (already sorted highest risk first), and a footer with counts and any run errors.
 */
export function reviewDigestMessage(digest: ReviewDigest): SlackMessage {
  const { results } = digest;
  const reviewed = results.filter((r) => r.review !== null);
  const high = reviewed.filter((r) => r.review?.risk_level === "high").length;
  const failed = results.length - reviewed.length;
  const title =
    results.length === 0
      ? "Pull request review: nothing to review"
      : `Pull request review: ${results.length} pull request${results.length === 1 ? "" : "s"}${high > 0 ? `, ${high} high risk` : ""}`;
  const blocks: SlackBlock[] = [
    { type: "header", text: { type: "plain_text", text: cut(title, 150) } },
    {
      type: "context",
      elements: [
        {
          type: "mrkdwn",
          text: `Open pull requests updated in the last ${digest.windowHours} hours · ${reviewed.length} reviewed${failed > 0 ? ` · ${failed} could not be reviewed` : ""}`,
        },
      ],
    },
  ];
  if (results.length === 0) {
    blocks.push({
      type: "section",
      text: { type: "mrkdwn", text: "No open pull request was updated in the window." },
    });
  }
  for (const result of results.slice(0, MAX_PR_BLOCKS)) {
    blocks.push({ type: "section", text: { type: "mrkdwn", text: resultLine(result) } });
  }
  if (results.length > MAX_PR_BLOCKS) {
    blocks.push({
      type: "context",
      elements: [
        {
          type: "mrkdwn",
          text: `…and ${results.length - MAX_PR_BLOCKS} more, lower risk, on the Patchboard dashboard.`,
        },
      ],
    });
  }
  const problems = digest.run.errors.map((e) =>
    escapeMrkdwn(cut(`${e.repo ? `${e.repo}: ` : ""}${e.message}`, 300)),
  );
  if (problems.length > 0) {
    blocks.push({ type: "divider" });
    blocks.push({
      type: "context",
      elements: [{ type: "mrkdwn", text: `:warning: ${problems.slice(0, 5).join("\n")}` }],
    });
  }
  const fallback = [title, ...results.slice(0, 10).map(plainLine)].join("\n");
  return { text: fallback.length > 3000 ? title : fallback, blocks };
}

function plainLine(result: ReviewResult): string {
  const risk = result.review ? result.review.risk_level.toUpperCase() : "NOT REVIEWED";
  return `${risk} ${result.repo}#${result.prNumber} ${result.title}`;
}
