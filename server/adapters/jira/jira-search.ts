import type { Logger } from "pino";
import { AppError } from "../../domain/app-error.js";
import type { TrackerSearchOptions, TrackerSearchPage } from "../../domain/ports/issue-tracker.js";
import { noJiraApiError, responseError } from "./jira-errors.js";
import type { JiraHttp } from "./jira-http.js";
import { SUMMARY_FIELDS, toTrackerIssue } from "./jira-mapping.js";
import { buildScopeJql, buildSearchJql } from "./jql.js";

/**
 * Which Jira this is, learnt from the first answers: Cloud has REST v3 (and has
 * removed v2 search), Data Center only has v2. Starts unknown; shared with the
 * issue lookups so a Data Center instance stops paying for v3 probes.
 */
export interface ApiFlavor {
  value: "unknown" | "cloud" | "datacenter";
}

/** Where the next page starts: a v3 page token, or a v2 offset. */
type Cursor = { api: "v3"; token: string } | { api: "v2"; startAt: number };

/** Encodes a cursor; opaque to callers. */
export function encodeCursor(cursor: Cursor): string {
  const raw = cursor.api === "v3" ? `3:${cursor.token}` : `2:${cursor.startAt}`;
  return Buffer.from(raw, "utf8").toString("base64url");
}

/** Decodes a cursor from {@link encodeCursor}; a forged or stale one is a validation error. */
export function decodeCursor(cursor: string): Cursor {
  const raw = Buffer.from(cursor, "base64url").toString("utf8");
  if (raw.startsWith("3:") && raw.length > 2) return { api: "v3", token: raw.slice(2) };
  if (/^2:\d{1,9}$/.test(raw)) return { api: "v2", startAt: Number(raw.slice(2)) };
  throw new AppError("validation_error", "The ticket list cursor is not valid; reload the list");
}

/** What a search needs besides its options. */
export interface SearchContext {
  http: JiraHttp;
  baseUrl: string;
  jql: string;
  logger: Logger;
  flavor: ApiFlavor;
}

function asRecord(value: unknown): Record<string, unknown> {
  return typeof value === "object" && value !== null ? (value as Record<string, unknown>) : {};
}

function issuesOf(body: Record<string, unknown>): unknown[] {
  return Array.isArray(body.issues) ? body.issues : [];
}

async function searchV2(
  context: SearchContext,
  jql: string,
  startAt: number,
  limit: number,
): Promise<TrackerSearchPage> {
  const { http } = context;
  const response = await http.call(
    "search",
    () =>
      http.request({
        method: "POST",
        version: 2,
        pathname: "/search",
        body: { jql, startAt, maxResults: limit, fields: SUMMARY_FIELDS },
      }),
    { idempotent: true },
  );
  if (response.status === 404) throw noJiraApiError("search", response);
  if (!response.ok) throw responseError("search", response);
  const body = asRecord(response.body);
  const issues = issuesOf(body);
  const total = typeof body.total === "number" ? body.total : 0;
  const next = startAt + issues.length;
  return {
    issues: issues.map((issue) => toTrackerIssue(issue, context.baseUrl)),
    nextCursor:
      issues.length > 0 && next < total ? encodeCursor({ api: "v2", startAt: next }) : null,
  };
}

/**
 * Searches the configured JQL restricted to the given projects. Uses Cloud's
 * `POST /rest/api/3/search/jql` (token paging) and falls back to Data Center's
 * `POST /rest/api/2/search` (offset paging) when the former does not exist.
 */
export async function searchIssues(
  context: SearchContext,
  options: TrackerSearchOptions,
): Promise<TrackerSearchPage> {
  // `project in ()` is invalid JQL, and no projects means nothing to show anyway.
  if (options.projects.length === 0) return { issues: [], nextCursor: null };
  const jql = buildSearchJql({
    baseJql: context.jql,
    projects: options.projects,
    text: options.text,
  });
  const cursor = options.cursor === undefined ? undefined : decodeCursor(options.cursor);
  return searchJql(context, jql, cursor, options.limit);
}

/** Whether the issue is inside the configured JQL scope (one search, at most one hit). */
export async function isInScope(context: SearchContext, key: string): Promise<boolean> {
  const page = await searchJql(context, buildScopeJql(context.jql, key), undefined, 1);
  return page.issues.some((issue) => issue.key.toUpperCase() === key.toUpperCase());
}

async function searchJql(
  context: SearchContext,
  jql: string,
  cursor: Cursor | undefined,
  limit: number,
): Promise<TrackerSearchPage> {
  if (cursor?.api === "v2") return searchV2(context, jql, cursor.startAt, limit);
  if (cursor === undefined && context.flavor.value === "datacenter") {
    return searchV2(context, jql, 0, limit);
  }

  const { http } = context;
  const response = await http.call(
    "search",
    () =>
      http.request({
        method: "POST",
        version: 3,
        pathname: "/search/jql",
        body: {
          jql,
          fields: SUMMARY_FIELDS,
          maxResults: limit,
          ...(cursor ? { nextPageToken: cursor.token } : {}),
        },
      }),
    { idempotent: true },
  );
  if (response.status === 404 && cursor === undefined) {
    context.logger.info(
      { baseUrl: context.baseUrl },
      "jira has no v3 search, using v2 (data center)",
    );
    context.flavor.value = "datacenter";
    return searchV2(context, jql, 0, limit);
  }
  if (!response.ok) throw responseError("search", response);
  context.flavor.value = "cloud";
  const body = asRecord(response.body);
  const token = typeof body.nextPageToken === "string" ? body.nextPageToken : null;
  return {
    issues: issuesOf(body).map((issue) => toTrackerIssue(issue, context.baseUrl)),
    nextCursor: token !== null && body.isLast !== true ? encodeCursor({ api: "v3", token }) : null,
  };
}
