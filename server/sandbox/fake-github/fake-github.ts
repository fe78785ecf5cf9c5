import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import * as api from "./api-routes.js";
import { answerGraphql } from "./graphql.js";
import { renderNotFound, renderPullRequestList, renderPullRequestPage } from "./html-page.js";
import { HttpFailure, readJson, sendHtml, sendJson, sendText } from "./http-util.js";
import { BareRepo } from "./repo-git.js";
import { ChecksState, type NewCheckRun } from "./checks-store.js";
import {
  jobLog,
  listAnnotations,
  listCheckRuns,
  permission,
  PullRequestActivity,
} from "./pr-activity.js";
import { WebhookSender, type FakeDelivery } from "./webhook-sender.js";
import { loadState, saveState, type FakeGitHubState } from "./saved-state.js";
import { failureHeaders, failureMessage, type PendingFailure } from "./failures.js";
import {
  RepoState,
  userOf,
  type FakeComment,
  type FakePullRequest,
  type RecordedRequest,
} from "./store.js";

/** The failure the sandbox's "Fail a check" button reports. */
const SANDBOX_FAILURE: NewCheckRun = {
  name: "sandbox-ci / test",
  conclusion: "failure",
  title: "1 test failed",
  summary: "The sandbox CI failed this check on purpose, from the pull request page.",
  annotations: [
    {
      path: "test/run.js",
      line: 1,
      message: "Sandbox CI: a check failed; run the tests and confirm they pass.",
    },
  ],
  log: "> npm test\nnot ok 1 - sandbox CI failure (requested from the pull request page)\n# fail 1\nProcess completed with exit code 1.",
};

/** One repository the fake serves, backed by a bare repository on disk. */
export interface FakeRepoConfig {
  /** The bare repository pushes land in (the repository's clone URL in the sandbox). */
  bareRepoPath: string;
  defaultBranch: string;
  /** Logins that may be asked to review; when omitted, anyone may. They have write access. */
  collaborators?: string[];
  /** Other permissions by login (`admin`, `maintain`, `read`…); anyone else has none. */
  permissions?: Record<string, string>;
  /**
   * `owner/name` of the repository this one is a fork of: pull requests on that one may
   * then have their head here (`head: "<owner>:<branch>"`), as on GitHub.
   */
  forkOf?: string;
}

/** Options of {@link startFakeGitHub}. */
export interface FakeGitHubOptions {
  /** The only token accepted; when omitted, any token (or none) is. */
  token?: string;
  /** Repositories by `owner/name`. */
  repos: Record<string, FakeRepoConfig>;
  /** Defaults to 127.0.0.1: the fake is never meant to be reachable from elsewhere. */
  host?: string;
  /** Defaults to 0, a random free port. */
  port?: number;
  /** The login the token belongs to; defaults to `patchboard-bot`. */
  login?: string;
  /** Pull requests and comments saved by an earlier run ({@link FakeGitHub.saveState}). */
  state?: FakeGitHubState;
  /** Where webhooks are delivered, signed with `secret` (also settable later). */
  webhook?: { url: string; secret: string };
}

