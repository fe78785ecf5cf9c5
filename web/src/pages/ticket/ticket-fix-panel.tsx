import { useId, useState } from "react";
import type { TicketDetail } from "../../../../shared/index.js";
import { ActiveTaskLink } from "../../components/active-task-link.js";
import { FixButton } from "../../components/fix-button.js";

/** The Fix button with optional instructions, or the ticket's running task. */
export function TicketFixPanel({ ticket }: { ticket: TicketDetail }) {
  const [instructions, setInstructions] = useState("");
  const id = useId();
  if (ticket.activeTask) {
    return (
      <div className="fix-panel">
        <p className="fix-panel__title">The agent is on it</p>
        <ActiveTaskLink task={ticket.activeTask} />
      </div>
    );
  }
  return (
    <div className="fix-panel">
      <p className="fix-panel__title">Let the agent fix it</p>
      <p className="muted small">
        It analyzes the bug, changes the code in <span className="mono">{ticket.repo}</span>, runs
        the tests and opens a pull request.
      </p>
      <details className="fix-panel__more">
        <summary>Add instructions (optional)</summary>
        <label htmlFor={id} className="field__label">
          Instructions for the agent
        </label>
        <textarea
          id={id}
          className="input textarea"
          rows={3}
          maxLength={4000}
          value={instructions}
          placeholder="e.g. The bug is probably in the rounding helper; add a regression test."
          onChange={(event) => setInstructions(event.target.value)}
        />
      </details>
      <FixButton ticketKey={ticket.key} instructions={instructions} size="large" />
    </div>
  );
}
