import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import type { AuditAction } from "../../../../shared/index.js";
import { fetchTaskAudit } from "../../api/endpoints.js";
import { RelativeTime } from "../../components/relative-time.js";

const ACTION_LABELS: Record<AuditAction, string> = {
  create: "started",
  follow_up: "followed up",
  retry: "retried",
  cancel: "cancelled",
};

/**
 * Who started, followed up, retried or cancelled a task, folded under its row on the
 * History page and loaded only when opened.
 */
export function TaskAudit({ taskId }: { taskId: string }) {
  const [open, setOpen] = useState(false);
  const audit = useQuery({
    queryKey: ["task-audit", taskId],
    queryFn: ({ signal }) => fetchTaskAudit(taskId, signal),
    enabled: open,
  });
  return (
    <details className="small" onToggle={(e) => setOpen(e.currentTarget.open)}>
      <summary>Audit</summary>
      {audit.isPending && open ? <span className="muted">Loading…</span> : null}
      {audit.isError ? <span className="muted">Could not load: {audit.error.message}</span> : null}
      {audit.data ? (
        <ol className="audit-list" aria-label="Audit">
          {audit.data.entries.map((entry, i) => (
            <li key={i}>
              {entry.by} {ACTION_LABELS[entry.action]} <RelativeTime iso={entry.at} />
              {entry.message ? <span className="muted">: “{entry.message}”</span> : null}
            </li>
          ))}
        </ol>
      ) : null}
    </details>
  );
}
