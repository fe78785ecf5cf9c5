import type { AppError } from "../../../server/domain/app-error.js";
import type {
  IssueTracker,
  TrackerIssueDetail,
  TrackerSearchOptions,
  TrackerSearchPage,
} from "../../../server/domain/ports/issue-tracker.js";

/** An in-memory IssueTracker for domain unit tests: records comments and transitions. */
export class FakeTracker implements IssueTracker {
  readonly issues = new Map<string, TrackerIssueDetail>();
  readonly comments: { key: string; body: string }[] = [];
  readonly transitions: { key: string; name: string }[] = [];
  /** Transition names every issue offers. */
  available = ["In Progress", "In Review"];
  /** Transitions that wait for their promise before they happen (a slow Jira). */
  readonly transitionDelays = new Map<string, Promise<void>>();
  /** When set, addComment fails with it. */
  commentError: AppError | null = null;

  add(issue: Partial<TrackerIssueDetail> & { key: string }): TrackerIssueDetail {
    const full: TrackerIssueDetail = {
      project: issue.key.split("-")[0] ?? "X",
      summary: `Bug ${issue.key}`,
      status: "Open",
      issueType: "Bug",
      priority: "High",
      assignee: null,
      reporter: "Reporter",
      labels: [],
      updated: "2026-11-01T10:00:00.000Z",
      url: `https://jira.example/browse/${issue.key}`,
      description: "It breaks.",
      comments: [],
      ...issue,
    };
    this.issues.set(full.key, full);
    return full;
  }

  search(options: TrackerSearchOptions): Promise<TrackerSearchPage> {
    const all = [...this.issues.values()].filter(
      (i) =>
        options.projects.includes(i.project) &&
        (!options.text || i.summary.toLowerCase().includes(options.text.toLowerCase())),
    );
    const start = options.cursor ? Number(options.cursor) : 0;
    const issues = all.slice(start, start + options.limit);
    const next = start + options.limit < all.length ? String(start + options.limit) : null;
    return Promise.resolve({ issues, nextCursor: next });
  }

  getIssue(key: string): Promise<TrackerIssueDetail | null> {
    return Promise.resolve(this.issues.get(key) ?? null);
  }

  addComment(key: string, body: string): Promise<void> {
    if (this.commentError) return Promise.reject(this.commentError);
    this.comments.push({ key, body });
    // Like Jira, the comment then shows on the issue.
    const issue = this.issues.get(key);
    issue?.comments.push({
      id: String(this.comments.length),
      author: "Patchboard",
      body,
      created: new Date().toISOString(),
    });
    return Promise.resolve();
  }

  async transition(key: string, name: string): Promise<boolean> {
    await this.transitionDelays.get(name);
    if (!this.available.includes(name)) return false;
    this.transitions.push({ key, name });
    return true;
  }

  checkAccess(): Promise<void> {
    return Promise.resolve();
  }
}
