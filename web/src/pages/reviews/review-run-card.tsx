import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import type { ReviewRun } from "../../../../shared/index.js";
import { fetchReviewRun } from "../../api/endpoints.js";
import { ErrorPanel } from "../../components/error-panel.js";
import { LoadingState } from "../../components/loading-state.js";
import { RelativeTime } from "../../components/relative-time.js";
import { formatCompact } from "../../lib/format.js";
import { ReviewResultItem } from "./review-result-item.js";
import { RUNNING_POLL_MS, reviewKeys } from "./review-keys.js";

const STATUS_LABEL: Record<ReviewRun["status"], string> = {
  running: "Running",
  completed: "Completed",
  failed: "Failed",
};

const TRIGGER_LABEL: Record<ReviewRun["trigger"], string> = {
  schedule: "Scheduled",
  manual: "Run now",
  cli: "npm run review",
};

const SLACK_LABEL = { posted: "posted", failed: "failed", disabled: "not configured" } as const;

/** One run: when, how it went, and (opened) its pull requests by risk. */
export function ReviewRunCard({ run, initiallyOpen }: { run: ReviewRun; initiallyOpen: boolean }) {
  const [open, setOpen] = useState(initiallyOpen);
  const detail = useQuery({
    queryKey: reviewKeys.run(run.id),
    queryFn: ({ signal }) => fetchReviewRun(run.id, signal),
    enabled: open,
    refetchInterval: (query) => (query.state.data?.status === "running" ? RUNNING_POLL_MS : false),
  });
  const tokens = run.usage.inputTokens + run.usage.outputTokens;
  const headingId = `review-run-${run.id}`;

  let body = null;
  if (open) {
    if (detail.isPending) body = <LoadingState label="Loading the pull requests…" />;
    else if (detail.isError)
      body = (
        <ErrorPanel
          error={detail.error}
          action="load this run's pull requests"
          onRetry={() => void detail.refetch()}
        />
      );
    else if (detail.data.results.length === 0)
      body = (
        <p className="muted">
          {detail.data.status === "running"
            ? "Reviews appear here as they finish."
            : "No open pull request was updated in the window."}
        </p>
      );
    else
      body = (
        <ol className="review-results" aria-label="Pull requests by risk">
          {detail.data.results.map((result) => (
            <ReviewResultItem key={`${result.repo}#${result.prNumber}`} result={result} />
          ))}
        </ol>
      );
  }

  return (
    <article className="card review-run" aria-labelledby={headingId}>
      <div className="card__head">
        <h2 id={headingId}>
          <RelativeTime iso={run.startedAt} />{" "}
          <span className={`pill pill--${run.status}`}>
            <span className="pill__dot" aria-hidden="true" />
            {STATUS_LABEL[run.status]}
          </span>
        </h2>
        <button
          type="button"
          className="button button--ghost"
          aria-expanded={open}
          onClick={() => setOpen(!open)}
        >
          {open ? "Hide pull requests" : "Show pull requests"}
        </button>
      </div>
      <p className="meta meta--compact">
        {TRIGGER_LABEL[run.trigger]}
        {run.triggeredBy ? ` by ${run.triggeredBy}` : ""} · {run.reviewedCount} reviewed
        {run.failedCount > 0 ? `, ${run.failedCount} failed` : ""} · {formatCompact(tokens)} tokens
        {run.slack ? ` · Slack ${SLACK_LABEL[run.slack]}` : ""}
      </p>
      {run.errors.length > 0 ? (
        <ul className="callout callout--warning" aria-label="Problems">
          {run.errors.map((error, i) => (
            <li key={i}>
              {error.repo ? `${error.repo}${error.prNumber ? `#${error.prNumber}` : ""}: ` : ""}
              {error.message}
            </li>
          ))}
        </ul>
      ) : null}
      {body}
    </article>
  );
}
