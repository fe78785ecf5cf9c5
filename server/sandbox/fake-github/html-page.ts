import type { FakeComment, FakePullRequest } from "./store.js";

/**
 * Escapes text for HTML element content and quoted attributes. Everything shown on
 * the fake's pages (titles, bodies, comments, branch names, diffs) is written by an
 * agent or a ticket reporter, so all of it goes through here.
 */
export function escapeHtml(text: string): string {
  return text
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/'/g, "&#39;");
}

const STYLE = `
body{font:14px/1.5 system-ui,sans-serif;margin:0;color:#1f2328;background:#fff}
main{max-width:1100px;margin:0 auto;padding:24px}
h1{font-size:24px;margin:0 0 8px}
.meta{color:#59636e;margin-bottom:16px}
.badge{display:inline-block;padding:2px 10px;border-radius:12px;color:#fff;font-weight:600;margin-right:8px}
.open{background:#1f883d}.closed{background:#cf222e}.draft{background:#59636e}
.box{border:1px solid #d1d9e0;border-radius:6px;margin:16px 0}
.box h2{font-size:14px;margin:0;padding:8px 12px;background:#f6f8fa;border-bottom:1px solid #d1d9e0}
.text{padding:12px;white-space:pre-wrap;overflow-wrap:anywhere}
pre{margin:0;padding:12px;overflow-x:auto;font:12px/1.45 ui-monospace,monospace}
.add{background:#dafbe1;display:block}.del{background:#ffebe9;display:block}
.hunk{color:#0969da;display:block}.file{font-weight:700;display:block;margin-top:8px}
code{font:12px ui-monospace,monospace;background:#eff2f5;padding:1px 4px;border-radius:4px}
a{color:#0969da}
`;

/** Wraps page content in a complete HTML document. */
function page(title: string, content: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${escapeHtml(title)}</title><style>${STYLE}</style></head>
<body><main>${content}</main></body></html>`;
}

/** A diff with added, removed and hunk lines coloured; each line escaped. */
function renderDiff(diff: string): string {
  if (!diff.trim()) return `<div class="text">No changes.</div>`;
  const lines = diff
    .replace(/\n$/, "")
    .split("\n")
    .map((line) => {
      const text = escapeHtml(line);
      if (line.startsWith("diff --git ")) return `<span class="file">${text}</span>`;
      if (line.startsWith("@@")) return `<span class="hunk">${text}</span>`;
      if (line.startsWith("+") && !line.startsWith("+++"))
        return `<span class="add">${text}</span>`;
      if (line.startsWith("-") && !line.startsWith("---"))
        return `<span class="del">${text}</span>`;
      return `${text}\n`;
    });
  return `<pre>${lines.join("")}</pre>`;
}

/** The human page of a pull request, like github.com/o/r/pull/n. */
export function renderPullRequestPage(
  repo: string,
  pr: FakePullRequest,
  comments: readonly FakeComment[],
  diff: string | null,
): string {
  const state = pr.draft && pr.state === "open" ? "draft" : pr.state;
  const reviewers = pr.requested_reviewers
    .map((u) => `<code>${escapeHtml(u.login)}</code>`)
    .join(" ");
  const commentHtml = comments
    .map(
      (
        c,
      ) => `<div class="box" id="comment-${c.id}"><h2>${escapeHtml(c.user.login)} commented at ${escapeHtml(c.created_at)}</h2>
<div class="text">${escapeHtml(c.body)}</div></div>`,
    )
    .join("\n");
  const content = `
<p class="meta"><a href="/${escapeHtml(repo)}/pulls">${escapeHtml(repo)}</a> · pull request #${pr.number}</p>
<h1>${escapeHtml(pr.title)} <span class="meta">#${pr.number}</span></h1>
<p class="meta"><span class="badge ${state}">${escapeHtml(state)}</span>
<strong>${escapeHtml(pr.user.login)}</strong> wants to merge <code>${escapeHtml(pr.head.ref)}</code>
into <code>${escapeHtml(pr.base.ref)}</code>${reviewers ? ` · reviewers: ${reviewers}` : ""}</p>
${pr.state === "open" ? `<form method="post" action="/${escapeHtml(repo)}/pull/${pr.number}/fail-check"><button type="submit">Fail a check on the head (sandbox CI)</button></form>` : ""}
<div class="box"><h2>Description</h2><div class="text">${escapeHtml(pr.body ?? "") || "<em>No description.</em>"}</div></div>
${commentHtml}
<div class="box"><h2>Files changed · <a href="${escapeHtml(pr.html_url)}.diff">raw diff</a></h2>
${diff === null ? `<div class="text">The head branch no longer exists.</div>` : renderDiff(diff)}</div>`;
  return page(`${pr.title} · ${repo}#${pr.number}`, content);
}

/** The list of a repository's pull requests. */
export function renderPullRequestList(repo: string, pulls: readonly FakePullRequest[]): string {
  const rows = pulls
    .map(
      (pr) =>
        `<li><a href="${escapeHtml(pr.html_url)}">#${pr.number} ${escapeHtml(pr.title)}</a> <span class="meta">${escapeHtml(pr.state)}${pr.draft ? ", draft" : ""} · ${escapeHtml(pr.head.ref)}</span></li>`,
    )
    .join("\n");
  return page(
    `Pull requests · ${repo}`,
    `<h1>Pull requests of ${escapeHtml(repo)}</h1><ul>${rows || "<li>None yet.</li>"}</ul>`,
  );
}

/** A plain not-found page. */
export function renderNotFound(): string {
  return page("Not found", "<h1>Not found</h1>");
}
