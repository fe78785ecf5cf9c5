import { keepPreviousData, useInfiniteQuery, useQuery } from "@tanstack/react-query";
import { fetchTasks, fetchTaskStats, taskExportUrl } from "../../api/endpoints.js";
import { queryKeys } from "../../api/query-keys.js";
import { EmptyState } from "../../components/empty-state.js";
import { ErrorPanel } from "../../components/error-panel.js";
import { LoadingState } from "../../components/loading-state.js";
import { useSettings } from "../../hooks/use-settings.js";
import { HistoryFilters } from "./history-filters.js";
import { HistoryTable } from "./history-table.js";
import { SpendSummary } from "./spend-summary.js";
import { StatsSummary } from "./stats-summary.js";
import { PullRequestOutcomes } from "./pull-request-outcomes.js";
import { useTaskFilters } from "./use-task-filters.js";
import { LoadMore } from "../../components/load-more.js";

const PAGE_SIZE = 50;

/** Admins: every task, filterable, with summary figures and a CSV export. */
export function HistoryPage() {
  const [filters, setFilters] = useTaskFilters();
  const settings = useSettings();
  const pricing = settings.data?.pricing;
  const stats = useQuery({
    queryKey: queryKeys.taskStats(filters),
    queryFn: ({ signal }) => fetchTaskStats(filters, signal),
    placeholderData: keepPreviousData,
  });
  const tasks = useInfiniteQuery({
    queryKey: queryKeys.tasks(filters),
    queryFn: ({ pageParam, signal }) =>
      fetchTasks(filters, { cursor: pageParam, limit: PAGE_SIZE }, signal),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    placeholderData: keepPreviousData,
  });
  const rows = tasks.data?.pages.flatMap((page) => page.tasks) ?? [];
  const filtered = Object.values(filters).some(Boolean);

  let summary;
  if (stats.isPending) summary = <LoadingState label="Loading the summary…" />;
  else if (stats.isError)
    summary = (
      <ErrorPanel
        error={stats.error}
        action="load the summary"
        onRetry={() => void stats.refetch()}
      />
    );
  else summary = <StatsSummary stats={stats.data} pricing={pricing} />;

  let table;
  if (tasks.isPending) table = <LoadingState label="Loading tasks…" />;
  else if (tasks.isError && rows.length === 0)
    table = (
      <ErrorPanel
        error={tasks.error}
        action="load the tasks"
        onRetry={() => void tasks.refetch()}
      />
    );
  else if (rows.length === 0)
    table = (
      <EmptyState title={filtered ? "No tasks match these filters" : "No tasks yet"}>
        {filtered
          ? "Try a wider date range or fewer filters."
          : "Tasks appear here once someone starts one."}
      </EmptyState>
    );
  else
    table = (
      <>
        <HistoryTable tasks={rows} pricing={pricing} />
        <LoadMore query={tasks} what="tasks" />
      </>
    );

  return (
    <section className="page">
      <div className="page__head">
        <div>
          <h1>History</h1>
          <p className="muted">Who ran what, how long it took and what it cost.</p>
        </div>
        <a className="button" href={taskExportUrl(filters)} download>
          Export CSV
        </a>
      </div>
      <HistoryFilters filters={filters} repos={settings.data?.repos ?? []} onChange={setFilters} />
      {summary}
      <SpendSummary from={filters.from} to={filters.to} />
      {stats.data ? <PullRequestOutcomes stats={stats.data} currency={pricing?.currency} /> : null}
      {table}
    </section>
  );
}
