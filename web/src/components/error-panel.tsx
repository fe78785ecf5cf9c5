import { ApiError } from "../api/api-error.js";

interface ErrorPanelProps {
  error: unknown;
  /** Shown as a Retry button when given. */
  onRetry?: (() => void) | undefined;
  /** What was being done, e.g. "load the tickets". */
  action?: string;
}

function detailsText(details: unknown): string | null {
  if (details === undefined || details === null) return null;
  if (typeof details === "string") return details;
  try {
    return JSON.stringify(details, null, 2);
  } catch {
    return "(details could not be shown)";
  }
}

/**
 * An error in words: its code and message, folded details, and a Retry button. A contract
 * break (the server answered something unexpected) gets its own explanation.
 */
export function ErrorPanel({ error, onRetry, action }: ErrorPanelProps) {
  const apiError = error instanceof ApiError ? error : null;
  const contract = apiError?.code === "contract_error";
  const code = apiError?.code ?? "client_error";
  const message = error instanceof Error ? error.message : String(error);
  const details = detailsText(apiError?.details);
  const title = contract
    ? "The server answered something this page does not understand"
    : action
      ? `Could not ${action}`
      : "Something went wrong";
  return (
    <div className="error-panel" role="alert">
      <p className="error-panel__title">{title}</p>
      <p className="error-panel__message">
        <code className="error-panel__code">{code}</code> {message}
      </p>
      {contract ? (
        <p className="muted">
          The server and this page disagree on the API contract; they may be different versions.
          Reload the page; if it persists, tell an engineer.
        </p>
      ) : null}
      {details ? (
        <details className="error-panel__details">
          <summary>Details</summary>
          <pre>{details}</pre>
        </details>
      ) : null}
      {onRetry ? (
        <button type="button" className="button" onClick={onRetry}>
          Retry
        </button>
      ) : null}
    </div>
  );
}
