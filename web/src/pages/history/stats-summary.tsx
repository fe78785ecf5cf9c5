import type { Pricing, TaskStatsResponse } from "../../../../shared/index.js";
import { estimateCost, formatCost, totalTokens } from "../../lib/cost.js";
import { formatCompact, formatDuration, formatPercent } from "../../lib/format.js";
import { BarChart } from "./bar-chart.js";
import { Sparkline } from "./sparkline.js";

interface StatsSummaryProps {
  stats: TaskStatsResponse;
  pricing: Pricing | undefined;
}

/** The History page's headline figures with small charts per day. */
export function StatsSummary({ stats, pricing }: StatsSummaryProps) {
  const days = stats.days;
  const dayCount = Math.max(days.length, 1);
  const tasksPerDay = stats.total / dayCount;
  const tokens = totalTokens(stats.usage);
  const tokensPerDay = tokens / dayCount;
  const dailyRates = days.map((d) => {
    const finished = d.completed + d.failed;
    return finished > 0 ? d.completed / finished : 0;
  });
  return (
    <div className="stats" role="group" aria-label="Summary">
      <div className="stat card">
        <p className="stat__label">Tasks per day</p>
        <p className="stat__value">{tasksPerDay.toFixed(tasksPerDay < 10 ? 1 : 0)}</p>
        <p className="stat__sub">{stats.total} in total</p>
        <BarChart
          label={`Tasks per day: ${days.map((d) => `${d.date} ${d.tasks}`).join(", ")}`}
          bars={days.map((d) => ({ label: d.date, value: d.tasks, bad: d.failed }))}
        />
      </div>
      <div className="stat card">
        <p className="stat__label">Success rate</p>
        <p className="stat__value">
          {stats.successRate === null ? "—" : formatPercent(stats.successRate)}
        </p>
        <p className="stat__sub">completed of finished</p>
        <Sparkline label="Daily success rate" values={dailyRates} />
      </div>
      <div className="stat card">
        <p className="stat__label">Median duration</p>
        <p className="stat__value">
          {stats.medianDurationMs === null ? "—" : formatDuration(stats.medianDurationMs)}
        </p>
        <p className="stat__sub">start to finish</p>
      </div>
      <div className="stat card">
        <p className="stat__label">Tokens per day</p>
        <p className="stat__value">{formatCompact(tokensPerDay)}</p>
        <p className="stat__sub">
          {formatCompact(tokens)} total
          {pricing
            ? ` · ≈ ${formatCost(estimateCost(stats.usage, pricing), pricing.currency)}`
            : ""}
        </p>
        <Sparkline label="Tokens per day" values={days.map((d) => totalTokens(d.usage))} />
      </div>
    </div>
  );
}
