import { ErrorPanel } from "./error-panel.js";

/** The part of an infinite query that paging needs (TanStack Query's `useInfiniteQuery`). */
export interface PagedQuery {
  hasNextPage: boolean;
  isFetchingNextPage: boolean;
  isFetchNextPageError: boolean;
  error: unknown;
  fetchNextPage: () => Promise<unknown>;
}

/**
 * "Load more" under a cursor-paged list, with the error of a failed next page and its
 * retry. `what` names the rows in the error ("load more tasks").
 */
export function LoadMore({ query, what }: { query: PagedQuery; what: string }) {
  return (
    <>
      {query.isFetchNextPageError ? (
        <ErrorPanel
          error={query.error}
          action={`load more ${what}`}
          onRetry={() => void query.fetchNextPage()}
        />
      ) : null}
      {query.hasNextPage ? (
        <div className="load-more">
          <button
            type="button"
            className="button"
            onClick={() => void query.fetchNextPage()}
            disabled={query.isFetchingNextPage}
          >
            {query.isFetchingNextPage ? "Loading…" : "Load more"}
          </button>
        </div>
      ) : null}
    </>
  );
}
