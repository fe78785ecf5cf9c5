import type { Pricing } from "../../../shared/settings.js";
import { estimateCost } from "../../../shared/settings.js";
import type { PullRequestFigures, TaskStatsResponse } from "../../../shared/stats.js";

function priced(figures: PullRequestFigures, pricing: Pricing): PullRequestFigures {
  const mergedCost = estimateCost(figures.mergedUsage, pricing);
  return {
    ...figures,
    mergedCost,
    costPerMergedPr: figures.merged === 0 ? null : mergedCost / figures.merged,
  };
}

/**
 * Puts prices on History's pull request figures: what the merged pull requests' tasks
 * cost at the configured token prices, and that per merged pull request — the figure an
 * admin weighs against an engineer's time. Prices are configuration, not stored data, so
 * they are applied when the figures are read.
 */
export function pricePullRequestFigures(
  stats: TaskStatsResponse,
  pricing: Pricing,
): TaskStatsResponse {
  const prs = stats.pullRequests;
  if (prs === undefined) return stats;
  const all = (list: PullRequestFigures[]) => list.map((f) => priced(f, pricing));
  return {
    ...stats,
    pullRequests: {
      total: priced(prs.total, pricing),
      days: all(prs.days),
      weeks: all(prs.weeks),
      months: all(prs.months),
      repos: all(prs.repos),
    },
  };
}
