import type { Usage } from "../../../shared/agent-event.js";
import type { SpendRow } from "../../../shared/budget.js";

/** Tokens of one model response; reasoning tokens are part of the output tokens. */
export interface ModelUsage extends Usage {
  reasoningTokens: number;
}

/** Who a model request is made for: a task, or a nightly review run. */
export interface UsageOwner {
  kind: "task" | "review";
  /** The task's (or review run's) id. */
  id: string;
  /** Who asked for it (the task's creator); null for a review run. */
  person: string | null;
  /** The repository (`owner/name`); null when not known (a review run). */
  repo: string | null;
}

/** Money and requests spent. */
export interface Spend {
  /** Estimated cost, in the configured currency. */
  cost: number;
  requests: number;
}

/**
 * Durable record of every model request the gateway let through, with its usage and
 * estimated cost once the response completed, and of the budget people added to a task.
 */
export interface UsageLedger {
  /** Records a request as started (it counts as a request from now on, whatever its end). */
  startRequest(entry: { id: string; owner: UsageOwner; day: string; at: string }): Promise<void>;
  /** Adds the usage and cost of the request's response. */
  completeRequest(id: string, usage: ModelUsage, cost: number): Promise<void>;
  /** What one task (or review run) spent, over all days. */
  ownerSpend(ownerId: string): Promise<Spend>;
  /** What was spent on a day, by everyone or by one person or repository. */
  daySpend(day: string, filter?: { person?: string; repo?: string }): Promise<Spend>;
  /** Spend per day, person and repository, for the days `from`..`to` inclusive. */
  spendReport(from: string, to: string): Promise<SpendRow[]>;
  /** Records budget added to a task by a person. */
  addGrant(grant: { ownerId: string; amount: number; by: string; at: string }): Promise<void>;
  /** The budget added to a task so far. */
  grantedTo(ownerId: string): Promise<number>;
}

/** Why the gateway refuses a request. */
export interface Refusal {
  /** A message a person can act on: which budget, what was spent, when it resets. */
  message: string;
}

/**
 * What the model gateway asks before and after each request: whether the request may go
 * out (budgets), and what its response used (metering). Implemented by the domain.
 */
export interface UsageMeter {
  /** Admits a request of this task (or review run), or refuses it. */
  admit(ownerId: string): Promise<{ requestId: string } | { refused: Refusal }>;
  /**
   * Ends an admitted request, with the usage its `response.completed` event reported, or
   * null when none came (an error, a disconnect). Called exactly once per admitted request.
   */
  finish(requestId: string, usage: ModelUsage | null): Promise<void>;
}
