import type {
  CheckReport,
  CodeHost,
  FailedCheck,
  PullRequestFacts,
  RepoPermission,
  ReviewLineComment,
} from "../../domain/ports/code-host.js";
import { hasStatus } from "./github-errors.js";
import type { GitHubCallContext } from "./github-call-context.js";
import { withRetry } from "./retry.js";

/** Conclusions that do not block a merge. */
const PASSING = new Set(["success", "neutral", "skipped"]);
/** How much of a failed job's log the agent is shown: its end, where the error is. */
const LOG_TAIL_LINES = 80;
const LOG_TAIL_CHARS = 8_000;
/** At most this many annotations per check (GitHub pages them by 50). */
const MAX_ANNOTATIONS = 50;
const ACTIONS_APP = "github-actions";

/** The fields of a check run this module reads. */
interface CheckRunItem {
  id: number;
  name: string;
  status: string;
  conclusion: string | null;
  html_url?: string | null;
  details_url?: string | null;
  app?: { slug?: string } | null;
  output?: {
    title?: string | null;
    summary?: string | null;
    text?: string | null;
    annotations_count?: number;
  };
}

/**
 * What happens on a pull request after it opened: checks and statuses on its head (with
 * what failed, annotations and the tail of an Actions job's log), its state, review
 * comments, and who may ask for changes.
 */
export function checkReads(
  ctx: GitHubCallContext,
): Pick<
  CodeHost,
  "getCheckReport" | "getPullRequestFacts" | "getPermission" | "listReviewComments"
