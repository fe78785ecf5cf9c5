import { useQuery } from "@tanstack/react-query";
import { useMemo } from "react";
import { isApiStatus } from "../../api/api-error.js";
import { fetchTaskDiff } from "../../api/endpoints.js";
import { queryKeys } from "../../api/query-keys.js";
import { ErrorPanel } from "../../components/error-panel.js";
import { LoadingState } from "../../components/loading-state.js";
import { parseUnifiedDiff } from "../../lib/diff.js";
import { DiffFile } from "./diff-file.js";

/** The task's changes, file by file. */
export function DiffView({ taskId, enabled }: { taskId: string; enabled: boolean }) {
  const diff = useQuery({
    queryKey: queryKeys.taskDiff(taskId),
    queryFn: ({ signal }) => fetchTaskDiff(taskId, signal),
    enabled,
  });
  const files = useMemo(() => (diff.data ? parseUnifiedDiff(diff.data) : []), [diff.data]);
  const additions = files.reduce((sum, f) => sum + f.additions, 0);
  const deletions = files.reduce((sum, f) => sum + f.deletions, 0);

  let body;
  if (!enabled)
    body = <p className="muted small">The diff appears once the agent has changed code.</p>;
  else if (diff.isPending) body = <LoadingState label="Loading the diff…" />;
  else if (diff.isError)
    body = isApiStatus(diff.error, 404) ? (
      <p className="muted small">No changes yet.</p>
    ) : (
      <ErrorPanel error={diff.error} action="load the diff" onRetry={() => void diff.refetch()} />
    );
  else if (files.length === 0) body = <p className="muted small">No changes.</p>;
  else body = files.map((file, index) => <DiffFile key={`${file.path}-${index}`} file={file} />);

  return (
    <section className="card" aria-labelledby="diff-heading">
      <div className="card__head">
        <h2 id="diff-heading">Changes</h2>
        {files.length > 0 ? (
          <span className="small">
            {files.length} file{files.length === 1 ? "" : "s"} ·{" "}
            <span className="diff-stat--add">+{additions}</span>{" "}
            <span className="diff-stat--del">−{deletions}</span>
          </span>
        ) : null}
      </div>
      {body}
    </section>
  );
}
