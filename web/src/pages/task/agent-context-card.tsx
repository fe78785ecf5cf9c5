/** What the agent was told besides the ticket: the repository's AGENTS.md and instructions. */
export function AgentContextCard({
  context,
}: {
  context: { agentsMd: string | null; instructions: string | null };
}) {
  return (
    <section className="card" aria-labelledby="agent-context-title">
      <h2 id="agent-context-title" className="card__title">
        What the agent was told
      </h2>
      <h3 className="small">Instructions for this repository (on every turn)</h3>
      {context.instructions ? (
        <pre className="small">{context.instructions}</pre>
      ) : (
        <p className="small muted">None configured.</p>
      )}
      <h3 className="small">AGENTS.md from the repository</h3>
      {context.agentsMd ? (
        <details>
          <summary>Show AGENTS.md</summary>
          <pre className="small">{context.agentsMd}</pre>
        </details>
      ) : (
        <p className="small muted">The repository has no AGENTS.md.</p>
      )}
    </section>
  );
}
