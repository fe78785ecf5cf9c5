/** Where a pull request Patchboard opened stands. */
export type PullRequestState = "open" | "merged" | "closed";

/** What started a follow-up round on a pull request. */
export type RoundTrigger = "ci" | "review" | "comment";

/** A pull request Patchboard opened, tracked from its first push to its end. */
export interface TrackedPullRequest {
  taskId: string;
  /** `owner/name` */
  repo: string;
  number: number;
  url: string;
  branch: string;
  state: PullRequestState;
  draft: boolean;
  /** The head Patchboard pushed last: a different head means a person pushed. */
  headSha: string | null;
  /** ISO 8601. */
  openedAt: string;
  mergedAt: string | null;
  closedAt: string | null;
  /** Automatic CI rounds so far. */
  ciRounds: number;
  /** Rounds started by reviews and mentions so far. */
  reviewRounds: number;
  /** Why automatic rounds stopped (the round limit, a person's push); null while they run. */
  automationStopped: string | null;
  /** Whether the checks on the first head Patchboard pushed passed; null until known. */
  firstCiGreen: boolean | null;
}

/** One follow-up round a webhook (or the poller) started. */
export interface FollowUpRound {
  taskId: string;
  trigger: RoundTrigger;
  /** The GitHub login that asked, or the check names for CI. */
  actor: string | null;
  /** The head the round answered. */
  headSha: string | null;
  /** What makes the round unique: `ci:<sha>`, `review:<id>`, `comment:<id>`. */
  key: string;
  at: string;
}

/** What {@link PullRequestStore.update} may change. */
export type TrackedPullRequestPatch = Partial<
  Pick<
    TrackedPullRequest,
    "state" | "draft" | "mergedAt" | "closedAt" | "automationStopped" | "firstCiGreen"
  >
>;

/** The pull requests Patchboard opened and the follow-up rounds on them. */
export interface PullRequestStore {
  /**
   * Records that Patchboard pushed `headSha` to the task's pull request (creating the
   * record on the first push; `openedAt` is kept from then).
   */
  recordPush(input: {
    taskId: string;
    repo: string;
    number: number;
    url: string;
    branch: string;
    draft: boolean;
    headSha: string | null;
    at: string;
  }): Promise<TrackedPullRequest>;
  /** The tracked pull request by repository and number (case-insensitive repository). */
  find(repo: string, number: number): Promise<TrackedPullRequest | null>;
  /** The tracked pull request whose head is this branch. */
  findByBranch(repo: string, branch: string): Promise<TrackedPullRequest | null>;
  /**
   * The tracked pull request whose last pushed head is this commit: how a check on a
   * fork's head is matched, since GitHub names neither its branch nor its pull request.
   */
  findByHeadSha(repo: string, sha: string): Promise<TrackedPullRequest | null>;
  forTask(taskId: string): Promise<TrackedPullRequest | null>;
  /** Every tracked pull request still open (the poller's list). */
  listOpen(): Promise<TrackedPullRequest[]>;
  update(taskId: string, patch: TrackedPullRequestPatch): Promise<void>;
  /**
   * Records a round and counts it (CI or review) in one transaction; false when a round
   * with the same key was recorded before (a repeated event starts nothing).
   */
  claimRound(round: FollowUpRound): Promise<boolean>;
  /** The task's rounds, oldest first. */
  rounds(taskId: string): Promise<FollowUpRound[]>;
}

/** Webhook deliveries already handled, so a replay does nothing. */
export interface WebhookDeliveryStore {
  /** Records the delivery; false when it was recorded before. */
  claim(input: {
    source: "github" | "jira";
    id: string;
    event: string;
    at: string;
  }): Promise<boolean>;
  /** Forgets a delivery whose handling failed, so GitHub's redelivery is handled again. */
  release(source: "github" | "jira", id: string): Promise<void>;
}
