import type { Octokit } from "@octokit/rest";
import type { Logger } from "pino";
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
