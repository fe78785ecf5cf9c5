import type {
  FakeComment,
  FakeIssue,
  FakeIssueSeed,
  FakeRichText,
  FakeTransitionSeed,
} from "./fake-jira-types.js";

/** The workflow used when a seed lists no transitions. */
const DEFAULT_WORKFLOW = ["To Do", "In Progress", "In Review", "Done"];

const KEY_PATTERN = /^[A-Z][A-Z0-9_]+-[1-9][0-9]*$/;

/** A transition as offered: the seed's, with Jira-like numeric ids. */
export interface FakeTransition extends FakeTransitionSeed {
  id: string;
}

/**
 * The fake's in-memory project state: issues, their comments and workflow. Mutated
 * by the HTTP handlers (comments, transitions) and by the test or demo that owns it.
 */
export class FakeJiraState {
  private readonly issues = new Map<string, FakeIssue>();
  private nextIssueId = 10_000;
  private nextCommentId = 10_000;

  constructor(seeds: readonly FakeIssueSeed[]) {
    for (const seed of seeds) this.add(seed);
  }

  /** Adds an issue; its key must be new and look like `CALC-12`. */
  add(seed: FakeIssueSeed): FakeIssue {
    const key = seed.key.toUpperCase();
    if (!KEY_PATTERN.test(key)) throw new Error(`Fake Jira: invalid issue key ${seed.key}`);
    if (this.issues.has(key)) throw new Error(`Fake Jira: issue ${key} already exists`);
    const updated = new Date(seed.updated ?? Date.now()).toISOString();
    const issue: FakeIssue = {
      id: String(this.nextIssueId++),
      key,
      project: key.slice(0, key.lastIndexOf("-")),
      summary: seed.summary,
      description: seed.description ?? null,
      status: seed.status ?? "To Do",
      priority: seed.priority === undefined ? "Medium" : seed.priority,
      assignee: seed.assignee ?? null,
      reporter: seed.reporter ?? null,
      labels: [...(seed.labels ?? [])],
      issuetype: seed.issuetype ?? "Bug",
      created: new Date(seed.created ?? updated).toISOString(),
      updated,
      comments: [],
      transitions: seed.transitions ? seed.transitions.map((t) => ({ ...t })) : null,
    };
    for (const comment of seed.comments ?? []) {
      this.pushComment(issue, comment.author, comment.body, comment.created ?? updated);
    }
    this.issues.set(key, issue);
    return issue;
  }

  /** The issue with this key (case-insensitive), if any. */
  get(key: string): FakeIssue | undefined {
    return this.issues.get(key.toUpperCase());
  }

  /** All issues, in insertion order. */
  all(): FakeIssue[] {
    return [...this.issues.values()];
  }

  private pushComment(
    issue: FakeIssue,
    author: string,
    body: FakeRichText,
    created: string,
  ): FakeComment {
    const comment: FakeComment = {
      id: String(this.nextCommentId++),
      author,
      body,
      created: new Date(created).toISOString(),
    };
    issue.comments.push(comment);
    return comment;
  }

  /** Adds a comment now, bumping the issue's updated time. */
  addComment(issue: FakeIssue, author: string, body: FakeRichText): FakeComment {
    const now = new Date().toISOString();
    issue.updated = now;
    return this.pushComment(issue, author, body, now);
  }

  /** The transitions the issue offers now. */
  transitionsOf(issue: FakeIssue): FakeTransition[] {
    if (issue.transitions) {
      return issue.transitions.map((transition, index) => ({
        ...transition,
        id: String(11 + 10 * index),
      }));
    }
    // Ids are fixed per target status, like a real workflow's.
    return DEFAULT_WORKFLOW.flatMap((status, index) =>
      status.toLowerCase() === issue.status.toLowerCase()
        ? []
        : [{ name: status, to: status, id: String(11 + 10 * index) }],
    );
  }

  /** Applies the transition with this id; false when the issue offers none with it. */
  applyTransition(issue: FakeIssue, id: string): boolean {
    const transition = this.transitionsOf(issue).find((t) => t.id === id);
    if (!transition) return false;
    issue.status = transition.to;
    issue.updated = new Date().toISOString();
    return true;
  }
}
