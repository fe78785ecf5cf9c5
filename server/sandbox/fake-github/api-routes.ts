import type { ChecksState } from "./checks-store.js";
import { pullNodeId } from "./graphql.js";
import { HttpFailure, validationFailed } from "./http-util.js";
import { headRefIn, readHead } from "./fork-heads.js";
import type { BareRepo } from "./repo-git.js";
import {
  nextId,
  timestamp,
  userOf,
  type FakeComment,
  type FakePullRequest,
  type RepoState,
} from "./store.js";

/** A configured repository of the fake. */
export interface RepoEntry {
  /** `owner/name` as configured. */
  fullName: string;
  owner: string;
  name: string;
  defaultBranch: string;
  /** Logins that may be asked to review; undefined means anyone. */
  collaborators: string[] | undefined;
  git: BareRepo;
  state: RepoState;
  /** Check runs, statuses, job logs and review comments (not saved across restarts). */
  checks: ChecksState;
  /** Permissions by login beyond `collaborators` (who get `write`). */
  permissions?: Record<string, string> | undefined;
  /** Forks of this repository by owner (lower case): a pull request's head may be in one. */
  forks?: Map<string, RepoEntry>;
}

/** What an API handler answers. */
export type Reply =
  { status: number; json: unknown } | { status: number; text: string; type: string };

/** The parts of a request an API handler needs. */
export interface ApiRequest {
  baseUrl: string;
  /** The login the token belongs to: the author of every pull request and comment. */
  login: string;
  repo: RepoEntry;
  query: URLSearchParams;
  body: Record<string, unknown>;
  accept: string;
}

const DIFF_MEDIA = /application\/vnd\.github(\.v3)?\.diff/;

/** The repository object of `GET /repos/:o/:r`. */
export function repoJson(req: ApiRequest): unknown {
  const { repo, baseUrl } = req;
  return {
    id: userOf(repo.fullName, baseUrl).id,
    name: repo.name,
    full_name: repo.fullName,
    owner: userOf(repo.owner, baseUrl),
    private: true,
    html_url: `${baseUrl}/${repo.fullName}`,
    url: `${baseUrl}/repos/${repo.fullName}`,
    default_branch: repo.defaultBranch,
    permissions: { admin: false, push: true, pull: true },
  };
}

/** Re-reads the branch tips so `head.sha` follows later pushes (to a fork too), as on GitHub. */
async function refreshed(repo: RepoEntry, pr: FakePullRequest): Promise<FakePullRequest> {
  const [head, base] = await Promise.all([readHead(repo, pr), repo.git.branchSha(pr.base.ref)]);
  if (head) pr.head.sha = head;
  if (base) pr.base.sha = base;
  return pr;
}

function findPull(repo: RepoEntry, numberText: string): FakePullRequest {
  const pr = repo.state.pull(Number(numberText));
  if (!pr) throw new HttpFailure(404, "Not Found");
  return pr;
}

/** `GET /repos/:o/:r/pulls`: filters by state, `head` (`owner:branch`) and base, newest first. */
export async function listPulls(req: ApiRequest): Promise<Reply> {
  const state = req.query.get("state") ?? "open";
  const head = req.query.get("head");
  const base = req.query.get("base");
  const perPage = Math.min(100, Math.max(1, Number(req.query.get("per_page") ?? 30) || 30));
  const page = Math.max(1, Number(req.query.get("page") ?? 1) || 1);
  const matches = req.repo.state.pulls
    .filter((pr) => state === "all" || pr.state === state)
    .filter(
      (pr) => !head || pr.head.label === head || (!head.includes(":") && pr.head.ref === head),
    )
    .filter((pr) => !base || pr.base.ref === base)
    .sort((a, b) => b.number - a.number)
    .slice((page - 1) * perPage, page * perPage);
  return { status: 200, json: await Promise.all(matches.map((pr) => refreshed(req.repo, pr))) };
}

function stringField(body: Record<string, unknown>, field: string): string | undefined {
  const value = body[field];
  return typeof value === "string" ? value : undefined;
}

