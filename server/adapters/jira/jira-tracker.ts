import type { Logger } from "pino";
import { AppError } from "../../domain/app-error.js";
import type { IssueTracker, TrackerIssueDetail } from "../../domain/ports/issue-tracker.js";
import { noJiraApiError, responseError } from "./jira-errors.js";
import { JiraHttp, type JiraAuth } from "./jira-http.js";
import { DETAIL_FIELDS, toTrackerIssueDetail } from "./jira-mapping.js";
import type { RetryPolicy } from "./jira-retry.js";
import { isInScope, searchIssues, type ApiFlavor, type SearchContext } from "./jira-search.js";

/** Options of {@link createJiraTracker}. */
export interface JiraTrackerOptions {
  /** E.g. `https://acme.atlassian.net` or `https://jira.acme.corp/jira`. */
  baseUrl: string;
  auth: JiraAuth;
  /** The configured JQL (may end with ORDER BY); searches narrow it to projects and text. */
  jql: string;
  logger: Logger;
  retry?: RetryPolicy | undefined;
  /** Per-exchange timeout in ms; default 30 000. */
  timeoutMs?: number | undefined;
  /** Waits between retries; tests inject a fast one. */
  sleep?: ((ms: number) => Promise<void>) | undefined;
  /** Jitter source in [0, 1); tests inject a fixed one. */
  random?: (() => number) | undefined;
}

/**
 * Keys are interpolated into URL paths (and jira-client decodes the URL it builds),
 * so anything that is not key-shaped is rejected before it reaches a request.
 */
const ISSUE_KEY = /^[A-Za-z][A-Za-z0-9_]*-\d+$/;

/** Jira rejects comments over 32 767 characters; keep well inside that. */
const MAX_COMMENT_LENGTH = 32_000;

function notFound(key: string): AppError {
  return new AppError("jira_not_found", `Jira issue ${key} was not found`);
}

/**
 * Creates the Jira implementation of {@link IssueTracker}. Works against Jira Cloud
 * (basic auth with an API token, REST v3 with ADF) and Jira Data Center (bearer
 * PAT, REST v2 with wiki text), detecting which from the answers it gets.
 */
export function createJiraTracker(options: JiraTrackerOptions): IssueTracker {
  const baseUrl = options.baseUrl.replace(/\/+$/, "");
  const logger = options.logger.child({ component: "jira" });
  const http = new JiraHttp({ ...options, baseUrl, logger });
  const flavor: ApiFlavor = { value: "unknown" };
  const searchContext: SearchContext = { http, baseUrl, jql: options.jql, logger, flavor };
  const fields = DETAIL_FIELDS.join(",");

  async function getIssueV2(key: string): Promise<TrackerIssueDetail | null> {
    const response = await http.call("getIssue", () => http.api.findIssue(key, "", fields), {
      idempotent: true,
    });
    if (response.status === 404) return null;
    if (!response.ok) throw responseError("getIssue", response, key);
    if (flavor.value === "unknown") flavor.value = "datacenter";
    return toTrackerIssueDetail(response.body, baseUrl);
  }

  async function fetchIssue(key: string): Promise<TrackerIssueDetail | null> {
    if (!ISSUE_KEY.test(key)) return null;
    if (flavor.value === "datacenter") return getIssueV2(key);
    const response = await http.call(
      "getIssue",
      () =>
        http.request({ method: "GET", version: 3, pathname: `/issue/${key}`, query: { fields } }),
      { idempotent: true },
    );
    if (response.ok) {
      flavor.value = "cloud";
      return toTrackerIssueDetail(response.body, baseUrl);
    }
    if (response.status !== 404) throw responseError("getIssue", response, key);
    if (flavor.value === "cloud") return null;
    // Unknown flavor: a 404 means either "no such issue" or "no REST v3 here"
    // (Data Center). v2 exists on both and tells the two apart.
    return getIssueV2(key);
  }

  return {
    search: (searchOptions) => searchIssues(searchContext, searchOptions),

    async getIssue(key) {
      const issue = await fetchIssue(key);
      // Only the configured JQL's tickets exist for Patchboard: another key the service
      // account can read (another team's, a security ticket) is "not found".
      if (issue === null || !(await isInScope(searchContext, key))) return null;
      return issue;
    },

    async addComment(key, body) {
      if (!ISSUE_KEY.test(key)) throw notFound(key);
      const text =
        body.length > MAX_COMMENT_LENGTH
          ? `${body.slice(0, MAX_COMMENT_LENGTH)}\n\n(truncated)`
          : body;
      // v2 takes a plain string body on both Cloud and Data Center; v3 would want ADF.
      const response = await http.call("addComment", () => http.api.addComment(key, text), {
        idempotent: false,
      });
      if (!response.ok) throw responseError("addComment", response, key);
      logger.info({ key }, "jira comment added");
    },

    async transition(key, transitionName) {
      if (!ISSUE_KEY.test(key)) throw notFound(key);
      const listed = await http.call("listTransitions", () => http.api.listTransitions(key), {
        idempotent: true,
      });
      if (!listed.ok) throw responseError("listTransitions", listed, key);
      const wanted = transitionName.trim().toLowerCase();
      const transitions: unknown = (listed.body as { transitions?: unknown } | null)?.transitions;
      const match = (Array.isArray(transitions) ? transitions : []).find(
        (t: { name?: unknown }) =>
          typeof t.name === "string" && t.name.trim().toLowerCase() === wanted,
      ) as { id?: unknown } | undefined;
      if (match === undefined || (typeof match.id !== "string" && typeof match.id !== "number")) {
        logger.info({ key, transitionName }, "jira transition not available");
        return false;
      }
      const id = String(match.id);
      const response = await http.call(
        "transition",
        () => http.api.transitionIssue(key, { transition: { id } }),
        { idempotent: false },
      );
      if (!response.ok) throw responseError("transition", response, key);
      logger.info({ key, transitionName }, "jira issue transitioned");
      return true;
    },

    async checkAccess() {
      const response = await http.call("checkAccess", () => http.api.getCurrentUser(), {
        idempotent: true,
      });
      if (response.status === 404) throw noJiraApiError("checkAccess", response);
      if (!response.ok) throw responseError("checkAccess", response);
    },
  };
}
