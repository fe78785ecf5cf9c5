import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { isApiStatus } from "../../api/api-error.js";
import { fetchSpendReport } from "../../api/endpoints.js";
import { queryKeys } from "../../api/query-keys.js";
import { ErrorPanel } from "../../components/error-panel.js";
import { LoadingState } from "../../components/loading-state.js";
import { formatCost } from "../../lib/cost.js";
import { formatPercent } from "../../lib/format.js";
import { rollUpSpend, type SpendLine } from "./spend-rollup.js";

const USE_LABEL = { near: "near the limit", over: "over budget" } as const;

/** "40% of 5.00 USD", with a word (not only a colour) when near or over the limit. */
function BudgetCell({ line, currency }: { line: SpendLine; currency: string }) {
  if (line.limit === null) return <span className="muted">no budget</span>;
  const share = line.limit > 0 ? line.peakSpent / line.limit : 1;
  return (
    <>
      {formatPercent(share)} of {formatCost(line.limit, currency)}
      {line.use === "ok" ? null : (
        <>
          {" "}
          <span className={`badge ${line.use === "over" ? "badge--bad" : ""}`}>
            {USE_LABEL[line.use]}
          </span>
        </>
      )}
    </>
  );
}

function SpendTable(props: {
  caption: string;
  keyHeader: string;
  lines: SpendLine[];
  currency: string;
  /** Whether to show each line's busiest day (people and repositories, not days). */
  peak: boolean;
  budgetHeader: string;
}) {
  const { lines, currency, peak } = props;
  return (
    <div className="table-wrap">
      <table className="table">
        <caption className="visually-hidden">{props.caption}</caption>
        <thead>
          <tr>
            <th scope="col">{props.keyHeader}</th>
            <th scope="col" className="num">
              Spent
            </th>
            <th scope="col" className="num">
              Requests
            </th>
            {peak ? <th scope="col">Busiest day</th> : null}
            <th scope="col">{props.budgetHeader}</th>
          </tr>
        </thead>
        <tbody>
          {lines.map((line) => (
            <tr key={line.key}>
              <th scope="row">{line.key}</th>
              <td className="num">{formatCost(line.spent, currency)}</td>
              <td className="num">{line.requests}</td>
              {peak ? (
                <td>
                  {line.peakDay} ({formatCost(line.peakSpent, currency)})
                </td>
              ) : null}
              <td>
                <BudgetCell line={line} currency={currency} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/**
 * Admins: model spend per day, per person and per repository for the History's date
 * range (budget days, UTC; the last 30 without one), each read against its daily budget.
 * Renders nothing when the server meters no usage (404).
 */
export function SpendSummary({ from, to }: { from?: string | undefined; to?: string | undefined }) {
  const range = { from, to };
  const report = useQuery({
    queryKey: queryKeys.spendReport(range),
    queryFn: ({ signal }) => fetchSpendReport(range, signal),
    placeholderData: keepPreviousData,
  });
  if (report.isError && isApiStatus(report.error, 404)) return null;

  let body;
  if (report.isPending) body = <LoadingState label="Loading the spend…" />;
  else if (report.isError)
    body = (
      <ErrorPanel
        error={report.error}
        action="load the spend"
        onRetry={() => void report.refetch()}
      />
    );
  else {
    const { currency } = report.data;
    const rollup = rollUpSpend(report.data);
    body =
      rollup.days.length === 0 ? (
        <p className="muted">No model requests in these days.</p>
      ) : (
        <>
          <p className="muted">
            {formatCost(rollup.total, currency)} over {rollup.requests} model requests,{" "}
            {report.data.from} to {report.data.to} (UTC days).
          </p>
          <SpendTable
            caption="Spend per day"
            keyHeader="Day"
            lines={rollup.days}
            currency={currency}
            peak={false}
            budgetHeader="Daily budget"
          />
          <SpendTable
            caption="Spend per person"
            keyHeader="Person"
            lines={rollup.people}
            currency={currency}
            peak
            budgetHeader="Busiest day, of the daily budget"
          />
          <SpendTable
            caption="Spend per repository"
            keyHeader="Repository"
            lines={rollup.repos}
            currency={currency}
            peak
            budgetHeader="Busiest day, of the daily budget"
          />
        </>
      );
  }
  return (
    <section className="card spend" aria-labelledby="spend-title">
      <div className="card__head">
        <h2 id="spend-title">Spend against budgets</h2>
      </div>
      {body}
    </section>
  );
}