/** `POST /repos/:o/:r/pulls`: validated against the bare repository like GitHub does. */
export async function createPull(req: ApiRequest): Promise<Reply> {
  const { repo, body, baseUrl } = req;
  const title = stringField(body, "title");
  const headInput = stringField(body, "head");
  const base = stringField(body, "base");
  if (!title?.trim())
    throw validationFailed([{ resource: "PullRequest", field: "title", code: "missing_field" }]);
  if (!headInput || !base) {
    throw validationFailed([
      { resource: "PullRequest", field: headInput ? "base" : "head", code: "missing_field" },
    ]);
  }
  const [headOwner = "", headRef] = headInput.includes(":")
    ? headInput.split(/:(.*)/s)
    : [repo.owner, headInput];
  const baseSha = await repo.git.branchSha(base);
  if (!baseSha)
    throw validationFailed([{ resource: "PullRequest", field: "base", code: "invalid" }]);
  // `owner:branch` names the repository itself or one of its forks, like GitHub.
  const headRepo =
    headOwner.toLowerCase() === repo.owner.toLowerCase()
      ? repo
      : repo.forks?.get(headOwner.toLowerCase());
  const headSha = headRepo && headRef ? await headRepo.git.branchSha(headRef) : null;
  if (!headRepo || !headRef || !headSha)
    throw validationFailed([{ resource: "PullRequest", field: "head", code: "invalid" }]);
  const label = `${headRepo.owner}:${headRef}`;
  if (
    repo.state.pulls.some(
      (pr) => pr.state === "open" && pr.head.label === label && pr.base.ref === base,
    )
  ) {
    throw validationFailed([
      {
        resource: "PullRequest",
        code: "custom",
        message: `A pull request already exists for ${label}.`,
      },
    ]);
  }
  // A fork's commits are compared here once copied in (GitHub shares one object store).
  const headIn =
    headRepo === repo ? `refs/heads/${headRef}` : `refs/forks/${headRepo.owner}/${headRef}`;
  if (headRepo !== repo) await repo.git.fetchBranch(headRepo.git, headRef, headIn);
  if ((await repo.git.commitsAhead(`refs/heads/${base}`, headIn)) === 0) {
    throw validationFailed([
      {
        resource: "PullRequest",
        code: "custom",
        message: `No commits between ${base} and ${headRef}`,
      },
    ]);
  }
  const number = repo.state.nextNumber();
  const now = timestamp();
  const api = `${baseUrl}/repos/${repo.fullName}`;
  const html = `${baseUrl}/${repo.fullName}/pull/${number}`;
  const fullRepo = { full_name: repo.fullName };
  const pr: FakePullRequest = {
    id: nextId(),
    node_id: pullNodeId(repo.fullName, number),
    number,
    url: `${api}/pulls/${number}`,
    html_url: html,
    diff_url: `${html}.diff`,
    issue_url: `${api}/issues/${number}`,
    comments_url: `${api}/issues/${number}/comments`,
    state: "open",
    locked: false,
    draft: body.draft === true,
    title,
    body: stringField(body, "body") ?? null,
    user: userOf(req.login, baseUrl),
    head: { label, ref: headRef, sha: headSha, repo: { full_name: headRepo.fullName } },
    base: { label: `${repo.owner}:${base}`, ref: base, sha: baseSha, repo: fullRepo },
    requested_reviewers: [],
    merged: false,
    merged_at: null,
    closed_at: null,
    created_at: now,
    updated_at: now,
  };
  repo.state.pulls.push(pr);
  return { status: 201, json: await refreshed(repo, pr) };
}

/** `GET /repos/:o/:r/pulls/:n`, as JSON or, with the diff media type, as a unified diff. */
export async function getPull(req: ApiRequest, number: string): Promise<Reply> {
  const pr = await refreshed(req.repo, findPull(req.repo, number));
  if (DIFF_MEDIA.test(req.accept)) {
    const diff = await pullDiff(req.repo, pr);
    return { status: 200, text: diff ?? "", type: "application/vnd.github.diff; charset=utf-8" };
  }
  return { status: 200, json: pr };
}

