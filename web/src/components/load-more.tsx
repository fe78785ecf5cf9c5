import { useRef } from "react";
import { ErrorPanel } from "./error-panel.js";

/** The part of an infinite query that paging needs (TanStack Query's `useInfiniteQuery`). */
export interface PagedQuery {
  hasNextPage: boolean;
  isFetchingNextPage: boolean;
  isFetchNextPageError: boolean;
  error: unknown;
  fetchNextPage: () => Promise<unknown>;
}

const FOCUSABLE = "a[href], button:not([disabled]), input, select, textarea, [tabindex='0']";

function focusables(root: Element): Element[] {
  return [...root.querySelectorAll(FOCUSABLE)];
}

/**
 * "Load more" under a cursor-paged list, with the error of a failed next page and its
 * retry. `what` names the rows in the error ("load more tasks"). Once the next page is
 * in, focus moves to the first control it brought (WCAG 2.4.3): the button itself is
 * disabled while loading and gone after the last page, which would leave focus nowhere.
 */
export function LoadMore({ query, what }: { query: PagedQuery; what: string }) {
  const holder = useRef<HTMLDivElement>(null);
  const loadMore = async () => {
    // The list is what comes right before the button.
    const list = holder.current?.previousElementSibling ?? null;
    const before = new Set(list === null ? [] : focusables(list));
    await query.fetchNextPage();
    // The new rows are rendered by the next frame.
    await new Promise((resolve) => requestAnimationFrame(resolve));
    const first = list === null ? undefined : focusables(list).find((el) => !before.has(el));
    if (first instanceof HTMLElement) first.focus();
  };
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
        <div className="load-more" ref={holder}>
          <button
            type="button"
            className="button"
            onClick={() => void loadMore()}
            disabled={query.isFetchingNextPage}
          >
            {query.isFetchingNextPage ? "Loading…" : "Load more"}
          </button>
        </div>
      ) : null}
    </>
  );
}