> {
  const { octokit, retry, logger, request, splitRepo } = ctx;

  async function annotations(owner: string, name: string, run: CheckRunItem) {
    if ((run.output?.annotations_count ?? 0) === 0) return [];
    const { data } = await withRetry(
      `read the annotations of check ${run.name}`,
      () =>
        octokit.checks.listAnnotations({
          owner,
          repo: name,
          check_run_id: run.id,
          per_page: MAX_ANNOTATIONS,
          ...request(),
        }),
      retry,
      logger,
    );
    return data.map((a) => ({
      path: a.path,
      line: a.start_line,
      level: a.annotation_level ?? "failure",
      message: [a.title, a.message].filter(Boolean).join(": "),
    }));
  }

  async function logTail(owner: string, name: string, run: CheckRunItem): Promise<string | null> {
    if (run.app?.slug !== ACTIONS_APP) return null;
    try {
      // For GitHub Actions, a check run's id is its job's id.
      const { data } = await octokit.request(
        "GET /repos/{owner}/{repo}/actions/jobs/{job_id}/logs",
        {
          owner,
          repo: name,
          job_id: run.id,
          ...request(),
        },
      );
      const text =
        typeof data === "string"
          ? data
          : data instanceof ArrayBuffer
            ? new TextDecoder().decode(data)
            : "";
      return tail(text);
    } catch (error) {
      // Logs expire and need more access than checks; the rest of the report still helps.
      logger.warn({ err: error, check: run.name }, "github job log not read");
      return null;
    }
  }

  return {
    async getCheckReport(repo, sha): Promise<CheckReport> {
      const { owner, name } = splitRepo(repo);
      const [runs, combined] = await Promise.all([
        withRetry(
          `list the checks of ${sha.slice(0, 12)} in ${repo}`,
          () =>
            octokit.checks.listForRef({
              owner,
              repo: name,
              ref: sha,
              filter: "latest",
              per_page: 100,
              ...request(),
            }),
          retry,
          logger,
        ),
        withRetry(
          `read the commit status of ${sha.slice(0, 12)} in ${repo}`,
          () =>
            octokit.repos.getCombinedStatusForRef({ owner, repo: name, ref: sha, ...request() }),
          retry,
          logger,
        ),
      ]);
      const report: CheckReport = { sha, pending: [], failed: [], passed: [] };
      for (const run of runs.data.check_runs as CheckRunItem[]) {
        if (run.status !== "completed") report.pending.push(run.name);
        else if (PASSING.has(run.conclusion ?? "")) report.passed.push(run.name);
        else {
          const [notes, log] = await Promise.all([
            annotations(owner, name, run),
            logTail(owner, name, run),
          ]);
          report.failed.push({
            name: run.name,
            conclusion: run.conclusion ?? "failure",
            title: run.output?.title ?? null,
            summary: run.output?.summary ?? null,
            text: run.output?.text ?? null,
            annotations: notes,
            logTail: log,
            url: run.html_url ?? run.details_url ?? null,
          });
        }
      }
      for (const status of combined.data.statuses) {
        if (status.state === "pending") report.pending.push(status.context);
        else if (status.state === "success") report.passed.push(status.context);
        else report.failed.push(statusFailure(status));
      }
      return report;
    },

    async getPullRequestFacts(repo, number): Promise<PullRequestFacts> {
      const { owner, name } = splitRepo(repo);
      const { data } = await withRetry(
        `read ${repo}#${number}`,
        () => octokit.pulls.get({ owner, repo: name, pull_number: number, ...request() }),
        retry,
        logger,
      );
      return {
        number: data.number,
        state: data.state === "closed" ? "closed" : "open",
        merged: data.merged === true || data.merged_at !== null,
        draft: data.draft ?? false,
        headRef: data.head.ref,
        headSha: data.head.sha,
        mergedAt: data.merged_at,
        closedAt: data.closed_at,
      };
    },

    async getPermission(repo, login): Promise<RepoPermission> {
      const { owner, name } = splitRepo(repo);
      try {
        const { data } = await withRetry(
          `read ${login}'s permission on ${repo}`,
          () =>
            octokit.repos.getCollaboratorPermissionLevel({
              owner,
              repo: name,
              username: login,
              ...request(),
            }),
          retry,
          logger,
          (error) => hasStatus(error, 404),
        );
        // `role_name` knows maintain and triage; `permission` folds them into write and read.
        const role = (data as { role_name?: string }).role_name ?? data.permission;
        return toPermission(role);
      } catch (error) {
        if (hasStatus(error, 404)) return "none";
        throw error;
      }
    },

    async listReviewComments(repo, number): Promise<ReviewLineComment[]> {
      const { owner, name } = splitRepo(repo);
      const { data } = await withRetry(
        `read the review comments of ${repo}#${number}`,
        () =>
          octokit.pulls.listReviewComments({
            owner,
            repo: name,
            pull_number: number,
            per_page: 100,
            ...request(),
          }),
        retry,
        logger,
      );
      return data.map((c) => ({
        id: c.id,
        author: c.user?.login ?? "unknown",
        body: c.body,
        path: c.path,
        line: c.line ?? c.original_line ?? null,
        diffHunk: c.diff_hunk,
        reviewId: c.pull_request_review_id ?? null,
      }));
    },
  };
}

function statusFailure(status: {
  context: string;
  state: string;
  description?: string | null;
  target_url?: string | null;
}): FailedCheck {
  return {
    name: status.context,
    conclusion: status.state,
    title: status.description ?? null,
    summary: null,
    text: null,
    annotations: [],
    logTail: null,
    url: status.target_url ?? null,
  };
}

function toPermission(role: string): RepoPermission {
  switch (role) {
    case "admin":
    case "maintain":
    case "write":
    case "triage":
    case "read":
      return role;
    case "push":
      return "write";
    case "pull":
      return "read";
    default:
      return "none";
  }
}

/** The last lines of a log, without the timestamps GitHub Actions puts on each. */
export function tail(log: string): string | null {
  const lines = log
    .replace(/\r\n/g, "\n")
    .trimEnd()
    .split("\n")
    .map((line) => line.replace(/^\d{4}-\d\d-\d\dT[\d:.]+Z /, ""));
  const text = lines.slice(-LOG_TAIL_LINES).join("\n");
  if (text.trim() === "") return null;
  return text.length > LOG_TAIL_CHARS ? text.slice(-LOG_TAIL_CHARS) : text;
}
