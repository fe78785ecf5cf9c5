import { keepPreviousData, useInfiniteQuery } from "@tanstack/react-query";
import { useEffect, useState } from "react";
import { useSearchParams } from "react-router";
import { fetchTickets } from "../../api/endpoints.js";
import { queryKeys } from "../../api/query-keys.js";
import { EmptyState } from "../../components/empty-state.js";
import { ErrorPanel } from "../../components/error-panel.js";
import { LoadingState } from "../../components/loading-state.js";
import { useDebouncedValue } from "../../hooks/use-debounced-value.js";
import { TicketsTable } from "./tickets-table.js";
import { LoadMore } from "../../components/load-more.js";

const PAGE_SIZE = 25;

/** Home: the Jira bugs, filterable, with a Fix button on each. */
export function TicketsPage() {
  const [params, setParams] = useSearchParams();
  const [filter, setFilter] = useState(() => params.get("q") ?? "");
  const q = useDebouncedValue(filter.trim(), 300);

  useEffect(() => {
    if ((params.get("q") ?? "") !== q) setParams(q ? { q } : {}, { replace: true });
  }, [q, params, setParams]);

  const tickets = useInfiniteQuery({
    queryKey: queryKeys.tickets(q),
    queryFn: ({ pageParam, signal }) =>
      fetchTickets({ q, cursor: pageParam, limit: PAGE_SIZE }, signal),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    placeholderData: keepPreviousData,
    // Keep the running tasks' pills current.
    refetchInterval: (query) =>
      query.state.data?.pages.some((page) => page.tickets.some((t) => t.activeTask)) ? 5000 : false,
  });

  const rows = tickets.data?.pages.flatMap((page) => page.tickets) ?? [];

  let content;
  if (tickets.isPending) content = <LoadingState label="Loading tickets…" />;
  else if (tickets.isError && rows.length === 0)
    content = (
      <ErrorPanel
        error={tickets.error}
        action="load the tickets"
        onRetry={() => void tickets.refetch()}
      />
    );
  else if (rows.length === 0)
    content = (
      <EmptyState title={q ? `No tickets match “${q}”` : "No open bugs"}>
        {q ? "Try fewer or different words." : "Nothing to fix right now."}
      </EmptyState>
    );
  else
    content = (
      <>
        <TicketsTable tickets={rows} />
        <LoadMore query={tickets} what="tickets" />
      </>
    );

  return (
    <section className="page">
      <div className="page__head">
        <div>
          <h1>Tickets</h1>
          <p className="muted">Open Jira bugs. Pick one and let the agent propose a fix.</p>
        </div>
        <div className="search">
          <label htmlFor="ticket-filter" className="search__label">
            Filter tickets
          </label>
          <input
            id="ticket-filter"
            type="search"
            className="input"
            placeholder="Key, words in the summary…"
            value={filter}
            onChange={(event) => setFilter(event.target.value)}
          />
          {tickets.isFetching && !tickets.isPending ? (
            <span className="spinner spinner--small" aria-hidden="true" />
          ) : null}
        </div>
      </div>
      {content}
    </section>
  );
}
