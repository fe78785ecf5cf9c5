/** The GitHub code host: the only place that talks to GitHub's REST API. */
export { createGitHubHost, type GitHubHostOptions } from "./github-host.js";
export { DEFAULT_RETRY, type RetryOptions } from "./retry.js";
