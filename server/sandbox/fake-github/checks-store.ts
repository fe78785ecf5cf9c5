import { nextId, timestamp, type FakeUser } from "./store.js";

/** A check run as the fake keeps it, in GitHub's JSON shape. */
export interface FakeCheckRun {
  id: number;
  name: string;
  head_sha: string;
  status: "queued" | "in_progress" | "completed";
  conclusion: string | null;
  html_url: string;
  details_url: string;
  started_at: string;
  completed_at: string | null;
  app: { slug: string; name: string };
  output: {
    title: string | null;
    summary: string | null;
    text: string | null;
    annotations_count: number;
  };
}

/** An annotation of a check run, in GitHub's JSON shape. */
export interface FakeAnnotation {
  path: string;
  start_line: number;
  end_line: number;
  annotation_level: "notice" | "warning" | "failure";
  title: string | null;
  message: string;
}

/** A commit status, in GitHub's JSON shape. */
export interface FakeStatus {
  id: number;
  context: string;
  state: "error" | "failure" | "pending" | "success";
  description: string | null;
  target_url: string | null;
  created_at: string;
}

/** A review comment on a line of a pull request's diff, in GitHub's JSON shape. */
export interface FakeReviewComment {
  id: number;
  pull_request_review_id: number | null;
  path: string;
  line: number | null;
  original_line: number | null;
  diff_hunk: string;
  body: string;
  user: FakeUser;
  created_at: string;
}

/** What a test (or the sandbox page) says a check did. */
export interface NewCheckRun {
  name: string;
  conclusion: "success" | "failure" | "neutral" | "cancelled" | "timed_out" | null;
  title?: string;
  summary?: string;
  text?: string;
  annotations?: {
    path: string;
    line: number;
    message: string;
    level?: FakeAnnotation["annotation_level"];
  }[];
  /** The job's log, served as a GitHub Actions job log. */
  log?: string;
}

/** Check runs, statuses, job logs and review comments of one repository. */
export class ChecksState {
  readonly runs: FakeCheckRun[] = [];
  readonly annotations = new Map<number, FakeAnnotation[]>();
  readonly logs = new Map<number, string>();
  readonly statuses = new Map<string, FakeStatus[]>();
  readonly reviewComments = new Map<number, FakeReviewComment[]>();

  /** Records a check run on a commit (completed unless its conclusion is null). */
  addRun(sha: string, input: NewCheckRun, htmlBase: string): FakeCheckRun {
    const id = nextId();
    const now = timestamp();
    const annotations = (input.annotations ?? []).map((a) => ({
      path: a.path,
      start_line: a.line,
      end_line: a.line,
      annotation_level: a.level ?? "failure",
      title: null,
      message: a.message,
    }));
    const run: FakeCheckRun = {
      id,
      name: input.name,
      head_sha: sha,
      status: input.conclusion === null ? "in_progress" : "completed",
      conclusion: input.conclusion,
      html_url: `${htmlBase}/runs/${id}`,
      details_url: `${htmlBase}/runs/${id}`,
      started_at: now,
      completed_at: input.conclusion === null ? null : now,
      app: { slug: "github-actions", name: "GitHub Actions" },
      output: {
        title: input.title ?? null,
        summary: input.summary ?? null,
        text: input.text ?? null,
        annotations_count: annotations.length,
      },
    };
    this.runs.push(run);
    this.annotations.set(id, annotations);
    if (input.log !== undefined) this.logs.set(id, input.log);
    return run;
  }

  /** The latest run of each name on a commit, like `filter=latest`. */
  latestRuns(sha: string): FakeCheckRun[] {
    const byName = new Map<string, FakeCheckRun>();
    for (const run of this.runs) if (run.head_sha === sha) byName.set(run.name, run);
    return [...byName.values()];
  }

  /** Sets a commit status (the latest per context wins). */
  setStatus(sha: string, status: Omit<FakeStatus, "id" | "created_at">): FakeStatus {
    const list = (this.statuses.get(sha) ?? []).filter((s) => s.context !== status.context);
    const stored = { ...status, id: nextId(), created_at: timestamp() };
    list.push(stored);
    this.statuses.set(sha, list);
    return stored;
  }

  /** GitHub's combined status of a commit. */
  combined(sha: string): {
    state: string;
    sha: string;
    statuses: FakeStatus[];
    total_count: number;
  } {
    const statuses = this.statuses.get(sha) ?? [];
    const state = statuses.some((s) => s.state === "error" || s.state === "failure")
      ? "failure"
      : statuses.length > 0 && statuses.every((s) => s.state === "success")
        ? "success"
        : "pending";
    return { state, sha, statuses, total_count: statuses.length };
  }
}
