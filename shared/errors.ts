import { z } from "zod";

/**
 * Every error code the API can return. Codes are stable identifiers a client can
 * switch on; messages are for people.
 */
export const ErrorCodeSchema = z.enum([
  "validation_error",
  "unauthorized",
  "forbidden",
  "not_found",
  "conflict",
  "rate_limited",
  "payload_too_large",
  "internal",
  "repo_not_configured",
  "task_not_retryable",
  "task_not_running",
  "task_has_no_thread",
  "codex_auth",
  "codex_rate_limited",
  "codex_timeout",
  "codex_unavailable",
  "codex_failed",
  "jira_auth",
  "jira_unavailable",
  "jira_not_found",
  "github_auth",
  "github_unavailable",
  "github_push_failed",
  "slack_unavailable",
  "git_failed",
  "publish_refused",
  "interrupted",
  "contract_error",
  "isolation_off",
  "setup_failed",
  "budget_exceeded",
  "queue_failed",
]);
/** A stable error code. */
export type ErrorCode = z.infer<typeof ErrorCodeSchema>;

/** The body of every error response: `{error:{code,message,details?}}`. */
export const ErrorBodySchema = z.object({
  error: z.object({
    code: ErrorCodeSchema,
    message: z.string(),
    details: z.unknown().optional(),
  }),
});
/** The body of every error response. */
export type ErrorBody = z.infer<typeof ErrorBodySchema>;

/** One field problem reported by a validation error, in `details`. */
export const FieldIssueSchema = z.object({
  path: z.string(),
  message: z.string(),
});
/** One field problem reported by a validation error. */
export type FieldIssue = z.infer<typeof FieldIssueSchema>;
