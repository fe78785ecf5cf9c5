import { useState } from "react";
import type { FormEvent } from "react";
import { TicketKeySchema } from "../../../../shared/index.js";
import type { RepoSummary, TaskOutcome, TaskStatus } from "../../../../shared/index.js";
import type { TaskFilters } from "../../api/task-filters.js";
import { OUTCOME_LABELS, STATUS_LABELS } from "../../lib/task-labels.js";

interface HistoryFiltersProps {
  filters: TaskFilters;
  repos: RepoSummary[];
  onChange: (filters: TaskFilters) => void;
}

const STATUSES = Object.keys(STATUS_LABELS) as TaskStatus[];
const OUTCOMES = Object.keys(OUTCOME_LABELS) as TaskOutcome[];

/** The History filters form. Applies on submit; Clear resets them all. */
export function HistoryFilters({ filters, repos, onChange }: HistoryFiltersProps) {
  const [draft, setDraft] = useState<TaskFilters>(filters);
  const [problem, setProblem] = useState<string | null>(null);
  const [applied, setApplied] = useState(filters);
  if (applied !== filters) {
    // The URL changed (back button, link): show what it says.
    setApplied(filters);
    setDraft(filters);
  }
  const set = (name: keyof TaskFilters) => (value: string) =>
    setDraft((previous) => ({ ...previous, [name]: value || undefined }));

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const ticketKey = draft.ticketKey?.trim().toUpperCase();
    if (ticketKey && !TicketKeySchema.safeParse(ticketKey).success) {
      setProblem("Ticket must be a Jira key such as CALC-12.");
      return;
    }
    if (draft.from && draft.to && draft.from > draft.to) {
      setProblem("The start date is after the end date.");
      return;
    }
    setProblem(null);
    onChange({ ...draft, ticketKey, createdBy: draft.createdBy?.trim() || undefined });
  };

  return (
    <form className="filters card" onSubmit={submit} aria-label="Filter tasks">
      <div className="filters__grid">
        <label className="field">
          <span className="field__label">Status</span>
          <select
            className="input"
            value={draft.status ?? ""}
            onChange={(e) => set("status")(e.target.value)}
          >
            <option value="">Any</option>
            {STATUSES.map((s) => (
              <option key={s} value={s}>
                {STATUS_LABELS[s]}
              </option>
            ))}
          </select>
        </label>
        <label className="field">
          <span className="field__label">Outcome</span>
          <select
            className="input"
            value={draft.outcome ?? ""}
            onChange={(e) => set("outcome")(e.target.value)}
          >
            <option value="">Any</option>
            {OUTCOMES.map((o) => (
              <option key={o} value={o}>
                {OUTCOME_LABELS[o]}
              </option>
            ))}
          </select>
        </label>
        <label className="field">
          <span className="field__label">Ticket</span>
          <input
            className="input"
            value={draft.ticketKey ?? ""}
            placeholder="CALC-12"
            onChange={(e) => set("ticketKey")(e.target.value)}
          />
        </label>
        <label className="field">
          <span className="field__label">Repository</span>
          <select
            className="input"
            value={draft.repo ?? ""}
            onChange={(e) => set("repo")(e.target.value)}
          >
            <option value="">Any</option>
            {repos.map((r) => (
              <option key={r.github} value={r.github}>
                {r.github}
              </option>
            ))}
          </select>
        </label>
        <label className="field">
          <span className="field__label">Who</span>
          <input
            className="input"
            type="email"
            value={draft.createdBy ?? ""}
            placeholder="name@company.com"
            onChange={(e) => set("createdBy")(e.target.value)}
          />
        </label>
        <label className="field">
          <span className="field__label">From</span>
          <input
            className="input"
            type="date"
            value={draft.from ?? ""}
            onChange={(e) => set("from")(e.target.value)}
          />
        </label>
        <label className="field">
          <span className="field__label">To</span>
          <input
            className="input"
            type="date"
            value={draft.to ?? ""}
            onChange={(e) => set("to")(e.target.value)}
          />
        </label>
        <div className="filters__actions">
          <button type="submit" className="button button--primary">
            Apply
          </button>
          <button
            type="button"
            className="button button--ghost"
            onClick={() => {
              setProblem(null);
              onChange({});
            }}
          >
            Clear
          </button>
        </div>
      </div>
      {problem ? (
        <p className="field__error" role="alert">
          {problem}
        </p>
      ) : null}
    </form>
  );
}
