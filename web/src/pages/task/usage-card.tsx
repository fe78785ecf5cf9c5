import { useQuery } from "@tanstack/react-query";
import type { Usage } from "../../../../shared/index.js";
import { fetchTaskSpend } from "../../api/endpoints.js";
import { queryKeys } from "../../api/query-keys.js";
import { estimateCost, formatCost } from "../../lib/cost.js";
import { formatNumber } from "../../lib/format.js";
import { useSettings } from "../../hooks/use-settings.js";

/** Tokens the task used, and what that cost by the configured prices. */
export function UsageCard({ usage, taskId }: { usage: Usage; taskId: string }) {
  const settings = useSettings();
  const pricing = settings.data?.pricing;
  // Refreshed with the task on every metered model response (task-live).
  const spend = useQuery({
    queryKey: queryKeys.taskSpend(taskId),
    queryFn: ({ signal }) => fetchTaskSpend(taskId, signal),
    retry: false,
  }).data;
  return (
    <section className="card" aria-labelledby="usage-heading">
      <h2 id="usage-heading">Token usage</h2>
      <dl className="meta meta--compact">
        <dt>Input</dt>
        <dd>{formatNumber(usage.inputTokens)}</dd>
        <dt>of which cached</dt>
        <dd>{formatNumber(usage.cachedInputTokens)}</dd>
        <dt>Output</dt>
        <dd>{formatNumber(usage.outputTokens)}</dd>
        {pricing ? (
          <>
            <dt>Estimated cost</dt>
            <dd>
              <strong>{formatCost(estimateCost(usage, pricing), pricing.currency)}</strong>
            </dd>
          </>
        ) : null}
        {spend && spend.limit !== null ? (
          <>
            <dt>Budget</dt>
            <dd>
              {formatCost(spend.spent, spend.currency)} of {formatCost(spend.limit, spend.currency)}
            </dd>
          </>
        ) : null}
        {spend ? (
          <>
            <dt>Model requests</dt>
            <dd>
              {formatNumber(spend.requests)}
              {spend.maxRequests === null ? "" : ` of ${formatNumber(spend.maxRequests)}`}
            </dd>
          </>
        ) : null}
      </dl>
    </section>
  );
}
