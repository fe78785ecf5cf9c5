import type { ErrorCode } from "../../../shared/errors.js";
import { AppError } from "../../domain/app-error.js";

/**
 * Turns whatever a failed Codex turn produced (a `turn.failed` message, stream `error`
 * events, the SDK's exception with the CLI's stderr) into an AppError with a stable code.
 */

/** The message for authentication failures, telling an operator what to do. */
export const CODEX_AUTH_MESSAGE =
  "Codex could not authenticate: set CODEX_API_KEY or run codex login";

type CodexErrorCode = Extract<
  ErrorCode,
  "codex_auth" | "codex_rate_limited" | "codex_unavailable" | "codex_failed"
>;

const AUTH =
  /\b401\b|unauthori[sz]ed|invalid[ _-]?api[ _-]?key|incorrect api key|missing environment variable:? `?CODEX_API_KEY|not logged in|please log ?in|authentication/i;
const RATE_LIMIT =
  /\b429\b|rate[ _-]?limit|too many requests|usage limit|insufficient_quota|quota exceeded/i;
// Codex words 5xx answers as "We're currently experiencing high demand…" without the status.
const UNAVAILABLE =
  /connection refused|connection failed|econnrefused|econnreset|stream disconnected|error sending request|connection (?:reset|closed)|stream closed before|idle timeout|timed out|\b5\d\d\b|internal server error|bad gateway|service unavailable|overloaded|server_error|high demand|temporar(?:y|ily) unavailable|exceeded retry limit/i;

/** Classifies one error text. */
export function classifyCodexMessage(text: string): CodexErrorCode {
  if (AUTH.test(text)) return "codex_auth";
  if (RATE_LIMIT.test(text)) return "codex_rate_limited";
  if (UNAVAILABLE.test(text)) return "codex_unavailable";
  return "codex_failed";
}

function firstLine(text: string): string {
  const line =
    text
      .split("\n")
      .map((part) => part.trim())
      .find((part) => part.length > 0 && !part.startsWith("Reading additional input")) ?? "";
  return line.length > 300 ? `${line.slice(0, 297)}...` : line;
}

function messageFor(code: CodexErrorCode, detail: string): string {
  switch (code) {
    case "codex_auth":
      return CODEX_AUTH_MESSAGE;
    case "codex_rate_limited":
      return `Codex is rate limited by the model API; try again later (${detail})`;
    case "codex_unavailable":
      return `Codex could not reach the model API (${detail})`;
    case "codex_failed":
      return `Codex failed: ${detail}`;
  }
}

/** What went wrong in a turn, most specific source first. */
export interface TurnFailure {
  /** The `turn.failed` message, if one arrived. */
  turnFailedMessage: string | null;
  /** Messages of stream `error` events, in order. */
  errorMessages: string[];
  /** The exception the SDK threw, if any (its message carries the CLI's stderr). */
  thrown: unknown;
}

/**
 * Builds the AppError for a failed turn. Sources are tried most specific first and the
 * first one that classifies as something other than `codex_failed` wins; the original
 * exception (or the failure text) is kept as `cause`.
 */
export function toCodexAppError(failure: TurnFailure): AppError {
  const thrownText =
    failure.thrown instanceof Error
      ? failure.thrown.message
      : typeof failure.thrown === "string"
        ? failure.thrown
        : "";
  const sources = [
    failure.turnFailedMessage ?? "",
    ...failure.errorMessages.toReversed(),
    thrownText,
  ].filter((text) => text.length > 0);
  const specific = sources
    .map((text) => ({ text, code: classifyCodexMessage(text) }))
    .find((entry) => entry.code !== "codex_failed");
  const chosen = specific ?? {
    text: sources[0] ?? "the turn ended without completing",
    code: "codex_failed" as const,
  };
  const cause = failure.thrown ?? new Error(chosen.text);
  return new AppError(chosen.code, messageFor(chosen.code, firstLine(chosen.text)), { cause });
}
