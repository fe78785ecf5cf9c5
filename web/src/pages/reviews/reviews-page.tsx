import { useInfiniteQuery, useMutation, useQueryClient } from "@tanstack/react-query";
import { fetchReviewRuns, startReviewRun } from "../../api/endpoints.js";
import { isApiStatus } from "../../api/api-error.js";
import { EmptyState } from "../../components/empty-state.js";
import { ErrorPanel } from "../../components/error-panel.js";
import { LoadingState } from "../../components/loading-state.js";
import { useCurrentUser } from "../../hooks/use-current-user.js";
import { ReviewRunCard } from "./review-run-card.js";
import { RUNNING_POLL_MS, reviewKeys } from "./review-keys.js";
import "./reviews.css";
import { LoadMore } from "../../components/load-more.js";

const PAGE_SIZE = 20;

/** The nightly review: runs newest first, each run's pull requests by risk; admins can run one now. */
export function ReviewsPage() {
  const user = useCurrentUser();
  const queryClient = useQueryClient();
  const runs = useInfiniteQuery({
    queryKey: reviewKeys.runs,
    queryFn: ({ pageParam, signal }) =>
      fetchReviewRuns({ cursor: pageParam, limit: PAGE_SIZE }, signal),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    refetchInterval: (query) =>
      query.state.data?.pages[0]?.runs.some((run) => run.status === "running")
        ? RUNNING_POLL_MS
        : false,
  });
  const runNow = useMutation({
    mutationFn: startReviewRun,
    onSettled: () => queryClient.invalidateQueries({ queryKey: reviewKeys.all }),
  });
  const rows = runs.data?.pages.flatMap((page) => page.runs) ?? [];
  const running = rows.some((run) => run.status === "running");

  let list;
  if (runs.isPending) list = <LoadingState label="Loading review runs…" />;
  else if (runs.isError && rows.length === 0)
    list = (
      <ErrorPanel
        error={runs.error}
        action="load the review runs"
        onRetry={() => void runs.refetch()}
      />
    );
  else if (rows.length === 0)
    list = (
      <EmptyState title="No review runs yet">
        The nightly review of open pull requests will appear here after its first run.
      </EmptyState>
    );
  else
    list = (
      <>
        {rows.map((run, i) => (
          <ReviewRunCard key={run.id} run={run} initiallyOpen={i === 0} />
        ))}
        <LoadMore query={runs} what="runs" />
      </>
    );

  return (
    <section className="page">
      <div className="page__head">
        <div>
          <h1>Reviews</h1>
          <p className="muted">
            Every night the agent reviews the open pull requests updated in the last day, read-only.
          </p>
        </div>
        {user.role === "admin" ? (
          <button
            type="button"
            className="button button--primary"
            onClick={() => runNow.mutate()}
            disabled={runNow.isPending || running}
          >
            {runNow.isPending ? "Starting…" : running ? "Review running…" : "Run now"}
          </button>
        ) : null}
      </div>
      {runNow.isError ? (
        isApiStatus(runNow.error, 409) ? (
          <p className="callout callout--warning" role="alert">
            A review run is already in progress; it will appear below.
          </p>
        ) : (
          <ErrorPanel error={runNow.error} action="start a review run" />
        )
      ) : null}
      {list}
    </section>
  );
}
