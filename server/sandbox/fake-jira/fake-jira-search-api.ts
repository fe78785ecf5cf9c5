import { createHash } from "node:crypto";
import { JqlError } from "./fake-jql-parser.js";
import { runJql } from "./fake-jql-eval.js";
import { issueJson } from "./fake-jira-render.js";
import {
  fieldList,
  intParam,
  jiraError,
  record,
  render,
  type ApiContext,
  type ApiResponse,
  type Handler,
} from "./fake-jira-api-common.js";

function runQuery(jql: string, context: ApiContext): ReturnType<typeof runJql> | ApiResponse {
  try {
    return runJql(jql, context.state.all());
  } catch (error) {
    if (error instanceof JqlError) return jiraError(400, error.message);
    throw error;
  }
}

/** Page tokens are tied to their query, like Jira's: reuse with another JQL is refused. */
function jqlHash(jql: string): string {
  return createHash("sha256").update(jql).digest("hex").slice(0, 16);
}

/** `POST /rest/api/3/search/jql` (Cloud): token paging, bare ids unless fields are asked for. */
export const searchV3: Handler = (request, context) => {
  const body = record(request.body);
  if (typeof body.jql !== "string") return jiraError(400, "The 'jql' field is required.");
  const result = runQuery(body.jql, context);
  if ("status" in result) return result;
  if (result.unbounded) {
    return jiraError(
      400,
      "Unbounded JQL queries are not allowed here. Please add a search restriction to your query.",
    );
  }
  const maxResults = Math.min(Math.max(intParam(body.maxResults, 50) ?? 50, 1), 100);
  let offset = 0;
  if (body.nextPageToken !== undefined && body.nextPageToken !== null) {
    const token = typeof body.nextPageToken === "string" ? body.nextPageToken : "";
    const [hash, at] = Buffer.from(token, "base64url").toString("utf8").split(":");
    if (hash !== jqlHash(body.jql) || !/^\d+$/.test(at ?? "")) {
      return jiraError(400, "The provided next page token is invalid or expired.");
    }
    offset = Number(at);
  }
  const page = result.issues.slice(offset, offset + maxResults);
  const end = offset + page.length;
  const isLast = end >= result.issues.length;
  const fields = fieldList(body.fields) ?? [];
  return {
    status: 200,
    json: {
      issues: page.map((issue) => issueJson(issue, fields, render(context, 3))),
      isLast,
      ...(isLast
        ? {}
        : { nextPageToken: Buffer.from(`${jqlHash(body.jql)}:${end}`).toString("base64url") }),
    },
  };
};

/** `GET|POST /rest/api/2/search`: offset paging on Data Center, 410 Gone on Cloud. */
export const searchV2: Handler = (request, context) => {
  if (context.flavor === "cloud") {
    return jiraError(
      410,
      "The requested API has been removed. Please migrate to the /rest/api/3/search/jql API. A full migration guideline is available at https://developer.atlassian.com/changelog/#CHANGE-2046",
    );
  }
  const input = request.method === "GET" ? Object.fromEntries(request.query) : record(request.body);
  const jql = typeof input.jql === "string" ? input.jql : "";
  const startAt = intParam(input.startAt, 0);
  const maxResults = intParam(input.maxResults, 50);
  if (startAt === null || maxResults === null)
    return jiraError(400, "startAt and maxResults must be non-negative integers.");
  const result = runQuery(jql, context);
  if ("status" in result) return result;
  const limit = Math.min(Math.max(maxResults, 1), 100);
  const fields = fieldList(input.fields);
  return {
    status: 200,
    json: {
      expand: "names,schema",
      startAt,
      maxResults: limit,
      total: result.issues.length,
      issues: result.issues
        .slice(startAt, startAt + limit)
        .map((issue) => issueJson(issue, fields, render(context, 2))),
    },
  };
};
