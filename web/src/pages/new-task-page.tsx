import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import type { FormEvent } from "react";
import { useNavigate } from "react-router";
import { CreatePromptTaskRequestSchema } from "../../../shared/index.js";
import { createPromptTask } from "../api/endpoints.js";
import { queryKeys } from "../api/query-keys.js";
import { EmptyState } from "../components/empty-state.js";
import { ErrorPanel } from "../components/error-panel.js";
import { LoadingState } from "../components/loading-state.js";
import { useSettings } from "../hooks/use-settings.js";

/** Engineers and admins: give the agent a free-form prompt on a repository. */
export function NewTaskPage() {
  const settings = useSettings();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [repo, setRepo] = useState("");
  const [prompt, setPrompt] = useState("");
  const [problem, setProblem] = useState<string | null>(null);
  const create = useMutation({
    mutationFn: createPromptTask,
    onSuccess: (task) => {
      queryClient.setQueryData(queryKeys.task(task.id), task);
      void queryClient.invalidateQueries({ queryKey: queryKeys.allTasks });
      void navigate(`/tasks/${task.id}`);
    },
  });

  const repos = settings.data?.repos ?? [];
  const selectedRepo = repo || repos[0]?.github || "";

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (create.isPending) return;
    const parsed = CreatePromptTaskRequestSchema.safeParse({ repo: selectedRepo, prompt });
    if (!parsed.success) {
      setProblem(
        prompt.trim() ? "Choose a configured repository." : "Write what the agent should do.",
      );
      return;
    }
    setProblem(null);
    create.mutate(parsed.data);
  };

  let body;
  if (settings.isPending) body = <LoadingState />;
  else if (settings.isError)
    body = (
      <ErrorPanel
        error={settings.error}
        action="load the repositories"
        onRetry={() => void settings.refetch()}
      />
    );
  else if (repos.length === 0)
    body = (
      <EmptyState title="No repositories configured">
        An admin must add a repository to the server configuration first.
      </EmptyState>
    );
  else
    body = (
      <form className="card form" onSubmit={submit} noValidate>
        <div className="field">
          <label htmlFor="task-repo" className="field__label">
            Repository
          </label>
          <select
            id="task-repo"
            className="input"
            value={selectedRepo}
            onChange={(event) => setRepo(event.target.value)}
          >
            {repos.map((r) => (
              <option key={r.github} value={r.github}>
                {r.github} ({r.baseBranch})
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="task-prompt" className="field__label">
            Prompt
          </label>
          <textarea
            id="task-prompt"
            className="input textarea"
            rows={8}
            maxLength={20_000}
            value={prompt}
            aria-invalid={problem ? true : undefined}
            aria-describedby="task-prompt-hint"
            placeholder="e.g. Explain how invoices are rounded, or: upgrade the date library and fix what breaks."
            onChange={(event) => setPrompt(event.target.value)}
          />
          <p id="task-prompt-hint" className="field__hint">
            The agent works on a fresh copy of the repository. If it changes code, it opens a pull
            request.
          </p>
        </div>
        {problem ? (
          <p className="field__error" role="alert">
            {problem}
          </p>
        ) : null}
        {create.isError ? <ErrorPanel error={create.error} action="start the task" /> : null}
        <div className="form__actions">
          <button type="submit" className="button button--primary" disabled={create.isPending}>
            {create.isPending ? "Starting…" : "Start task"}
          </button>
        </div>
      </form>
    );

  return (
    <section className="page page--narrow">
      <h1>New task</h1>
      <p className="muted">Ask the agent to do something on a repository.</p>
      {body}
    </section>
  );
}