/** A running fake GitHub. */
export interface FakeGitHub {
  /** The REST API root to give octokit as `baseUrl` (and the root of the human pages). */
  url: string;
  close(): Promise<void>;
  /** Pull requests, of one repository or of all, oldest first. */
  pullRequests(repo?: string): FakePullRequest[];
  /** Comments of one pull request. */
  comments(repo: string, number: number): FakeComment[];
  /**
   * Makes the next `count` API requests fail with `status`. A 403 is a rate-limit
   * 403 (`x-ratelimit-remaining: 0`) unless `rateLimited` is false, in which case it
   * is a permission error; `retryAfterSeconds` adds `Retry-After`.
   */
  failNext(
    count: number,
    status: number,
    options?: { retryAfterSeconds?: number; rateLimited?: boolean },
  ): void;
  /** Every API request received, oldest first. */
  readonly requests: RecordedRequest[];
  /** A copy of the pull requests and comments, which a later start can take back. */
  saveState(): FakeGitHubState;
  /** Where webhooks go from now on (null: nowhere). */
  setWebhook(target: { url: string; secret: string } | null): void;
  /** Every webhook delivery sent, oldest first. */
  readonly deliveries: FakeDelivery[];
  /** A check run on a pull request's head (as CI would report it), sent as webhooks. */
  addCheckRun(repo: string, number: number, run: NewCheckRun): Promise<FakeDelivery | null>;
  /** A commit status on a pull request's head, sent as a webhook. */
  setStatus(
    repo: string,
    number: number,
    status: {
      context: string;
      state: "error" | "failure" | "pending" | "success";
      description?: string;
    },
  ): Promise<FakeDelivery | null>;
  /** A review by someone, sent as a webhook. */
  submitReview(
    repo: string,
    number: number,
    review: Parameters<PullRequestActivity["submitReview"]>[2],
  ): Promise<FakeDelivery | null>;
  /** A conversation comment by someone, sent as a webhook. */
  commentAs(
    repo: string,
    number: number,
    author: string,
    body: string,
  ): Promise<FakeDelivery | null>;
  /** Merges (or closes) a pull request, sent as a webhook. */
  closePullRequest(repo: string, number: number, merged: boolean): Promise<FakeDelivery | null>;
}

/**
 * Starts a fake GitHub REST API — enough of it for Patchboard's octokit adapter and
 * the sandbox demo — as a real HTTP server, with human pull request pages at the
 * `html_url`s it hands out. Pull requests are validated against the bare
 * repositories with real git, so a branch that was never pushed cannot be proposed.
 */
