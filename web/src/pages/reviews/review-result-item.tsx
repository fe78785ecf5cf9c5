import type { ReviewResult, RiskLevel } from "../../../../shared/index.js";

const RISK_LABEL: Record<RiskLevel, string> = {
  high: "High risk",
  medium: "Medium risk",
  low: "Low risk",
};

/** One pull request of a run: risk (in words, not only colour), link, ticket, summary, concerns. */
export function ReviewResultItem({ result }: { result: ReviewResult }) {
  const { review } = result;
  const risk = review?.risk_level;
  return (
    <li className="review-result" aria-label={`${result.repo}#${result.prNumber}`}>
      <div className="review-result__head">
        {risk ? (
          <span className={`tag tag--risk-${risk}`}>{RISK_LABEL[risk]}</span>
        ) : (
          <span className="tag tag--risk-failed">Not reviewed</span>
        )}{" "}
        <a href={result.url} target="_blank" rel="noreferrer">
          {result.repo}#{result.prNumber}
        </a>{" "}
        <span className="review-result__title">{result.title}</span>
        {result.ticket ? (
          <>
            {" · "}
            <a href={result.ticket.url} target="_blank" rel="noreferrer">
              {result.ticket.key}
            </a>
            {result.ticket.status ? <span className="muted"> ({result.ticket.status})</span> : null}
          </>
        ) : null}
      </div>
      {review ? (
        <>
          <p className="review-result__summary">{review.summary}</p>
          {review.security_concerns.length > 0 ? (
            <div className="review-result__concerns">
              <strong>Security concerns</strong>
              <ul>
                {review.security_concerns.map((concern) => (
                  <li key={concern}>{concern}</li>
                ))}
              </ul>
            </div>
          ) : null}
          {review.test_notes ? (
            <p className="muted">
              <strong>Tests:</strong> {review.test_notes}
            </p>
          ) : null}
        </>
      ) : (
        <p className="callout callout--danger">
          <code>{result.error?.code ?? "internal"}</code> {result.error?.message}
        </p>
      )}
    </li>
  );
}
