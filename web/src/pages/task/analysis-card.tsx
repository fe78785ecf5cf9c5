import type { Analysis } from "../../../../shared/index.js";

/** The agent's analysis: root cause, plan, files, confidence. */
export function AnalysisCard({ analysis }: { analysis: Analysis }) {
  return (
    <section className="card" aria-labelledby="analysis-heading">
      <div className="card__head">
        <h2 id="analysis-heading">Analysis</h2>
        <span className={`tag tag--confidence-${analysis.confidence}`}>
          {analysis.confidence} confidence
        </span>
      </div>
      {!analysis.fixable ? (
        <p className="callout callout--warning">
          <strong>Not fixable in code. </strong>
          {analysis.notFixableReason ?? "The agent gave no reason."}
        </p>
      ) : null}
      <h3>Root cause</h3>
      <p className="prose">{analysis.rootCause}</p>
      {analysis.plan.length > 0 ? (
        <>
          <h3>Plan</h3>
          <ol className="plan">
            {analysis.plan.map((step, index) => (
              <li key={index}>{step}</li>
            ))}
          </ol>
        </>
      ) : null}
      {analysis.files.length > 0 ? (
        <>
          <h3>Files</h3>
          <ul className="file-list">
            {analysis.files.map((file) => (
              <li key={file} className="mono small">
                {file}
              </li>
            ))}
          </ul>
        </>
      ) : null}
    </section>
  );
}
