import { useId, useState } from "react";
import type { PullRequestFigures, TaskStatsResponse } from "../../../../shared/index.js";
import { formatCost } from "../../lib/cost.js";
import { formatDuration, formatPercent } from "../../lib/format.js";
import { BarChart } from "./bar-chart.js";
import { Sparkline } from "./sparkline.js";

type Period = "days" | "weeks" | "months";

const PERIODS: { value: Period; label: string; each: string }[] = [
  { value: "days", label: "Day", each: "day" },
  { value: "weeks", label: "Week", each: "week (from Monday)" },
  { value: "months", label: "Month", each: "month" },
];

const rate = (value: number | null) => (value === null ? "—" : formatPercent(value));
const duration = (ms: number | null) => (ms === null ? "—" : formatDuration(ms));
const rounds = (value: number | null) => (value === null ? "—" : value.toFixed(1));

function cost(figures: PullRequestFigures, currency: string | undefined): string {
  const value = figures.costPerMergedPr;
  return value === null || value === undefined || currency === undefined
    ? "—"
    : formatCost(value, currency);
}

interface PullRequestOutcomesProps {
  stats: TaskStatsResponse;
  /** `PRICE_CURRENCY`; without it costs show as "—". */
  currency: string | undefined;
}

/**
 * History's pull request figures — opened, merged, closed, merge rate, click → pull
 * request and pull request → merge, CI green on the first push, rounds and cost per merged
 * pull request — per day, week or month and per repository. Each chart has a text
 * alternative, and the same numbers are in the tables below it.
 */
export function PullRequestOutcomes({ stats, currency }: PullRequestOutcomesProps) {
  const [period, setPeriod] = useState<Period>("weeks");
  const headingId = useId();
  const prs = stats.pullRequests;
  if (prs === undefined) return null;
  const total = prs.total;
  const rows = prs[period];
  const each = PERIODS.find((p) => p.value === period)?.each ?? "period";
  return (
    <section className="pr-outcomes" aria-labelledby={headingId}>
      <div className="pr-outcomes__head">
        <h2 id={headingId}>Pull requests</h2>
        <fieldset className="segmented">
          <legend className="visually-hidden">Group the pull requests by</legend>
          {PERIODS.map((p) => (
            <label key={p.value} className="segmented__option">
              <input
                type="radio"
                name={`${headingId}-period`}
                value={p.value}
                checked={period === p.value}
                onChange={() => setPeriod(p.value)}
              />
              {p.label}
            </label>
          ))}
        </fieldset>
      </div>
      <div className="stats" role="group" aria-label="Pull request figures">
        <div className="stat card">
          <p className="stat__label">Merge rate</p>
          <p className="stat__value">{rate(total.mergeRate)}</p>
          <p className="stat__sub">
            {total.opened} opened · {total.merged} merged · {total.closed} closed
          </p>
          <BarChart
            label={`Pull requests opened per ${each}, merged ones in the darker part: ${rows
              .map((r) => `${r.key} ${r.opened} opened, ${r.merged} merged`)
              .join("; ")}`}
            bars={rows.map((r) => ({ label: r.key, value: r.opened, bad: r.merged }))}
          />
        </div>
        <div className="stat card">
          <p className="stat__label">Time to merge</p>
          <p className="stat__value">{duration(total.medianPrToMergeMs)}</p>
          <p className="stat__sub">
            median; click to pull request {duration(total.medianClickToPrMs)}
          </p>
        </div>
        <div className="stat card">
          <p className="stat__label">CI green on first push</p>
          <p className="stat__value">{rate(total.firstPushGreenRate)}</p>
          <p className="stat__sub">{rounds(total.roundsPerPr)} follow-up rounds per pull request</p>
          <Sparkline
            label={`Follow-up rounds per pull request, per ${each}: ${rows
              .map((r) => `${r.key} ${rounds(r.roundsPerPr)}`)
              .join("; ")}`}
            values={rows.map((r) => r.roundsPerPr ?? 0)}
          />
        </div>
        <div className="stat card">
          <p className="stat__label">Cost per merged pull request</p>
          <p className="stat__value">{cost(total, currency)}</p>
          <p className="stat__sub">
            {total.mergedCost !== undefined && currency !== undefined
              ? `${formatCost(total.mergedCost, currency)} for ${total.merged} merged`
              : "the merged ones' tasks, at the configured prices"}
          </p>
        </div>
      </div>
      <details className="pr-outcomes__tables">
        <summary>The figures as tables, per {each} and per repository</summary>
        <FiguresTable
          caption={`Per ${each} opened`}
          first="Period"
          rows={rows}
          currency={currency}
        />
        <FiguresTable
          caption="Per repository"
          first="Repository"
          rows={prs.repos}
          currency={currency}
        />
      </details>
    </section>
  );
}

const COLUMNS = [
  "Opened",
  "Merged",
  "Closed",
  "Merge rate",
  "Click to PR",
  "PR to merge",
  "CI green first",
  "Rounds per PR",
  "Cost per merged PR",
];

function FiguresTable({
  caption,
  first,
  rows,
  currency,
}: {
  caption: string;
  first: string;
  rows: PullRequestFigures[];
  currency: string | undefined;
}) {
  return (
    <div className="table-wrap">
      <table className="table">
        <caption>{caption}</caption>
        <thead>
          <tr>
            <th scope="col">{first}</th>
            {COLUMNS.map((column) => (
              <th key={column} scope="col" className="num">
                {column}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.key}>
              <th scope="row" className="mono small">
                {r.key}
              </th>
              <td className="num">{r.opened}</td>
              <td className="num">{r.merged}</td>
              <td className="num">{r.closed}</td>
              <td className="num">{rate(r.mergeRate)}</td>
              <td className="num">{duration(r.medianClickToPrMs)}</td>
              <td className="num">{duration(r.medianPrToMergeMs)}</td>
              <td className="num">{rate(r.firstPushGreenRate)}</td>
              <td className="num">{rounds(r.roundsPerPr)}</td>
              <td className="num">{cost(r, currency)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
