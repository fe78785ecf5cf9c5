import type { Logger } from "pino";
import type { CodeHost } from "../ports/code-host.js";
import type { CodingAgent } from "../ports/coding-agent.js";
import type { IssueTracker } from "../ports/issue-tracker.js";
import type { RepoRegistry } from "../repo-registry.js";
import type { AgentSlots } from "../ports/agent-slots.js";
import type {
  PullRequestCheckouts,
  ReviewLocks,
  ReviewNotifier,
  ReviewStore,
} from "../ports/review-ports.js";

/** Settings of the nightly review, from the configuration. */
export interface ReviewSettings {
  /** Pull requests updated in the last this-many hours are reviewed. */
  windowHours: number;
  /** Also post each review as a comment on its pull request. */
  commentOnPr: boolean;
  /** Deadline of one review turn. */
  turnTimeoutMs: number;
  /** Jira's web address, to link a ticket Jira could not be asked about. */
  jiraBaseUrl: string;
  /** Review pull requests opened from forks too; off when absent. */
  reviewForks?: boolean;
}

/** Everything the review use cases work with, passed in (no singletons). */
export interface ReviewDeps {
  store: ReviewStore;
  /** Per pull request locks, so overlapping runs of several processes never review one twice. */
  locks: ReviewLocks;
  codeHost: CodeHost;
  tracker: IssueTracker;
  checkouts: PullRequestCheckouts;
  agent: CodingAgent;
  /** Null when no Slack webhook is configured. */
  notifier: ReviewNotifier | null;
  repos: RepoRegistry;
  /** The agent concurrency limit shared with the fix tasks' runner. */
  slots: AgentSlots;
  settings: ReviewSettings;
  logger: Logger;
  now: () => Date;
}
