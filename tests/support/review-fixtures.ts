import { pino } from "pino";
import type { PullRequestReview, RiskLevel } from "../../shared/review.js";
import { createReviewStore, openSqliteDatabase } from "../../server/adapters/storage/index.js";
import type { SqliteDatabase } from "../../server/adapters/storage/index.js";
import type { OpenPullRequest } from "../../server/domain/ports/code-host.js";
import type {
  AgentTurnRequest,
  AgentTurnResult,
  CodingAgent,
} from "../../server/domain/ports/coding-agent.js";
import type { Workspace } from "../../server/domain/ports/workspaces.js";
import type { RepoConfig } from "../../server/domain/repo-config.js";
import { RepoRegistry } from "../../server/domain/repo-registry.js";
import { createMemoryReviewLocks } from "../../server/adapters/limits/memory-review-locks.js";
import { inMemoryAgentSlots } from "./fakes/in-memory-slot-leases.js";
import type { ReviewDeps } from "../../server/domain/reviews/review-deps.js";
import type {
  PullRequestCheckouts,
  PullRequestRef,
  ReviewDigest,
  ReviewNotifier,
} from "../../server/domain/ports/review-ports.js";
import { FakeCodeHost } from "./fakes/fake-code-host.js";
import { FakeTracker } from "./fakes/fake-tracker.js";
import { CALC_REPO } from "./fakes/domain-harness.js";

/** The review JSON an agent would answer for a pull request. */
export function reviewJson(
  prNumber: number,
  risk: RiskLevel,
  overrides: Partial<PullRequestReview> = {},
): PullRequestReview {
  return {
    pr_number: prNumber,
    title: `PR ${prNumber}`,
    summary: `Change ${prNumber} looks ${risk === "high" ? "dangerous" : "fine"}.`,
    risk_level: risk,
    security_concerns: risk === "high" ? ["Builds SQL from user input"] : [],
    test_notes: risk === "low" ? "Covered by unit tests." : null,
    ...overrides,
  };
}

/** An open pull request of `acme/calc`, updated an hour before `now`. */
export function openPr(number: number, overrides: Partial<OpenPullRequest> = {}): OpenPullRequest {
  return {
    repo: "acme/calc",
    number,
    title: `Change number ${number}`,
    url: `https://github.example/acme/calc/pull/${number}`,
    author: "ada",
    draft: false,
    headRef: `feature/${number}`,
    headSha: `${number}`.padStart(40, "a"),
    baseRef: "main",
    updatedAt: "2026-01-01T23:00:00.000Z",
    ...overrides,
  };
}

/** What the prompt agent answers: a final message, an error, or waiting for the abort. */
export type PromptAnswer = { final: string } | { error: Error } | { hang: true };

/** A CodingAgent answering from the prompt, since concurrent reviews arrive in any order. */
export class PromptAgent implements CodingAgent {
  readonly requests: AgentTurnRequest[] = [];
  /** The most turns that ran at once. */
  maxConcurrent = 0;
  #running = 0;

  constructor(private readonly answer: (prompt: string) => PromptAnswer) {}

  async runTurn(request: AgentTurnRequest): Promise<AgentTurnResult> {
    this.requests.push(request);
    this.#running += 1;
    this.maxConcurrent = Math.max(this.maxConcurrent, this.#running);
    try {
      // A tick, so concurrent turns really overlap.
      await new Promise((resolve) => setTimeout(resolve, 5));
      const answer = this.answer(request.prompt);
      if ("error" in answer) throw answer.error;
      if ("hang" in answer) {
        await new Promise<void>((_resolve, reject) => {
          const fail = () => reject(request.signal.reason as Error);
          if (request.signal.aborted) fail();
          request.signal.addEventListener("abort", fail, { once: true });
        });
      }
      const usage = { inputTokens: 100, cachedInputTokens: 10, outputTokens: 20 };
      return {
        threadId: `thread-${this.requests.length}`,
        finalResponse: "final" in answer ? answer.final : "",
        usage,
      };
    } finally {
      this.#running -= 1;
    }
  }
}

/** The pull request number a review prompt is about. */
export function prNumberOf(prompt: string): number {
  return Number(/Review pull request #(\d+)/.exec(prompt)?.[1] ?? NaN);
}

/** In-memory checkouts: records what was checked out and removed. */
export class FakeCheckouts implements PullRequestCheckouts {
  readonly checkedOut: { checkoutId: string; pr: PullRequestRef }[] = [];
  readonly removed: string[] = [];

  checkoutPullRequest(
    _repo: RepoConfig,
    checkoutId: string,
    pr: PullRequestRef,
  ): Promise<Workspace> {
    this.checkedOut.push({ checkoutId, pr });
    return Promise.resolve({
      path: `/fake/worktrees/${checkoutId}`,
      branch: checkoutId,
      baseSha: "base000",
    });
  }

  remove(checkoutId: string): Promise<void> {
    this.removed.push(checkoutId);
    return Promise.resolve();
  }
}

/** A notifier that records digests, or fails when told. */
export class RecordingNotifier implements ReviewNotifier {
  readonly digests: ReviewDigest[] = [];
  error: Error | null = null;

  postDigest(digest: ReviewDigest): Promise<void> {
    if (this.error) return Promise.reject(this.error);
    this.digests.push(digest);
    return Promise.resolve();
  }
}

/** The review domain on fakes and an in-memory SQLite store, at a fixed "now". */
export async function reviewHarness(
  options: {
    answer?: (prompt: string) => PromptAnswer;
    capacity?: number;
    repos?: RepoConfig[];
  } = {},
) {
  const db: SqliteDatabase = await openSqliteDatabase({
    file: ":memory:",
    logger: pino({ level: "silent" }),
  });
  const codeHost = new FakeCodeHost();
  const tracker = new FakeTracker();
  const agent = new PromptAgent(
    options.answer ??
      ((prompt) => ({ final: JSON.stringify(reviewJson(prNumberOf(prompt), "low")) })),
  );
  const checkouts = new FakeCheckouts();
  const notifier = new RecordingNotifier();
  const slots = inMemoryAgentSlots(options.capacity ?? 2);
  const deps: ReviewDeps = {
    store: createReviewStore(db),
    locks: createMemoryReviewLocks(),
    codeHost,
    tracker,
    checkouts,
    agent,
    notifier,
    repos: new RepoRegistry(options.repos ?? [CALC_REPO]),
    slots,
    settings: {
      windowHours: 24,
      commentOnPr: false,
      turnTimeoutMs: 60_000,
      jiraBaseUrl: "https://jira.example",
    },
    logger: pino({ level: "silent" }),
    now: () => new Date("2026-01-02T02:00:00.000Z"),
  };
  return { db, deps, codeHost, tracker, agent, checkouts, notifier, slots };
}
