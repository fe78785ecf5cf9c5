import type { Usage } from "../../../../shared/index.js";
import { estimateCost, formatCost } from "../../lib/cost.js";
import { formatNumber } from "../../lib/format.js";
import { useSettings } from "../../hooks/use-settings.js";

/** Tokens the task used, and what that cost by the configured prices. */
export function UsageCard({ usage }: { usage: Usage }) {
  const settings = useSettings();
  const pricing = settings.data?.pricing;
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
      </dl>
    </section>
  );
}
