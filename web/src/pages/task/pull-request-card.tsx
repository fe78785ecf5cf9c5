import type { PullRequest } from "../../../../shared/index.js";

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
          {pullRequest.draft ? <span className="tag tag--draft">Draft</span> : null}
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
