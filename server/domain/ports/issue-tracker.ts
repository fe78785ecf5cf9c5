import type { TicketComment } from "../../../shared/ticket.js";

/** A Jira issue as the domain sees it. */
export interface TrackerIssue {
  key: string;
  /** The project key, e.g. `CALC`. */
  project: string;
  summary: string;
  status: string;
  issueType: string;
  priority: string | null;
  assignee: string | null;
  reporter: string | null;
  labels: string[];
  /** ISO 8601. */
  updated: string;
  /** The issue's page in Jira. */
  url: string;
}

/** A Jira issue with its description (plain text or markdown) and comments. */
export interface TrackerIssueDetail extends TrackerIssue {
  description: string;
  comments: TicketComment[];
}

/** One page of a search. */
export interface TrackerSearchPage {
  issues: TrackerIssue[];
  /** Opaque; pass back to get the next page. Null on the last page. */
  nextCursor: string | null;
}

/** Search options. */
export interface TrackerSearchOptions {
  /** Only issues of these projects. */
  projects: string[];
  /** Free text to match, optional. */
  text?: string | undefined;
  cursor?: string | undefined;
  limit: number;
}

/**
 * The issue tracker (Jira). Errors are thrown as AppError with `jira_auth`,
 * `jira_unavailable` or `jira_not_found`.
 */
export interface IssueTracker {
  /** Searches the configured JQL, restricted to the given projects. */
  search(options: TrackerSearchOptions): Promise<TrackerSearchPage>;
  /** One issue with description and comments; null when it does not exist or lies outside the configured scope (JIRA_JQL). */
  getIssue(key: string): Promise<TrackerIssueDetail | null>;
  /** Adds a plain-text comment. */
  addComment(key: string, body: string): Promise<void>;
  /**
   * Moves the issue through the transition with this name. Returns false (and does
   * nothing) when the issue has no such transition.
   */
  transition(key: string, transitionName: string): Promise<boolean>;
  /** Calls the tracker once to check the credentials. */
  checkAccess(): Promise<void>;
}
