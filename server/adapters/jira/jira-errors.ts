import { AppError } from "../../domain/app-error.js";
import type { JiraResponse } from "./jira-transport.js";

/** The one message for rejected credentials; it names the settings, never their values. */
export const JIRA_AUTH_MESSAGE =
  "Jira rejected the credentials: check JIRA_EMAIL and JIRA_API_TOKEN (or JIRA_PAT)";

/**
 * What the error's `cause` holds: the status and Jira's own messages, never the
 * request (its headers carry the credentials).
 */
export class JiraHttpError extends Error {
  readonly status: number;
  readonly jiraMessages: string[];

  constructor(operation: string, response: JiraResponse) {
    const what =
      response.status === 0
        ? (response.networkError ?? "network error")
        : `HTTP ${response.status}`;
    super(`Jira ${operation} failed: ${what}`);
    this.name = "JiraHttpError";
    this.status = response.status;
    this.jiraMessages = response.jiraMessages().slice(0, 5);
  }
}

/** Whether a status means the credentials were refused. */
export function isAuthFailure(response: JiraResponse): boolean {
  return response.status === 401 || response.status === 403;
}

/** The error for an exchange that kept failing after every retry. */
export function unavailableError(
  operation: string,
  response: JiraResponse,
  attempts: number,
): AppError {
  const what = response.status === 0 ? "could not be reached" : `answered HTTP ${response.status}`;
  return new AppError(
    "jira_unavailable",
    `Jira is unavailable: it ${what} after ${attempts} attempt${attempts === 1 ? "" : "s"}; try again later`,
    { cause: new JiraHttpError(operation, response) },
  );
}

/**
 * Maps a non-2xx answer that is not retried (or no longer) to an AppError. 404 is
 * mapped to `jira_not_found`; callers that treat 404 as "absent" check it first.
 */
export function responseError(
  operation: string,
  response: JiraResponse,
  subject?: string,
): AppError {
  const cause = new JiraHttpError(operation, response);
  if (isAuthFailure(response)) return new AppError("jira_auth", JIRA_AUTH_MESSAGE, { cause });
  if (response.status === 404) {
    const message = subject ? `Jira issue ${subject} was not found` : "Jira resource was not found";
    return new AppError("jira_not_found", message, { cause });
  }
  // Jira's messages for a 400 (an invalid JQL field, say) are what an admin needs to
  // fix the configuration, and they never contain credentials.
  const detail = cause.jiraMessages.length > 0 ? `: ${cause.jiraMessages.join("; ")}` : "";
  return new AppError(
    "jira_unavailable",
    `Jira refused the ${operation} request (HTTP ${response.status})${detail}`,
    { cause },
  );
}

/**
 * The error for a 404 on an endpoint every Jira has (search, myself): the base URL
 * points at something that is not Jira's REST API.
 */
export function noJiraApiError(operation: string, response: JiraResponse): AppError {
  return new AppError(
    "jira_unavailable",
    "Jira's REST API was not found at the configured address: check JIRA_BASE_URL",
    { cause: new JiraHttpError(operation, response) },
  );
}
