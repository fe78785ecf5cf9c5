import { z } from "zod";

/** Who asked, as Jira's payloads name people (Cloud: accountId; Data Center: name). */
const JiraUser = z
  .object({
    emailAddress: z.string().nullish(),
    displayName: z.string().nullish(),
    name: z.string().nullish(),
    accountId: z.string().nullish(),
  })
  .nullish();

const Issue = z.object({
  key: z.string(),
  fields: z
    .object({ labels: z.array(z.string()).nullish() })
    .passthrough()
    .nullish(),
});

/** Jira's own webhook (`jira:issue_created`, `jira:issue_updated`). */
const WebhookPayload = z.object({
  webhookEvent: z.string(),
  user: JiraUser,
  issue: Issue,
  changelog: z
    .object({
      items: z.array(
        z.object({
          field: z.string(),
          fromString: z.string().nullish(),
          toString: z.string().nullish(),
        }),
      ),
    })
    .nullish(),
});

/** Jira Automation's "Send web request": the issue (Automation's format or ours) and who. */
const AutomationPayload = z.union([
  z.object({ issueKey: z.string(), user: z.string().nullish() }),
  z.object({ issue: Issue, user: z.union([z.string(), JiraUser]).nullish(), initiator: JiraUser }),
  Issue.extend({ initiator: JiraUser, user: z.union([z.string(), JiraUser]).nullish() }),
]);

/** A fix Jira asked for: the ticket and, when the payload says, who added the label. */
export interface JiraTrigger {
  ticketKey: string;
  by: string | null;
}

/** What a Jira delivery means: a fix to start, or why not (for the answer and the log). */
export type JiraReading = { trigger: JiraTrigger } | { ignored: string };

const labelsOf = (text: string | null | undefined): string[] =>
  (text ?? "").split(/\s+/).filter(Boolean);

function who(user: z.infer<typeof JiraUser> | string | undefined): string | null {
  if (typeof user === "string") return user.trim() || null;
  return user?.emailAddress ?? user?.name ?? user?.displayName ?? user?.accountId ?? null;
}

/**
 * Reads a signed Jira webhook: an issue created with the trigger label, or updated so
 * that the label was added (its changelog). Anything else is ignored, so editing a
 * labelled issue does not start the fix again.
 *
 * @throws ZodError when the payload is not Jira's webhook shape.
 */
export function readJiraWebhook(payload: unknown, label: string): JiraReading {
  const p = WebhookPayload.parse(payload);
  const labels = p.issue.fields?.labels ?? [];
  if (p.webhookEvent === "jira:issue_created") {
    if (!labels.includes(label)) return { ignored: "created without the label" };
  } else if (p.webhookEvent === "jira:issue_updated") {
    const added = (p.changelog?.items ?? []).some(
      (item) =>
        item.field.toLowerCase() === "labels" &&
        labelsOf(item.toString).includes(label) &&
        !labelsOf(item.fromString).includes(label),
    );
    if (!added) return { ignored: "the label was not added" };
  } else {
    return { ignored: `event ${p.webhookEvent}` };
  }
  return { trigger: { ticketKey: p.issue.key, by: who(p.user) } };
}

/**
 * Reads Jira Automation's "Send web request": the rule decides when it fires; when the
 * body carries the issue's labels, the trigger label must be among them.
 *
 * @throws ZodError when the body names no issue.
 */
export function readJiraAutomation(payload: unknown, label: string): JiraReading {
  const p = AutomationPayload.parse(payload);
  if ("issueKey" in p) return { trigger: { ticketKey: p.issueKey, by: who(p.user ?? undefined) } };
  const issue = "issue" in p ? p.issue : p;
  const labels = issue.fields?.labels;
  if (labels != null && !labels.includes(label)) return { ignored: "the issue lacks the label" };
  return { trigger: { ticketKey: issue.key, by: who(p.initiator ?? p.user ?? undefined) } };
}
