import type { FakePullRequest } from "./store.js";
import { timestamp } from "./store.js";

/** A pull request's global node id (opaque on GitHub; here derived from repository and number). */
export function pullNodeId(fullName: string, number: number): string {
  return `PR_${Buffer.from(`${fullName}#${number}`).toString("base64url")}`;
}

/** A GraphQL answer: always HTTP 200, with `errors` for what failed, as GitHub does. */
export interface GraphqlReply {
  status: 200;
  json: { data?: Record<string, unknown> | null; errors?: Record<string, unknown>[] };
}

const MARK_READY =
  /markPullRequestReadyForReview\s*\(\s*input\s*:\s*\{\s*pullRequestId\s*:\s*(?:\$(\w+)|"([^"]*)")/;

/**
 * `POST /graphql`: only the mutation Patchboard sends, `markPullRequestReadyForReview`
 * (REST cannot un-draft a pull request). Any other query is answered with an error, so
 * a new GraphQL call in the adapter fails loudly here instead of passing untested.
 */
export function answerGraphql(
  body: Record<string, unknown>,
  pulls: () => FakePullRequest[],
): GraphqlReply {
  const query = typeof body.query === "string" ? body.query : "";
  const variables = (body.variables ?? {}) as Record<string, unknown>;
  const match = MARK_READY.exec(query);
  if (match === null) {
    return {
      status: 200,
      json: { errors: [{ message: "The fake GitHub only answers markPullRequestReadyForReview" }] },
    };
  }
  const id = match[1] === undefined ? (match[2] ?? "") : variables[match[1]];
  const path = ["markPullRequestReadyForReview"];
  const pr = pulls().find((p) => p.node_id === id);
  if (pr === undefined) {
    const message = `Could not resolve to a node with the global id of '${String(id)}'`;
    return {
      status: 200,
      json: {
        data: { markPullRequestReadyForReview: null },
        errors: [{ type: "NOT_FOUND", path, message }],
      },
    };
  }
  if (pr.state !== "open") {
    const message = "Pull request is closed and cannot be marked ready for review";
    return {
      status: 200,
      json: {
        data: { markPullRequestReadyForReview: null },
        errors: [{ type: "UNPROCESSABLE", path, message }],
      },
    };
  }
  pr.draft = false;
  pr.updated_at = timestamp();
  return {
    status: 200,
    json: {
      data: {
        markPullRequestReadyForReview: {
          pullRequest: { number: pr.number, isDraft: false, url: pr.html_url },
        },
      },
    },
  };
}
