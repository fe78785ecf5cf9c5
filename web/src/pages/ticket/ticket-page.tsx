import { useQuery } from "@tanstack/react-query";
import { Link, useParams } from "react-router";
import { isApiStatus } from "../../api/api-error.js";
import { fetchTicket } from "../../api/endpoints.js";
import { queryKeys } from "../../api/query-keys.js";
import { ErrorPanel } from "../../components/error-panel.js";
import { LoadingState } from "../../components/loading-state.js";
import { Markdown } from "../../components/markdown.js";
import { RelativeTime } from "../../components/relative-time.js";
import { CommentList } from "./comment-list.js";
import { TicketFixPanel } from "./ticket-fix-panel.js";
import { TicketTasks } from "./ticket-tasks.js";

/** One ticket: its text, comments, the tasks that ran for it, and the Fix button. */
export function TicketPage() {
  const { key = "" } = useParams();
  const ticket = useQuery({
    queryKey: queryKeys.ticket(key),
    queryFn: ({ signal }) => fetchTicket(key, signal),
  });

  if (ticket.isPending) return <LoadingState label="Loading the ticket…" />;
  if (ticket.isError) {
    return (
      <section className="page page--narrow">
        <Link to="/" className="back-link">
          ← Tickets
        </Link>
        {isApiStatus(ticket.error, 404) ? <h1>Ticket {key} not found</h1> : null}
        <ErrorPanel
          error={ticket.error}
          action="load the ticket"
          onRetry={() => void ticket.refetch()}
        />
      </section>
    );
  }

  const t = ticket.data;
  return (
    <section className="page">
      <Link to="/" className="back-link">
        ← Tickets
      </Link>
      <div className="page__head">
        <div>
          <p className="eyebrow">
            <a href={t.url} target="_blank" rel="noreferrer noopener" className="mono">
              {t.key} ↗<span className="visually-hidden"> (opens Jira in a new tab)</span>
            </a>{" "}
            · {t.issueType}
          </p>
          <h1>{t.summary}</h1>
        </div>
      </div>
      <div className="split">
        <div className="split__main">
          <section className="card" aria-labelledby="description-heading">
            <h2 id="description-heading">Description</h2>
            {t.description.trim() ? (
              <Markdown text={t.description} />
            ) : (
              <p className="muted">No description.</p>
            )}
          </section>
          <section className="card" aria-labelledby="comments-heading">
            <h2 id="comments-heading">Comments ({t.comments.length})</h2>
            <CommentList comments={t.comments} />
          </section>
        </div>
        <aside className="split__side">
          <TicketFixPanel ticket={t} />
          <dl className="meta card">
            <dt>Status</dt>
            <dd>
              <span className="tag">{t.status}</span>
            </dd>
            <dt>Priority</dt>
            <dd>{t.priority ?? "—"}</dd>
            <dt>Assignee</dt>
            <dd>{t.assignee ?? "Unassigned"}</dd>
            <dt>Reporter</dt>
            <dd>{t.reporter ?? "—"}</dd>
            <dt>Updated</dt>
            <dd>
              <RelativeTime iso={t.updated} />
            </dd>
            <dt>Repository</dt>
            <dd className="mono small">{t.repo}</dd>
            {t.labels.length > 0 ? (
              <>
                <dt>Labels</dt>
                <dd className="tags">
                  {t.labels.map((label) => (
                    <span key={label} className="tag">
                      {label}
                    </span>
                  ))}
                </dd>
              </>
            ) : null}
          </dl>
          <section className="card" aria-labelledby="tasks-heading">
            <h2 id="tasks-heading">Tasks</h2>
            <TicketTasks ticketKey={t.key} />
          </section>
        </aside>
      </div>
    </section>
  );
}
