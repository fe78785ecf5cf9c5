import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import type { FormEvent } from "react";
import type { Task } from "../../../../shared/index.js";
import { sendFollowUp } from "../../api/endpoints.js";
import { queryKeys } from "../../api/query-keys.js";
import { ErrorPanel } from "../../components/error-panel.js";
import { isActiveStatus } from "../../lib/task-labels.js";

interface FollowUpFormProps {
  task: Task;
  /** Called once the server accepted the message, to reopen the live stream. */
  onSent: () => void;
}

/** Engineers and admins: send the agent another instruction on the same thread. */
export function FollowUpForm({ task, onSent }: FollowUpFormProps) {
  const queryClient = useQueryClient();
  const [message, setMessage] = useState("");
  const send = useMutation({
    mutationFn: (text: string) => sendFollowUp(task.id, text),
    onSuccess: (updated) => {
      setMessage("");
      queryClient.setQueryData(queryKeys.task(updated.id), updated);
      void queryClient.invalidateQueries({ queryKey: queryKeys.allTasks });
      onSent();
    },
  });
  const busy = isActiveStatus(task.status);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const text = message.trim();
    if (!text || busy || send.isPending) return;
    send.mutate(text);
  };
  return (
    <section className="card" aria-labelledby="follow-up-heading">
      <h2 id="follow-up-heading">Follow up</h2>
      <form onSubmit={submit} className="form">
        <label htmlFor="follow-up" className="field__label">
          Message to the agent
        </label>
        <textarea
          id="follow-up"
          className="input textarea"
          rows={3}
          maxLength={20_000}
          value={message}
          placeholder="e.g. also add a regression test"
          aria-describedby="follow-up-hint"
          onChange={(event) => setMessage(event.target.value)}
        />
        <p id="follow-up-hint" className="field__hint">
          {busy
            ? "You can send a follow-up once the agent finishes its current turn."
            : "The agent continues on the same branch and updates the pull request."}
        </p>
        {send.isError ? <ErrorPanel error={send.error} action="send the follow-up" /> : null}
        <div className="form__actions">
          <button
            type="submit"
            className="button button--primary"
            disabled={busy || send.isPending || !message.trim()}
          >
            {send.isPending ? "Sending…" : "Send follow-up"}
          </button>
        </div>
      </form>
    </section>
  );
}
