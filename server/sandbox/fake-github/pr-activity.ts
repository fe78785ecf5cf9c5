import type { RepoEntry, Reply } from "./api-routes.js";
import type { NewCheckRun } from "./checks-store.js";
import { headRepoOf, readHead } from "./fork-heads.js";
import { HttpFailure } from "./http-util.js";
import { nextId, timestamp, userOf, type FakeComment, type FakePullRequest } from "./store.js";
import type { FakeDelivery, WebhookSender } from "./webhook-sender.js";

/**
 * What happens on a pull request after it opened, in the fake: checks, statuses, reviews,
 * comments and merges, each stored where the REST API reads it and sent as the webhook
 * GitHub would send.
 */
export class PullRequestActivity {
  constructor(
    private readonly baseUrl: () => string,
    private readonly webhooks: WebhookSender,
  ) {}

  #pull(repo: RepoEntry, number: number): FakePullRequest {
    const pr = repo.state.pull(number);
    if (!pr) throw new HttpFailure(404, "Not Found");
    return pr;
  }

  async #headSha(repo: RepoEntry, pr: FakePullRequest): Promise<string> {
    const sha = await readHead(repo, pr);
    if (sha) pr.head.sha = sha;
    return pr.head.sha;
  }

  #envelope(repo: RepoEntry, sender: string): Record<string, unknown> {
    return {
      repository: {
        full_name: repo.fullName,
        name: repo.name,
        owner: userOf(repo.owner, this.baseUrl()),
      },
      sender: userOf(sender, this.baseUrl()),
    };
  }

  /** A check run on the pull request's current head; completed ones send `check_run` and `check_suite`. */
  async addCheckRun(
    repo: RepoEntry,
    number: number,
    input: NewCheckRun,
  ): Promise<FakeDelivery | null> {
    const pr = this.#pull(repo, number);
    const sha = await this.#headSha(repo, pr);
    const run = repo.checks.addRun(sha, input, `${this.baseUrl()}/${repo.fullName}/actions`);
    if (run.status !== "completed") return null;
    // GitHub names neither the branch nor the pull request when the head is in a fork.
    const fromFork = headRepoOf(repo, pr) !== repo;
    const prs = fromFork
      ? []
      : [{ number: pr.number, head: { ref: pr.head.ref, sha }, base: { ref: pr.base.ref } }];
    const suite = { id: run.id, head_branch: fromFork ? null : pr.head.ref, head_sha: sha };
    const delivery = await this.webhooks.send("check_run", {
      action: "completed",
      check_run: { ...run, check_suite: suite, pull_requests: prs },
      ...this.#envelope(repo, "github-actions[bot]"),
    });
    const runs = repo.checks.latestRuns(sha);
    if (runs.every((r) => r.status === "completed")) {
      const failed = runs.some(
        (r) => !["success", "neutral", "skipped"].includes(r.conclusion ?? ""),
      );
      await this.webhooks.send("check_suite", {
        action: "completed",
        check_suite: {
          ...suite,
          status: "completed",
          conclusion: failed ? "failure" : "success",
          pull_requests: prs,
          app: run.app,
        },
        ...this.#envelope(repo, "github-actions[bot]"),
      });
    }
    return delivery;
  }

  /** A commit status on the pull request's head; sends `status`. */
  async setStatus(
    repo: RepoEntry,
    number: number,
    input: {
      context: string;
      state: "error" | "failure" | "pending" | "success";
      description?: string;
    },
  ): Promise<FakeDelivery | null> {
    const pr = this.#pull(repo, number);
    const sha = await this.#headSha(repo, pr);
    const status = repo.checks.setStatus(sha, {
      context: input.context,
      state: input.state,
      description: input.description ?? null,
      target_url: null,
    });
    return this.webhooks.send("status", {
      sha,
      state: status.state,
      context: status.context,
      description: status.description,
      target_url: null,
      // The base repository's branches holding the commit: none for a fork's head.
      branches: headRepoOf(repo, pr) === repo ? [{ name: pr.head.ref, commit: { sha } }] : [],
      ...this.#envelope(repo, "ci-bot"),
    });
  }

  /** A review by `author`, with line comments; sends `pull_request_review` (submitted). */
  async submitReview(
    repo: RepoEntry,
    number: number,
    input: {
      author: string;
      state: "changes_requested" | "approved" | "commented";
      body: string;
      comments?: { path: string; line: number; body: string; diffHunk?: string }[];
    },
  ): Promise<FakeDelivery | null> {
    const pr = this.#pull(repo, number);
    const sha = await this.#headSha(repo, pr);
    const id = nextId();
    const user = userOf(input.author, this.baseUrl());
    const list = repo.checks.reviewComments.get(number) ?? [];
    for (const c of input.comments ?? []) {
      list.push({
        id: nextId(),
        pull_request_review_id: id,
        path: c.path,
        line: c.line,
        original_line: c.line,
        diff_hunk: c.diffHunk ?? `@@ -${c.line},1 +${c.line},1 @@`,
        body: c.body,
        user,
        created_at: timestamp(),
      });
    }
    repo.checks.reviewComments.set(number, list);
    return this.webhooks.send("pull_request_review", {
      action: "submitted",
      review: {
        id,
        user,
        body: input.body,
        state: input.state,
        commit_id: sha,
        submitted_at: timestamp(),
        html_url: `${pr.html_url}#pullrequestreview-${id}`,
      },
      pull_request: pr,
      ...this.#envelope(repo, input.author),
    });
  }

  /** A conversation comment by `author`; sends `issue_comment` (created). */
  async comment(
    repo: RepoEntry,
    number: number,
    input: { author: string; body: string },
  ): Promise<FakeDelivery | null> {
    const pr = this.#pull(repo, number);
    const id = nextId();
    const now = timestamp();
    const comment: FakeComment = {
      id,
      url: `${this.baseUrl()}/repos/${repo.fullName}/issues/comments/${id}`,
      html_url: `${pr.html_url}#comment-${id}`,
      issue_url: pr.issue_url,
      body: input.body,
      user: userOf(input.author, this.baseUrl()),
      created_at: now,
      updated_at: now,
    };
    const list = repo.state.comments.get(number) ?? [];
    list.push(comment);
    repo.state.comments.set(number, list);
    return this.webhooks.send("issue_comment", {
      action: "created",
      issue: { number, title: pr.title, pull_request: { url: pr.url, html_url: pr.html_url } },
      comment,
      ...this.#envelope(repo, input.author),
    });
  }

  /** Merges (or closes unmerged) the pull request; sends `pull_request` (closed). */
  async close(
    repo: RepoEntry,
    number: number,
    merged: boolean,
    by: string,
  ): Promise<FakeDelivery | null> {
    const pr = this.#pull(repo, number);
    if (merged && pr.draft) throw new HttpFailure(405, "Pull Request is still a draft");
    await this.#headSha(repo, pr);
    const now = timestamp();
    pr.state = "closed";
    pr.closed_at = now;
    pr.merged = merged;
    pr.merged_at = merged ? now : null;
    pr.updated_at = now;
    return this.webhooks.send("pull_request", {
      action: "closed",
      number,
      pull_request: pr,
      ...this.#envelope(repo, by),
    });
  }
}

