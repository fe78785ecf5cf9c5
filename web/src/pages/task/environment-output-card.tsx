/** Lines of setup output shown; the rest is in the task's event log. */
const SHOWN_LINES = 200;

/**
 * The live output of the repository's setup (or maintenance) command, which runs before
 * the agent starts: while the environment is prepared, and when setup failed.
 */
export function EnvironmentOutputCard({ title, text }: { title: string; text: string }) {
  const lines = text.trimEnd().split("\n");
  return (
    <section className="card" aria-labelledby="environment-output-title">
      <h2 id="environment-output-title" className="card__title">
        {title}
      </h2>
      <pre className="small" aria-live="off">
        {lines.slice(-SHOWN_LINES).join("\n")}
      </pre>
    </section>
  );
}
