/**
 * The Jira adapter: the only module that talks to Jira (and imports jira-client).
 */
export { createJiraTracker, type JiraTrackerOptions } from "./jira-tracker.js";
export type { JiraAuth } from "./jira-http.js";
export type { RetryPolicy } from "./jira-retry.js";
export { adfToMarkdown } from "./adf/adf-to-markdown.js";
export { buildSearchJql, escapeTextSearch, jqlString, splitOrderBy } from "./jql.js";