export async function startFakeGitHub(options: FakeGitHubOptions): Promise<FakeGitHub> {
  const login = options.login ?? "patchboard-bot";
  const repos = new Map<string, api.RepoEntry>();
  for (const [fullName, config] of Object.entries(options.repos)) {
    const [owner = "", name = ""] = fullName.split("/");
    repos.set(fullName.toLowerCase(), {
      fullName,
      owner,
      name,
      defaultBranch: config.defaultBranch,
      collaborators: config.collaborators,
      git: new BareRepo(config.bareRepoPath),
      state: new RepoState(),
      checks: new ChecksState(),
      permissions: config.permissions,
    });
  }
  for (const [fullName, config] of Object.entries(options.repos)) {
    if (config.forkOf === undefined) continue;
    const fork = repos.get(fullName.toLowerCase());
    const upstream = repos.get(config.forkOf.toLowerCase());
    if (!fork || !upstream)
      throw new Error(`fake github: ${fullName} forks unknown ${config.forkOf}`);
    upstream.forks ??= new Map();
    upstream.forks.set(fork.owner.toLowerCase(), fork);
  }
  const failures: PendingFailure[] = [];
  const requests: RecordedRequest[] = [];
  let baseUrl = "";
  const webhooks = new WebhookSender();
  if (options.webhook) webhooks.configure(options.webhook);
  const activity = new PullRequestActivity(() => baseUrl, webhooks);
  const entry = (repo: string): api.RepoEntry => {
    const found = repos.get(repo.toLowerCase());
    if (!found) throw new Error(`fake github: no repository ${repo}`);
    return found;
  };

  function authorized(req: IncomingMessage): boolean {
    const match = /^(?:token|bearer)\s+(.+)$/i.exec(req.headers.authorization ?? "");
    return options.token === undefined || match?.[1] === options.token;
  }

  function repoOf(owner: string, name: string): api.RepoEntry {
    const repo = repos.get(`${owner}/${name}`.toLowerCase());
    if (!repo) throw new HttpFailure(404, "Not Found");
    return repo;
  }

  async function routeApi(
    req: IncomingMessage,
    parts: string[],
    query: URLSearchParams,
    body: Record<string, unknown>,
  ): Promise<api.Reply> {
    const method = req.method ?? "GET";
    if (parts[0] === "user" && parts.length === 1 && method === "GET") {
      return { status: 200, json: { ...userOf(login, baseUrl), name: "Patchboard", email: null } };
    }
    if (parts[0] === "graphql" && parts.length === 1 && method === "POST") {
      return answerGraphql(body, () => [...repos.values()].flatMap((repo) => repo.state.pulls));
    }
    if (parts[0] !== "repos" || parts.length < 3) throw new HttpFailure(404, "Not Found");
    const [, owner = "", name = "", section, number, sub, leaf] = parts;
    const request: api.ApiRequest = {
      baseUrl,
      login,
      repo: repoOf(owner, name),
      query,
      body,
      accept: req.headers.accept ?? "",
    };
    const route = `${method} ${[section, number === undefined ? undefined : ":n", sub].filter(Boolean).join("/")}`;
    if (method === "GET" && section === "actions" && number === "jobs" && leaf === "logs") {
      return jobLog(request.repo, sub ?? "");
    }
    switch (parts.length > 6 ? "" : route) {
      case "GET ":
        return { status: 200, json: api.repoJson(request) };
      case "GET pulls":
        return api.listPulls(request);
      case "POST pulls":
        return api.createPull(request);
      case "GET pulls/:n":
        return api.getPull(request, number ?? "");
      case "PATCH pulls/:n":
        return api.updatePull(request, number ?? "");
      case "POST pulls/:n/requested_reviewers":
        return api.requestReviewers(request, number ?? "");
      case "GET pulls/:n/files":
        return api.listFiles(request, number ?? "");
      case "GET issues/:n/comments":
        return api.listComments(request, number ?? "");
      case "POST issues/:n/comments":
        return api.createComment(request, number ?? "");
      case "GET commits/:n/check-runs":
        return listCheckRuns(request.repo, number ?? "");
      case "GET commits/:n/status":
        return { status: 200, json: request.repo.checks.combined(number ?? "") };
      case "GET check-runs/:n/annotations":
        return listAnnotations(request.repo, number ?? "");
      case "GET collaborators/:n/permission":
        return permission(request.repo, number ?? "", baseUrl);
      case "GET pulls/:n/comments":
        return {
          status: 200,
          json: request.repo.checks.reviewComments.get(Number(number)) ?? [],
        };
      default:
        throw new HttpFailure(404, "Not Found");
    }
  }

  /** The human pages: `/:o/:r/pulls`, `/:o/:r/pull/:n` and `/:o/:r/pull/:n.diff`. */
  async function routePage(res: ServerResponse, parts: string[]): Promise<void> {
    const [owner = "", name = "", kind, number = ""] = parts;
    const repo = repos.get(`${owner}/${name}`.toLowerCase());
    if (repo && kind === "pulls" && parts.length === 3) {
      sendHtml(res, 200, renderPullRequestList(repo.fullName, [...repo.state.pulls].reverse()));
      return;
    }
    const diffOnly = number.endsWith(".diff");
    const pr =
      repo && kind === "pull" && parts.length === 4
        ? repo.state.pull(Number(number.replace(/\.diff$/, "")))
        : undefined;
    if (!repo || !pr) {
      sendHtml(res, 404, renderNotFound());
      return;
    }
    const diff = await api.pullDiff(repo, pr);
    if (diffOnly) {
      sendText(
        res,
        diff === null ? 404 : 200,
        diff ?? "The head branch no longer exists.\n",
        "text/plain; charset=utf-8",
      );
      return;
    }
    sendHtml(
      res,
      200,
      renderPullRequestPage(repo.fullName, pr, repo.state.comments.get(pr.number) ?? [], diff),
    );
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", baseUrl);
    let parts: string[];
    try {
      parts = url.pathname.split("/").filter(Boolean).map(decodeURIComponent);
    } catch {
      sendJson(res, 400, { message: "Bad Request" });
      return;
    }
    const isApi = parts[0] === "user" || parts[0] === "repos" || parts[0] === "graphql";
    if (!isApi && req.method === "POST" && parts[2] === "pull" && parts[4] === "fail-check") {
      // The sandbox's "Fail a check" button: CI reports a failure on the head, by webhook.
      await activity.addCheckRun(
        entry(`${parts[0]}/${parts[1]}`),
        Number(parts[3]),
        SANDBOX_FAILURE,
      );
      res.writeHead(303, { location: `/${parts.slice(0, 4).join("/")}` });
      res.end();
      return;
    }
    if (!isApi) {
      await routePage(res, parts);
      return;
    }
    const record: RecordedRequest = {
      method: req.method ?? "GET",
      path: `${url.pathname}${url.search}`,
      status: 0,
      authorized: authorized(req),
      body: null,
    };
    requests.push(record);
    const reply = (status: number, body: unknown, headers: Record<string, string> = {}) => {
      record.status = status;
      sendJson(res, status, body, headers);
    };
    const failure = failures.shift();
    if (failure) {
      reply(failure.status, { message: failureMessage(failure) }, failureHeaders(failure));
      return;
    }
    if (!record.authorized) {
      reply(401, {
        message: "Bad credentials",
        documentation_url: "https://docs.github.com/rest",
        status: "401",
      });
      return;
    }
    try {
      const body = record.method === "POST" || record.method === "PATCH" ? await readJson(req) : {};
      record.body = body;
      const result = await routeApi(req, parts, url.searchParams, body);
      record.status = result.status;
      if ("json" in result) sendJson(res, result.status, result.json);
      else sendText(res, result.status, result.text, result.type);
    } catch (error) {
      if (!(error instanceof HttpFailure)) throw error;
      reply(
        error.status,
        {
          message: error.message,
          ...error.extra,
          documentation_url: "https://docs.github.com/rest",
        },
        error.headers,
      );
    }
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      console.error("fake github: request failed", error);
      if (!res.headersSent) sendJson(res, 500, { message: "Server Error" });
      else res.destroy();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, options.host ?? "127.0.0.1", () => resolve());
  });
  const address = server.address() as AddressInfo;
  const host = address.family === "IPv6" ? `[${address.address}]` : address.address;
  baseUrl = `http://${host}:${address.port}`;
  if (options.state !== undefined) loadState(repos, options.state, baseUrl);

  return {
    url: baseUrl,
    requests,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
    pullRequests(repo) {
      const entries = repo ? [repos.get(repo.toLowerCase())] : [...repos.values()];
      return entries.flatMap((entry) => entry?.state.pulls.map((pr) => structuredClone(pr)) ?? []);
    },
    comments(repo, number) {
      return structuredClone(repos.get(repo.toLowerCase())?.state.comments.get(number) ?? []);
    },
    saveState: () => saveState(repos.values(), baseUrl),
    deliveries: webhooks.deliveries,
    setWebhook: (target) => webhooks.configure(target),
    addCheckRun: (repo, number, run) => activity.addCheckRun(entry(repo), number, run),
    setStatus: (repo, number, status) => activity.setStatus(entry(repo), number, status),
    submitReview: (repo, number, review) => activity.submitReview(entry(repo), number, review),
    commentAs: (repo, number, author, body) =>
      activity.comment(entry(repo), number, { author, body }),
    closePullRequest: (repo, number, merged) =>
      activity.close(entry(repo), number, merged, "octocat"),
    failNext(count, status, failOptions = {}) {
      for (let i = 0; i < count; i++)
        failures.push({
          status,
          retryAfterSeconds: failOptions.retryAfterSeconds,
          rateLimited: failOptions.rateLimited ?? true,
        });
    },
  };
}
