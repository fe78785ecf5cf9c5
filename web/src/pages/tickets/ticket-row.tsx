import { Link } from "react-router";
import type { TicketSummary } from "../../../../shared/index.js";
import { ActiveTaskLink } from "../../components/active-task-link.js";
import { FixButton } from "../../components/fix-button.js";
import { RelativeTime } from "../../components/relative-time.js";

/** One ticket in the list, with its Fix button or its running task. */
export function TicketRow({ ticket }: { ticket: TicketSummary }) {
  return (
    <tr>
      <td className="nowrap">
        <a href={ticket.url} target="_blank" rel="noreferrer noopener" className="mono">
          {ticket.key}
          <span className="visually-hidden"> (opens Jira in a new tab)</span>
        </a>
      </td>
      <td className="cell--grow">
        <Link to={`/tickets/${encodeURIComponent(ticket.key)}`}>{ticket.summary}</Link>
      </td>
      <td>
        <span className="tag">{ticket.status}</span>
      </td>
      <td>{ticket.priority ?? <span className="muted">—</span>}</td>
      <td>{ticket.assignee ?? <span className="muted">Unassigned</span>}</td>
      <td className="nowrap">
        <RelativeTime iso={ticket.updated} />
      </td>
      <td className="mono small">{ticket.repo}</td>
      <td className="cell--action">
        {ticket.activeTask ? (
          <ActiveTaskLink task={ticket.activeTask} />
        ) : (
          <FixButton ticketKey={ticket.key} label={ticket.summary} />
        )}
      </td>
    </tr>
  );
}
