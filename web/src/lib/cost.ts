import type { Pricing, Usage } from "../../../shared/index.js";

/**
 * Estimated cost of some token usage: uncached input at the input price, cached input at
 * the cached price, output at the output price (all per million tokens).
 */
export function estimateCost(usage: Usage, pricing: Pricing): number {
  const cached = Math.min(usage.cachedInputTokens, usage.inputTokens);
  const uncached = usage.inputTokens - cached;
  return (
    (uncached * pricing.inputPerMillion +
      cached * pricing.cachedInputPerMillion +
      usage.outputTokens * pricing.outputPerMillion) /
    1_000_000
  );
}

/** A cost in the pricing's currency, with cents (or more digits for tiny amounts). */
export function formatCost(amount: number, currency: string): string {
  const digits = amount > 0 && amount < 0.01 ? 4 : 2;
  try {
    return new Intl.NumberFormat(undefined, {
      style: "currency",
      currency,
      minimumFractionDigits: digits,
      maximumFractionDigits: digits,
    }).format(amount);
  } catch {
    return `${amount.toFixed(digits)} ${currency}`;
  }
}

/** Total tokens of a usage. */
export function totalTokens(usage: Usage): number {
  return usage.inputTokens + usage.outputTokens;
}
