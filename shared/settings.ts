import { z } from "zod";
import type { Usage } from "./agent-event.js";

/** Token prices used to estimate cost, per million tokens. */
export const PricingSchema = z.object({
  currency: z.string(),
  inputPerMillion: z.number().nonnegative(),
  cachedInputPerMillion: z.number().nonnegative(),
  outputPerMillion: z.number().nonnegative(),
});
/** Token prices per million tokens. */
export type Pricing = z.infer<typeof PricingSchema>;

/**
 * What the estimated costs everywhere mean (the server's budgets, the pages' figures):
 * uncached input at the input price, cached input (a part of the input tokens, never on
 * top of them) at the cached price, output at the output price.
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

/** A configured repository, as the browser may see it (no clone URL, no paths). */
export const RepoSummarySchema = z.object({
  github: z.string(),
  jiraProject: z.string(),
  baseBranch: z.string(),
});
/** A configured repository. */
export type RepoSummary = z.infer<typeof RepoSummarySchema>;

/** `GET /api/settings`: what the dashboard needs to know about this installation. */
export const SettingsResponseSchema = z.object({
  mode: z.enum(["production", "sandbox"]),
  jiraBaseUrl: z.string(),
  repos: z.array(RepoSummarySchema),
  pricing: PricingSchema,
});
/** `GET /api/settings` */
export type SettingsResponse = z.infer<typeof SettingsResponseSchema>;
