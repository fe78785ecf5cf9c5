import { statusCategory } from "./fake-jql-eval.js";
import { commentJson, indexPage, issueJson, issuePage } from "./fake-jira-render.js";
import type { FakeJiraState } from "./fake-jira-state.js";
import {
  fieldList,
  jiraError,
  record,
  render,
  type ApiResponse,
  type Handler,
} from "./fake-jira-api-common.js";
import { searchV2, searchV3 } from "./fake-jira-search-api.js";

const ISSUE_NOT_FOUND = "Issue does not exist or you do not have permission to see it.";

function withIssue(
  handler: (
    issue: NonNullable<ReturnType<FakeJiraState["get"]>>,
    ...rest: Parameters<Handler>
  ) => ApiResponse,
): Handler {
  return (request, context) => {
    const issue = context.state.get(request.params[0] ?? "");
    return issue ? handler(issue, request, context) : jiraError(404, ISSUE_NOT_FOUND);
  };
}

const getIssue = (version: 2 | 3): Handler =>
  withIssue((issue, request, context) => ({
    status: 200,
    json: issueJson(issue, fieldList(request.query.get("fields")), render(context, version)),
  }));

const listComments: Handler = withIssue((issue, _request, context) => ({
  status: 200,
  json: {
    startAt: 0,
    maxResults: issue.comments.length,
    total: issue.comments.length,
    comments: issue.comments.map((comment) => commentJson(issue, comment, render(context, 2))),
  },
}));

const addComment: Handler = withIssue((issue, request, context) => {
  const text = record(request.body).body;
  if (typeof text !== "string")
    return {
      status: 400,
      json: { errorMessages: [], errors: { comment: "Comment body must be a string." } },
    };
  if (text.trim() === "")
    return {
      status: 400,
      json: { errorMessages: [], errors: { comment: "Comment body can not be empty!" } },
    };
  const comment = context.state.addComment(issue, context.userName, text);
  return { status: 201, json: commentJson(issue, comment, render(context, 2)) };
});

const listTransitions: Handler = withIssue((issue, _request, context) => ({
  status: 200,
  json: {
    expand: "transitions",
    transitions: context.state.transitionsOf(issue).map((transition) => {
      const category = statusCategory(transition.to);
      return {
        id: transition.id,
        name: transition.name,
        hasScreen: false,
        isGlobal: true,
        isInitial: false,
        isConditional: false,
        to: {
          name: transition.to,
          statusCategory: { id: category.id, key: category.key, name: category.name },
        },
      };
    }),
  },
}));

const doTransition: Handler = withIssue((issue, request, context) => {
  const id = record(record(request.body).transition).id;
  const text = typeof id === "string" || typeof id === "number" ? String(id) : "";
  if (!context.state.applyTransition(issue, text)) {
    return jiraError(400, `Transition id '${text}' is not valid for this issue.`);
  }
  return { status: 204 };
});

const myself: Handler = (_request, context) => ({
  status: 200,
  json:
    context.flavor === "cloud"
      ? {
          accountId: "fake-patchboard",
          displayName: context.userName,
          emailAddress: context.userEmail,
          active: true,
        }
      : {
          name: "patchboard",
          key: "patchboard",
          displayName: context.userName,
          emailAddress: context.userEmail,
          active: true,
        },
});

const cloudOnly =
  (handler: Handler): Handler =>
  (request, context) =>
    context.flavor === "cloud" ? handler(request, context) : notFound(request, context);

/** Jersey's answer for a resource that does not exist (as Data Center gives for /rest/api/3). */
export const notFound: Handler = () => ({
  status: 404,
  json: { message: "null for uri", "status-code": 404 },
});

/** One route of the fake. */
export interface Route {
  method: string;
  pattern: RegExp;
  handler: Handler;
  /** Whether credentials are required (REST yes, the human pages no). */
  api: boolean;
}

const KEY = "([A-Za-z][A-Za-z0-9_]*-\\d+)";

/** Every route, REST and human. */
export const ROUTES: Route[] = [
  {
    method: "POST",
    pattern: /^\/rest\/api\/3\/search\/jql$/,
    handler: cloudOnly(searchV3),
    api: true,
  },
  { method: "POST", pattern: /^\/rest\/api\/2\/search$/, handler: searchV2, api: true },
  { method: "GET", pattern: /^\/rest\/api\/2\/search$/, handler: searchV2, api: true },
  {
    method: "GET",
    pattern: new RegExp(`^/rest/api/3/issue/${KEY}$`),
    handler: cloudOnly(getIssue(3)),
    api: true,
  },
  {
    method: "GET",
    pattern: new RegExp(`^/rest/api/2/issue/${KEY}$`),
    handler: getIssue(2),
    api: true,
  },
  {
    method: "GET",
    pattern: new RegExp(`^/rest/api/2/issue/${KEY}/comment$`),
    handler: listComments,
    api: true,
  },
  {
    method: "POST",
    pattern: new RegExp(`^/rest/api/2/issue/${KEY}/comment$`),
    handler: addComment,
    api: true,
  },
  {
    method: "GET",
    pattern: new RegExp(`^/rest/api/2/issue/${KEY}/transitions$`),
    handler: listTransitions,
    api: true,
  },
  {
    method: "POST",
    pattern: new RegExp(`^/rest/api/2/issue/${KEY}/transitions$`),
    handler: doTransition,
    api: true,
  },
  { method: "GET", pattern: /^\/rest\/api\/2\/myself$/, handler: myself, api: true },
  { method: "GET", pattern: /^\/rest\/api\/3\/myself$/, handler: cloudOnly(myself), api: true },
  {
    method: "GET",
    pattern: new RegExp(`^/browse/${KEY}$`),
    handler: (request, context) => {
      const issue = context.state.get(request.params[0] ?? "");
      return issue
        ? { status: 200, html: issuePage(issue) }
        : { status: 404, html: "<!doctype html><p>Issue not found.</p>" };
    },
    api: false,
  },
  {
    method: "GET",
    pattern: /^\/$/,
    handler: (_request, context) => ({ status: 200, html: indexPage(context.state.all()) }),
    api: false,
  },
];
