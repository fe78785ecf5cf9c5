import { randomUUID } from "node:crypto";
import type { Logger } from "pino";
import type { AppError } from "../app-error.js";
import type { TaskStore } from "../ports/task-store.js";
import type { ModelUsage, UsageMeter, UsageOwner } from "../ports/usage-meter.js";
import type { TaskEventHub } from "../ports/event-hub.js";
import { recordEvent } from "../tasks/record-event.js";
import type { BudgetCheckDeps } from "./budget-check.js";
import { requestBreach } from "./budget-check.js";
import { budgetDay, estimateCost } from "./budget-settings.js";

/** What the meter works with. */
export interface BudgetMeterDeps extends BudgetCheckDeps {
  store: TaskStore;
  hub: TaskEventHub;
  logger: Logger;
}

/** Owners remembered at most (a task's creator and repository never change). */
const OWNER_CACHE_SIZE = 1000;

/**
 * The domain side of the model gateway: admits each model request against the budgets,
 * records what each response used on the ledger and on the task at once (the task's
 * totals rise during a turn, and a `task.usage` event tells open pages), and keeps the
 * refusal that stopped a task so its turn ends `budget_exceeded` rather than as a Codex
 * failure. Tokens of a task metered here are the task's usage: the turn's own
 * `turn.completed` figures are not added again.
 */
export class BudgetMeter implements UsageMeter {
  readonly #owners = new Map<string, UsageOwner>();
  readonly #inFlight = new Map<string, UsageOwner>();
  readonly #refusals = new Map<string, AppError>();

  constructor(readonly deps: BudgetMeterDeps) {}

  async admit(ownerId: string): Promise<{ requestId: string } | { refused: { message: string } }> {
    const owner = await this.#owner(ownerId);
    const breach = await requestBreach(this.deps, owner);
    if (breach !== null) {
      this.#refusals.set(ownerId, breach);
      this.deps.logger.warn(
        { ownerId, code: breach.code, details: breach.details },
        "model request refused",
      );
      return { refused: { message: breach.message } };
    }
    const requestId = randomUUID();
    const now = this.deps.now();
    await this.deps.ledger.startRequest({
      id: requestId,
      owner,
      day: budgetDay(now),
      at: now.toISOString(),
    });
    this.#inFlight.set(requestId, owner);
    return { requestId };
  }

  async finish(requestId: string, usage: ModelUsage | null): Promise<void> {
    const owner = this.#inFlight.get(requestId);
    this.#inFlight.delete(requestId);
    if (owner === undefined || usage === null) return;
    const cost = estimateCost(usage, this.deps.pricing);
    await this.deps.ledger.completeRequest(requestId, usage, cost);
    if (owner.kind !== "task") return;
    const { inputTokens, cachedInputTokens, outputTokens } = usage;
    await this.deps.store.addUsage(owner.id, { inputTokens, cachedInputTokens, outputTokens });
    const [task, spend] = await Promise.all([
      this.deps.store.get(owner.id),
      this.deps.ledger.ownerSpend(owner.id),
    ]);
    if (task === null) return;
    await recordEvent(this.deps, owner.id, {
      type: "task.usage",
      payload: { usage: task.usage, spent: spend.cost, requests: spend.requests },
    });
  }

  /**
   * The budget refusal that stopped this task's requests since the last call, if any;
   * taking it clears it, so a later turn (after budget was added) starts clean.
   */
  takeRefusal(ownerId: string): AppError | null {
    const refusal = this.#refusals.get(ownerId) ?? null;
    this.#refusals.delete(ownerId);
    return refusal;
  }

  async #owner(ownerId: string): Promise<UsageOwner> {
    const known = this.#owners.get(ownerId);
    if (known !== undefined) return known;
    const task = await this.deps.store.get(ownerId);
    // Anything that is not a task is a nightly review run: it counts against the day only.
    const owner: UsageOwner =
      task === null
        ? { kind: "review", id: ownerId, person: null, repo: null }
        : { kind: "task", id: ownerId, person: task.createdBy, repo: task.repo };
    if (this.#owners.size >= OWNER_CACHE_SIZE) this.#owners.clear();
    this.#owners.set(ownerId, owner);
    return owner;
  }
}
