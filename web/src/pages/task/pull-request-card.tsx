import type { PullRequest } from "../../../../shared/index.js";

const STATE_LABELS = { open: "Open", merged: "Merged", closed: "Closed without merging" };

/** The pull request the agent opened, prominently. */
export function PullRequestCard({
  pullRequest,
  branch,
}: {
  pullRequest: PullRequest;
  branch: string | null;
}) {
  return (
    <section className="callout callout--success pr-card" aria-label="Pull request">
      <div>
        <p className="callout__title">
          Pull request #{pullRequest.number}
          {pullRequest.draft && pullRequest.state !== "merged" ? (
            <span className="tag tag--draft">Draft</span>
          ) : null}
          <span className={`tag tag--pr tag--pr-${pullRequest.state ?? "open"}`}>
            {STATE_LABELS[pullRequest.state ?? "open"]}
          </span>
        </p>
        {branch ? (
          <p className="small muted">
            Branch <span className="mono">{branch}</span>
          </p>
        ) : null}
      </div>
      <a
        href={pullRequest.url}
        target="_blank"
        rel="noreferrer noopener"
        className="button button--primary"
      >
        Open pull request ↗<span className="visually-hidden"> (new tab)</span>
      </a>
    </section>
  );
}
