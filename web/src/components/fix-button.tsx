import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useRef } from "react";
import { useNavigate } from "react-router";
import { createTask } from "../api/endpoints.js";
import { queryKeys } from "../api/query-keys.js";
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
  const mutation = useMutation({
    mutationFn: () => {
      const trimmed = instructions?.trim();
      return createTask(trimmed ? { ticketKey, instructions: trimmed } : { ticketKey });
    },
    onSuccess: (task) => {
      queryClient.setQueryData(queryKeys.task(task.id), task);
      void queryClient.invalidateQueries({ queryKey: queryKeys.allTickets });
      void queryClient.invalidateQueries({ queryKey: queryKeys.allTasks });
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
        disabled={mutation.isPending}
        aria-label={label ? `Fix this bug: ${ticketKey} ${label}` : undefined}
        onClick={start}
      >
        {mutation.isPending ? "Starting…" : "Fix this bug"}
      </button>
      {mutation.isError ? (
        <ErrorPanel error={mutation.error} action="start the fix" onRetry={start} />
      ) : null}
    </div>
  );
}
