import { z } from "zod";

/** What a GitHub webhook delivery means for Patchboard, or null: acknowledged and ignored. */
export type CodeHostEvent =
  | { kind: "checks"; repo: string; sha: string; branches: string[]; numbers: number[] }
  | {
      kind: "feedback";
      repo: string;
      number: number;
      feedback: "review" | "line_comment" | "comment";
      id: number;
      author: string;
      body: string;
      /** Set for a line comment: the comment itself. */
      line: { path: string; line: number | null; diffHunk: string } | null;
    }
  | {
      kind: "pull_request";
      repo: string;
      number: number;
      state: "open" | "merged" | "closed";
      at: string | null;
    };

const Repo = z.object({ full_name: z.string() });
const User = z.object({ login: z.string() });
const PrRef = z.object({ number: z.number().int() });

const CheckRunPayload = z.object({
  action: z.string(),
  repository: Repo,
  check_run: z.object({
    head_sha: z.string(),
    pull_requests: z.array(PrRef).nullish(),
    check_suite: z.object({ head_branch: z.string().nullish() }).nullish(),
  }),
});
const CheckSuitePayload = z.object({
  action: z.string(),
  repository: Repo,
  check_suite: z.object({
    head_sha: z.string(),
    head_branch: z.string().nullish(),
    pull_requests: z.array(PrRef).nullish(),
  }),
});
const StatusPayload = z.object({
  repository: Repo,
  sha: z.string(),
  state: z.string(),
  branches: z.array(z.object({ name: z.string() })).nullish(),
});
const ReviewPayload = z.object({
  action: z.string(),
  repository: Repo,
  pull_request: PrRef,
  review: z.object({
    id: z.number().int(),
    state: z.string(),
    body: z.string().nullish(),
    user: User.nullish(),
  }),
});
const ReviewCommentPayload = z.object({
  action: z.string(),
  repository: Repo,
  pull_request: PrRef,
  comment: z.object({
    id: z.number().int(),
    body: z.string(),
    user: User.nullish(),
    path: z.string(),
    line: z.number().int().nullish(),
    original_line: z.number().int().nullish(),
    diff_hunk: z.string().nullish(),
  }),
});
const IssueCommentPayload = z.object({
  action: z.string(),
  repository: Repo,
  issue: z.object({ number: z.number().int(), pull_request: z.unknown().optional() }),
  comment: z.object({ id: z.number().int(), body: z.string(), user: User.nullish() }),
});
const PullRequestPayload = z.object({
  action: z.string(),
  repository: Repo,
  pull_request: z.object({
    number: z.number().int(),
    merged: z.boolean().nullish(),
    merged_at: z.string().nullish(),
    closed_at: z.string().nullish(),
  }),
});

/**
 * Reads the GitHub webhook events Patchboard acts on: completed check runs and suites,
 * final commit statuses, submitted reviews, review and conversation comments that
 * mention it, and pull requests closed, merged or reopened.
 *
 * @throws ZodError when an event Patchboard acts on does not have GitHub's shape.
 */
export function readGitHubEvent(
  event: string,
  payload: unknown,
  mention: string,
): CodeHostEvent | null {
  switch (event) {
    case "check_run": {
      const p = CheckRunPayload.parse(payload);
      if (p.action !== "completed") return null;
      const branch = p.check_run.check_suite?.head_branch;
      return checks(
        p.repository.full_name,
        p.check_run.head_sha,
        branch,
        p.check_run.pull_requests,
      );
    }
    case "check_suite": {
      const p = CheckSuitePayload.parse(payload);
      if (p.action !== "completed") return null;
      const s = p.check_suite;
      return checks(p.repository.full_name, s.head_sha, s.head_branch, s.pull_requests);
    }
    case "status": {
      const p = StatusPayload.parse(payload);
      if (p.state === "pending") return null;
      return {
        kind: "checks",
        repo: p.repository.full_name,
        sha: p.sha,
        branches: (p.branches ?? []).map((b) => b.name),
        numbers: [],
      };
    }
    case "pull_request_review": {
      const p = ReviewPayload.parse(payload);
      const body = p.review.body ?? "";
      const changes = p.review.state.toLowerCase() === "changes_requested";
      if (p.action !== "submitted" || (!changes && !mentions(body, mention))) return null;
      return feedback(
        p.repository.full_name,
        p.pull_request.number,
        "review",
        p.review,
        body,
        null,
      );
    }
    case "pull_request_review_comment": {
      const p = ReviewCommentPayload.parse(payload);
      const c = p.comment;
      if (p.action !== "created" || !mentions(c.body, mention)) return null;
      return feedback(p.repository.full_name, p.pull_request.number, "line_comment", c, c.body, {
        path: c.path,
        line: c.line ?? c.original_line ?? null,
        diffHunk: c.diff_hunk ?? "",
      });
    }
    case "issue_comment": {
      const p = IssueCommentPayload.parse(payload);
      const c = p.comment;
      if (p.action !== "created" || p.issue.pull_request === undefined) return null;
      if (!mentions(c.body, mention)) return null;
      return feedback(p.repository.full_name, p.issue.number, "comment", c, c.body, null);
    }
    case "pull_request": {
      const p = PullRequestPayload.parse(payload);
      const pr = p.pull_request;
      if (p.action === "reopened") {
        return {
          kind: "pull_request",
          repo: p.repository.full_name,
          number: pr.number,
          state: "open",
          at: null,
        };
      }
      if (p.action !== "closed") return null;
      const merged = pr.merged === true || (pr.merged_at ?? null) !== null;
      return {
        kind: "pull_request",
        repo: p.repository.full_name,
        number: pr.number,
        state: merged ? "merged" : "closed",
        at: (merged ? pr.merged_at : pr.closed_at) ?? null,
      };
    }
    default:
      return null;
  }
}

function checks(
  repo: string,
  sha: string,
  branch: string | null | undefined,
  prs: { number: number }[] | null | undefined,
): CodeHostEvent {
  return {
    kind: "checks",
    repo,
    sha,
    branches: branch ? [branch] : [],
    numbers: (prs ?? []).map((pr) => pr.number),
  };
}

function feedback(
  repo: string,
  number: number,
  kind: "review" | "line_comment" | "comment",
  source: { id: number; user?: { login: string } | null | undefined },
  body: string,
  line: { path: string; line: number | null; diffHunk: string } | null,
): CodeHostEvent {
  return {
    kind: "feedback",
    repo,
    number,
    feedback: kind,
    id: source.id,
    author: source.user?.login ?? "unknown",
    body,
    line,
  };
}

/** Whether the text mentions Patchboard as a whole word (`@patchboard`, not `@patchboards`). */
export function mentions(text: string, mention: string): boolean {
  const escaped = mention.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  return new RegExp(`(^|[^\\w@])${escaped}(?![\\w-])`, "i").test(text);
}
