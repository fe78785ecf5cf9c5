import type { TestVerdict } from "../../../../shared/index.js";

const HEADLINES: Record<TestVerdict["result"], string> = {
  passed: "Passed",
  no_new_failures: "No new failures",
  failed: "Failed",
  not_run: "Not run",
  error: "Did not finish",
};

function NameList({ title, names }: { title: string; names: string[] }) {
  if (names.length === 0) return null;
  return (
    <>
      <h3 className="small">{title}</h3>
      <ul className="small">
        {names.map((name) => (
          <li key={name}>{name}</li>
        ))}
      </ul>
    </>
  );
}

/**
 * The server's own verdict on the tests (it ran them itself, isolated, network off, and
 * compared with the base branch): what decides whether the pull request is ready. What
 * the agent said about the tests is its claim, in its summary.
 */
export function TestVerdictCard({ verdict }: { verdict: TestVerdict }) {
  const seconds = (verdict.durationMs / 1000).toFixed(1);
  return (
    <section className="card" aria-labelledby="verdict-title">
      <h2 id="verdict-title" className="card__title">
        Tests run by the server:{" "}
        <span className={`badge ${verdict.ready ? "" : "badge--bad"}`}>
          {HEADLINES[verdict.result]}
        </span>
      </h2>
      {verdict.result === "not_run" ? (
        <p className="small">
          No test command is configured for this repository: no tests were run.
        </p>
      ) : (
        <p className="small">
          <code>{verdict.command}</code> — exit code {verdict.exitCode ?? "none"}, {seconds} s
          {verdict.total !== null ? `, ${verdict.passed ?? 0} of ${verdict.total} passed` : ""}
          {verdict.base ? `; on the base branch ${verdict.base.failing} failing` : ""}.{" "}
          {verdict.ready ? "The pull request is ready for review." : "The pull request is a draft."}
        </p>
      )}
      <NameList title="New failures" names={verdict.newFailures} />
      <NameList title="Fixed" names={verdict.fixed} />
      <NameList
        title="Already failing on the base branch (not caused by this change)"
        names={verdict.stillFailing}
      />
      {verdict.outputTail ? (
        <details>
          <summary>Last lines of the output</summary>
          <pre className="small">{verdict.outputTail.split("\n").slice(-60).join("\n")}</pre>
        </details>
      ) : null}
      <p className="small muted">
        What the agent said about the tests is its own claim (its summary above); this is the
        server&apos;s run.
      </p>
    </section>
  );
}
