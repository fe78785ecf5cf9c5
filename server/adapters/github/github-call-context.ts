import type { Octokit } from "@octokit/rest";
import type { Logger } from "pino";
import type { PullRequest } from "../../../shared/task.js";
import type { RetryOptions } from "./retry.js";

/** What the GitHub host's parts share: the client, retries, logging and per-call options. */
export interface GitHubCallContext {
  octokit: Octokit;
  retry: RetryOptions;
  logger: Logger;
  /** Per-request options (a fresh timeout per attempt). */
  request: () => { request: { signal: AbortSignal } };
  splitRepo: (repo: string) => { owner: string; name: string };
}

/** The fields of GitHub's pull request object the host reads. */
export interface PullRequestData {
  html_url: string;
  number: number;
  draft?: boolean | null;
}

/** The task's view of a GitHub pull request. */
export function toPullRequest(data: PullRequestData): PullRequest {
  return { url: data.html_url, number: data.number, draft: data.draft ?? false };
}