/** The diff of a pull request (`base...head`), or null once its head branch is gone. */
export async function pullDiff(repo: RepoEntry, pr: FakePullRequest): Promise<string | null> {
  const [head, base] = await Promise.all([readHead(repo, pr), repo.git.branchSha(pr.base.ref)]);
  return head && base ? repo.git.diff(`refs/heads/${pr.base.ref}`, headRefIn(repo, pr)) : null;
}

/** `PATCH /repos/:o/:r/pulls/:n`: title, body, state, base. */
export async function updatePull(req: ApiRequest, number: string): Promise<Reply> {
  const pr = findPull(req.repo, number);
  const { body } = req;
  const title = stringField(body, "title");
  const text = stringField(body, "body");
  const state = stringField(body, "state");
  const base = stringField(body, "base");
  if (state !== undefined && state !== "open" && state !== "closed") {
    throw validationFailed([{ resource: "PullRequest", field: "state", code: "invalid" }]);
  }
  if (base !== undefined && !(await req.repo.git.branchSha(base))) {
    throw validationFailed([{ resource: "PullRequest", field: "base", code: "invalid" }]);
  }
  if (title !== undefined) pr.title = title;
  if (text !== undefined) pr.body = text;
  if (base !== undefined) Object.assign(pr.base, { ref: base, label: `${req.repo.owner}:${base}` });
  if (state !== undefined && state !== pr.state) {
    pr.state = state;
    pr.closed_at = state === "closed" ? timestamp() : null;
  }
  pr.updated_at = timestamp();
  return { status: 200, json: await refreshed(req.repo, pr) };
}

/** `POST /repos/:o/:r/pulls/:n/requested_reviewers`: all or nothing, like GitHub. */
export async function requestReviewers(req: ApiRequest, number: string): Promise<Reply> {
  const pr = findPull(req.repo, number);
  const reviewers = Array.isArray(req.body.reviewers)
    ? req.body.reviewers.filter((r): r is string => typeof r === "string")
    : [];
  if (reviewers.includes(pr.user.login)) {
    throw new HttpFailure(422, "Review cannot be requested from pull request author.");
  }
  const { collaborators } = req.repo;
  if (collaborators && reviewers.some((login) => !collaborators.includes(login))) {
    throw new HttpFailure(
      422,
      `Reviews may only be requested from collaborators. One or more of the users or teams you specified is not a collaborator of the ${req.repo.fullName} repository.`,
    );
  }
  for (const login of reviewers) {
    if (!pr.requested_reviewers.some((u) => u.login === login))
      pr.requested_reviewers.push(userOf(login, req.baseUrl));
  }
  pr.updated_at = timestamp();
  return { status: 201, json: await refreshed(req.repo, pr) };
}

/** `GET /repos/:o/:r/pulls/:n/files` */
export async function listFiles(req: ApiRequest, number: string): Promise<Reply> {
  const pr = findPull(req.repo, number);
  const alive = (await pullDiff(req.repo, pr)) !== null;
  const files = alive
    ? await req.repo.git.files(`refs/heads/${pr.base.ref}`, headRefIn(req.repo, pr))
    : [];
  return { status: 200, json: files };
}

/** `GET /repos/:o/:r/issues/:n/comments` */
export function listComments(req: ApiRequest, number: string): Reply {
  const pr = findPull(req.repo, number);
  return { status: 200, json: req.repo.state.comments.get(pr.number) ?? [] };
}

/** `POST /repos/:o/:r/issues/:n/comments` */
export function createComment(req: ApiRequest, number: string): Reply {
  const pr = findPull(req.repo, number);
  const body = stringField(req.body, "body");
  if (!body?.trim())
    throw validationFailed([{ resource: "IssueComment", field: "body", code: "missing_field" }]);
  const id = nextId();
  const now = timestamp();
  const comment: FakeComment = {
    id,
    url: `${req.baseUrl}/repos/${req.repo.fullName}/issues/comments/${id}`,
    html_url: `${pr.html_url}#comment-${id}`,
    issue_url: pr.issue_url,
    body,
    user: userOf(req.login, req.baseUrl),
    created_at: now,
    updated_at: now,
  };
  const list = req.repo.state.comments.get(pr.number) ?? [];
  list.push(comment);
  req.repo.state.comments.set(pr.number, list);
  return { status: 201, json: comment };
}
