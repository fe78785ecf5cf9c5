import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useRef } from "react";
import { useNavigate } from "react-router";
import { createTask, fetchBudget } from "../api/endpoints.js";
import { queryKeys } from "../api/query-keys.js";
import { formatCost } from "../lib/cost.js";
import { ErrorPanel } from "./error-panel.js";

interface FixButtonProps {
  ticketKey: string;
  /** Extra guidance for the agent. */
  instructions?: string | undefined;
  /** Accessible name suffix, e.g. the ticket summary, to tell rows apart. */
  label?: string | undefined;
  size?: "small" | "large";
}

/**
 * Starts a fix for a ticket and opens its task page. Disabled while the request is in
 * flight, so a double click starts one task.
 */
export function FixButton({ ticketKey, instructions, label, size = "small" }: FixButtonProps) {
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const inFlight = useRef(false);
  // The day's budgets; a server without them answers 404 and the button stays as it was.
  const budget = useQuery({
    queryKey: queryKeys.budget,
    queryFn: ({ signal }) => fetchBudget(signal),
    staleTime: 30_000,
    retry: false,
  });
  const blocked = budget.data?.blocked ?? null;
  const tightest = budget.data?.budgets
    .filter((line) => line.scope !== "repo")
    .reduce<{ left: number } | null>(
      (min, line) => ({ left: Math.min(min?.left ?? Infinity, line.limit - line.spent) }),
      null,
    );
  const noteId = `fix-budget-${ticketKey}`;
  const mutation = useMutation({
    mutationFn: () => {
      const trimmed = instructions?.trim();
      return createTask(trimmed ? { ticketKey, instructions: trimmed } : { ticketKey });
    },
    onSuccess: (task) => {
      queryClient.setQueryData(queryKeys.task(task.id), task);
      void queryClient.invalidateQueries({ queryKey: queryKeys.allTickets });
      void queryClient.invalidateQueries({ queryKey: queryKeys.allTasks });
      void queryClient.invalidateQueries({ queryKey: queryKeys.budget });
      void navigate(`/tasks/${task.id}`);
    },
    onSettled: () => {
      inFlight.current = false;
    },
  });
  const start = () => {
    if (inFlight.current) return;
    inFlight.current = true;
    mutation.mutate();
  };
  return (
    <div className="fix-button">
      <button
        type="button"
        className={`button button--primary${size === "large" ? " button--large" : ""}`}
        disabled={mutation.isPending || blocked !== null}
        aria-label={label ? `Fix this bug: ${ticketKey} ${label}` : undefined}
        aria-describedby={blocked !== null || size === "large" ? noteId : undefined}
        onClick={start}
      >
        {mutation.isPending ? "Starting…" : "Fix this bug"}
      </button>
      {blocked !== null ? (
        <p id={noteId} className="muted small">
          {blocked}
        </p>
      ) : size === "large" && tightest && budget.data ? (
        <p id={noteId} className="muted small">
          Budget left today: {formatCost(Math.max(0, tightest.left), budget.data.currency)}
        </p>
      ) : null}
      {mutation.isError ? (
        <ErrorPanel error={mutation.error} action="start the fix" onRetry={start} />
      ) : null}
    </div>
  );
}
