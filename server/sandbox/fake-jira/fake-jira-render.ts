import { statusCategory } from "./fake-jql-eval.js";
import { richTextAsAdf, richTextAsPlain } from "./fake-rich-text.js";
import type { FakeComment, FakeIssue, FakeJiraFlavor, FakeRichText } from "./fake-jira-types.js";

/** How to render: REST v3 has ADF bodies, v2 plain text; users differ by flavor. */
export interface RenderOptions {
  version: 2 | 3;
  flavor: FakeJiraFlavor;
  baseUrl: string;
}

/** Jira's timestamp format: `2024-01-02T10:20:30.000+0000`. */
export function jiraDate(iso: string): string {
  return new Date(iso).toISOString().replace("Z", "+0000");
}

function user(name: string | null, flavor: FakeJiraFlavor): Record<string, unknown> | null {
  if (name === null) return null;
  const id = name.toLowerCase().replace(/[^a-z0-9]+/g, ".");
  return flavor === "cloud"
    ? { accountId: `fake-${id}`, displayName: name, active: true }
    : { name: id, key: id, displayName: name, active: true };
}

function body(value: FakeRichText, options: RenderOptions): unknown {
  return options.version === 3 ? richTextAsAdf(value) : richTextAsPlain(value);
}

/** A comment as the REST API returns it. */
export function commentJson(
  issue: FakeIssue,
  comment: FakeComment,
  options: RenderOptions,
): unknown {
  const author = user(comment.author, options.flavor);
  return {
    self: `${options.baseUrl}/rest/api/${options.version}/issue/${issue.id}/comment/${comment.id}`,
    id: comment.id,
    author,
    updateAuthor: author,
    body: body(comment.body, options),
    created: jiraDate(comment.created),
    updated: jiraDate(comment.created),
  };
}

function allFields(issue: FakeIssue, options: RenderOptions): Record<string, unknown> {
  const category = statusCategory(issue.status);
  return {
    summary: issue.summary,
    status: {
      name: issue.status,
      statusCategory: { id: category.id, key: category.key, name: category.name },
    },
    issuetype: { name: issue.issuetype, subtask: false },
    priority: issue.priority === null ? null : { name: issue.priority },
    assignee: user(issue.assignee, options.flavor),
    reporter: user(issue.reporter, options.flavor),
    labels: [...issue.labels],
    created: jiraDate(issue.created),
    updated: jiraDate(issue.updated),
    project: { key: issue.project, name: issue.project },
    description: issue.description === null ? null : body(issue.description, options),
    comment: {
      comments: issue.comments.map((comment) => commentJson(issue, comment, options)),
      maxResults: issue.comments.length,
      total: issue.comments.length,
      startAt: 0,
    },
  };
}

/**
 * An issue as the REST API returns it, with only the requested fields: `null`
 * means all (v2 search and issue default), `[]` means none (v3 search default,
 * which returns bare ids), `*all`/`*navigable` also mean all.
 */
export function issueJson(
  issue: FakeIssue,
  fields: string[] | null,
  options: RenderOptions,
): unknown {
  const all = allFields(issue, options);
  const wanted =
    fields === null || fields.includes("*all") || fields.includes("*navigable")
      ? Object.keys(all)
      : fields;
  const selected: Record<string, unknown> = {};
  for (const name of wanted) {
    if (name in all) selected[name] = all[name];
  }
  return {
    id: issue.id,
    key: issue.key,
    self: `${options.baseUrl}/rest/api/${options.version}/issue/${issue.id}`,
    ...(wanted.length > 0 ? { fields: selected } : {}),
  };
}

/** Escapes text for HTML element content and attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
}

function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title>
<style>body{font:15px/1.5 system-ui,sans-serif;max-width:52rem;margin:2rem auto;padding:0 1rem;color:#172b4d}
pre{white-space:pre-wrap;background:#f4f5f7;padding:.75rem;border-radius:4px}
.meta{color:#5e6c84}.comment{border-top:1px solid #dfe1e6;padding-top:.5rem}</style></head>
<body>${body}</body></html>`;
}

/** The human page of an issue, as `/browse/KEY` (every value HTML-escaped). */
export function issuePage(issue: FakeIssue): string {
  const meta = [
    ["Status", issue.status],
    ["Type", issue.issuetype],
    ["Priority", issue.priority ?? "None"],
    ["Assignee", issue.assignee ?? "Unassigned"],
    ["Reporter", issue.reporter ?? "None"],
    ["Labels", issue.labels.join(", ") || "None"],
    ["Updated", issue.updated],
  ]
    .map(([label = "", value = ""]) => `<dt>${escapeHtml(label)}</dt><dd>${escapeHtml(value)}</dd>`)
    .join("");
  const comments = issue.comments
    .map(
      (comment) =>
        `<div class="comment"><p class="meta">${escapeHtml(comment.author)} · ${escapeHtml(
          comment.created,
        )}</p><pre>${escapeHtml(richTextAsPlain(comment.body))}</pre></div>`,
    )
    .join("");
  const description = issue.description === null ? "" : richTextAsPlain(issue.description);
  return page(
    `${issue.key}: ${issue.summary}`,
    `<p class="meta">Fake Jira · <a href="/">all issues</a></p>
<h1>${escapeHtml(issue.key)}: ${escapeHtml(issue.summary)}</h1><dl>${meta}</dl>
<h2>Description</h2><pre>${escapeHtml(description || "No description")}</pre>
<h2>Comments (${issue.comments.length})</h2>${comments || "<p>No comments yet.</p>"}`,
  );
}

/** The fake's front page: every issue, linked. */
export function indexPage(issues: readonly FakeIssue[]): string {
  const rows = issues
    .map(
      (issue) =>
        `<li><a href="/browse/${encodeURIComponent(issue.key)}">${escapeHtml(issue.key)}</a> ${escapeHtml(
          issue.summary,
        )} <span class="meta">(${escapeHtml(issue.status)})</span></li>`,
    )
    .join("");
  return page("Fake Jira", `<h1>Fake Jira</h1><ul>${rows}</ul>`);
}