/** `GET /repos/:o/:r/commits/:sha/check-runs` */
export function listCheckRuns(repo: RepoEntry, sha: string): Reply {
  const runs = repo.checks.latestRuns(sha);
  return { status: 200, json: { total_count: runs.length, check_runs: runs } };
}

/** `GET /repos/:o/:r/check-runs/:id/annotations` */
export function listAnnotations(repo: RepoEntry, id: string): Reply {
  const notes = repo.checks.annotations.get(Number(id));
  if (!notes) throw new HttpFailure(404, "Not Found");
  return { status: 200, json: notes };
}

/** `GET /repos/:o/:r/actions/jobs/:id/logs`: GitHub redirects to the text; the fake answers it. */
export function jobLog(repo: RepoEntry, id: string): Reply {
  const log = repo.checks.logs.get(Number(id));
  if (log === undefined) throw new HttpFailure(404, "Not Found");
  return { status: 200, text: log, type: "text/plain; charset=utf-8" };
}

/** `GET /repos/:o/:r/collaborators/:login/permission` */
export function permission(repo: RepoEntry, login: string, baseUrl: string): Reply {
  const level =
    repo.permissions?.[login] ?? (repo.collaborators?.includes(login) ? "write" : "none");
  const legacy = level === "maintain" ? "write" : level === "triage" ? "read" : level;
  return {
    status: 200,
    json: { permission: legacy, role_name: level, user: userOf(login, baseUrl) },
  };
}
