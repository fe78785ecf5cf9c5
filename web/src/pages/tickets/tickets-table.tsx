import type { TicketSummary } from "../../../../shared/index.js";
import { TicketRow } from "./ticket-row.js";

/** The tickets table. */
export function TicketsTable({ tickets }: { tickets: TicketSummary[] }) {
  return (
    <div className="table-wrap">
      <table className="table">
        <caption className="visually-hidden">Jira bugs</caption>
        <thead>
          <tr>
            <th scope="col">Key</th>
            <th scope="col">Summary</th>
            <th scope="col">Status</th>
            <th scope="col">Priority</th>
            <th scope="col">Assignee</th>
            <th scope="col">Updated</th>
            <th scope="col">Repository</th>
            <th scope="col">
              <span className="visually-hidden">Action</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {tickets.map((ticket) => (
            <TicketRow key={ticket.key} ticket={ticket} />
          ))}
        </tbody>
      </table>
    </div>
  );
}
