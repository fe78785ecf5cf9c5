import type { Usage } from "../../../shared/index.js";

/** Estimated cost of some token usage, as the server estimates it. */
export { estimateCost } from "../../../shared/index.js";

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
