/**
 * Seeds and views of the fake Jira's in-memory project state.
 */

/** An ADF document, for seeds that want exact rich text (tables, panels, mentions…). */
export interface FakeAdfDocument {
  type: "doc";
  version?: number;
  content: unknown[];
}

/** Rich text as seeded: markdown-ish text (served as ADF on v3) or an ADF document. */
export type FakeRichText = string | FakeAdfDocument;

/** A comment as seeded. */
export interface FakeCommentSeed {
  author: string;
  body: FakeRichText;
  /** ISO 8601; defaults to the issue's updated time. */
  created?: string;
}

/** A workflow transition available on an issue. */
export interface FakeTransitionSeed {
  name: string;
  /** The status it leads to. */
  to: string;
}

/** An issue as seeded. Only key and summary are required. */
export interface FakeIssueSeed {
  key: string;
  summary: string;
  description?: FakeRichText | null;
  /** Default "To Do". */
  status?: string;
  /** Default "Medium"; null for none. */
  priority?: string | null;
  assignee?: string | null;
  reporter?: string | null;
  labels?: string[];
  comments?: FakeCommentSeed[];
  /** Default "Bug". */
  issuetype?: string;
  /** ISO 8601; default now. */
  updated?: string;
  /** ISO 8601; default `updated`. */
  created?: string;
  /**
   * Transitions offered. Default: a simple workflow (To Do, In Progress, In Review,
   * Done) minus the transition to the current status.
   */
  transitions?: FakeTransitionSeed[];
}

/** A stored comment. */
export interface FakeComment {
  id: string;
  author: string;
  body: FakeRichText;
  created: string;
}

/** A stored issue. */
export interface FakeIssue {
  id: string;
  key: string;
  project: string;
  summary: string;
  description: FakeRichText | null;
  status: string;
  priority: string | null;
  assignee: string | null;
  reporter: string | null;
  labels: string[];
  issuetype: string;
  created: string;
  updated: string;
  comments: FakeComment[];
  transitions: FakeTransitionSeed[] | null;
}

/** Which Jira the fake impersonates. */
export type FakeJiraFlavor = "cloud" | "datacenter";

/** The credentials it accepts: basic email + API token (Cloud) or a bearer PAT (Data Center). */
export type FakeJiraCredentials = { email: string; apiToken: string } | { pat: string };

/** One request the fake received (for assertions); never includes credentials. */
export interface FakeJiraRequest {
  method: string;
  path: string;
  query: string;
  body: unknown;
  status: number;
}
